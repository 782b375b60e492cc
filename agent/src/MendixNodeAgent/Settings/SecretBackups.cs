using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MendixNodeAgent.Logging;
using YamlDotNet.RepresentationModel;

namespace MendixNodeAgent.Settings
{
    /// <summary>
    /// The backups of an app's Settings.yaml (<see cref="SettingsFileWriter"/> keeps the newest five) that hold a secret the
    /// completed Settings.yaml no longer holds: an app that moved to its managed identity left its database password and
    /// storage account key in the backups written while it used them, and a rotation leaves the values it replaced. Once a
    /// run has completed, its record (<see cref="Node.CompletedApp"/>) names the Settings.yaml beside them, so 'resume' needs
    /// none of the backups before the next run writes again, and those backups are deleted. A secret is a key the one rule
    /// calls a secret (<see cref="SecretPolicy.IsSecretKey"/>) with a value, by its path in the file; a backup that cannot be
    /// read as YAML counts as holding one.
    /// </summary>
    internal static class SecretBackups
    {
        /// <returns>the backups deleted.</returns>
        public static IReadOnlyList<string> RemoveBeside(string settingsFile)
        {
            var kept = SecretsIn(settingsFile) ?? new HashSet<string>();
            var removed = new List<string>();
            foreach (var backup in Directory.GetFiles(Path.GetDirectoryName(settingsFile)!, Path.GetFileName(settingsFile) + SettingsFileWriter.BackupInfix + "*").OrderBy(f => f, StringComparer.Ordinal))
            {
                var secrets = SecretsIn(backup);
                if (secrets == null || !secrets.IsSubsetOf(kept))
                {
                    File.Delete(backup);
                    removed.Add(backup);
                }
            }

            return removed;
        }

        /// <summary>Each secret of the file as its path and value; null when the file is not a YAML mapping.</summary>
        private static HashSet<string>? SecretsIn(string file)
        {
            SettingsYamlDocument document;
            try
            {
                document = SettingsYamlDocument.Parse(File.ReadAllText(file), file);
            }
            catch (AgentFailureException)
            {
                return null;
            }

            var secrets = new HashSet<string>(StringComparer.Ordinal);
            Collect(document.Root, string.Empty, secrets);
            return secrets;
        }

        private static void Collect(YamlMappingNode mapping, string path, HashSet<string> secrets)
        {
            foreach (var entry in mapping.Children)
            {
                var key = (entry.Key as YamlScalarNode)?.Value ?? string.Empty;
                if (entry.Value is YamlMappingNode inner)
                {
                    Collect(inner, path + key + ".", secrets);
                }
                else if (SecretPolicy.IsSecretKey(key) && entry.Value is YamlScalarNode scalar && !string.IsNullOrEmpty(scalar.Value))
                {
                    secrets.Add(path + key + "=" + scalar.Value);
                }
            }
        }
    }
}
