using System.Collections.Generic;
using MendixNodeAgent.Blob;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MendixNodeAgent.Settings
{
    /// <summary>
    /// The one place that knows where the agent's settings live inside the Service Console's
    /// Settings.yaml. Change the key names or nesting here and nowhere else.
    ///
    /// What the public material pins down:
    /// - Every app folder under the console's "location of apps and server files" holds Settings.yaml,
    ///   the app's configuration (mendix/docs, content/en/docs/deployment/on-premises-design/ms-windows/_index.md).
    /// - Since Service Console 4.7.1 the file is read and written with YamlDotNet and its property names
    ///   start with an upper-case letter ("Logging:", not "logging:") (mendix/docs,
    ///   content/en/docs/releasenotes/studio-pro/windows-service.md, 4.7.1).
    /// - The console's settings object (Mendix.M2EE.Settings, which the console saves to Settings.yaml)
    ///   has the properties DatabaseType, DatabaseHost, DatabaseName, DatabaseUserName and DatabasePassword
    ///   (bgelens/Mendix-AzurePack, VMRole/MendixMultiInstance/Script/03-SetDatabaseSettings.ps1), and a
    ///   DatabasePassword line sits in Settings.yaml itself
    ///   (bgelens/Mendix-AzurePack, VMRole/MendixMultiInstanceSQLPaaS/Script/05-EncryptDatabaseSettings.ps1).
    /// - The same settings object has the property AdminServerPortNumber, the app's admin port
    ///   (bgelens/Mendix-AzurePack, MXWAPack/MXWAPack.psm1, Get-MXWAPackMendixServerLicenseInfo).
    /// What it does not pin down, and is therefore our choice: the database properties are top-level keys
    /// (they are direct properties of that settings object), the Custom Mendix Settings are the mapping
    /// under the top-level key "CustomSettings" (setting name to string value), the admin port is the
    /// top-level integer AdminServerPortNumber and the runtime port, by analogy, RuntimePortNumber.
    /// </summary>
    internal static class SettingsYamlLayout
    {
        public const string CustomSettingsKey = "CustomSettings";
        public const string RuntimePortKey = "RuntimePortNumber";
        public const string AdminPortKey = "AdminServerPortNumber";

        /// <summary>Brings the document to the blob's settings; returns what changed (empty: nothing).</summary>
        public static IReadOnlyList<SettingsChange> Apply(SettingsYamlDocument document, NodeSettings blob)
        {
            var changes = new List<SettingsChange>();
            var root = document.Root;

            foreach (var setting in blob.RuntimeSettings)
            {
                SetTopLevelScalar(root, setting.Key, setting.Value, changes);
            }

            SetTopLevelInteger(root, RuntimePortKey, blob.App.RuntimePort, changes);
            SetTopLevelInteger(root, AdminPortKey, blob.App.AdminPort, changes);
            ReplaceCustomSettings(root, blob.CustomSettings, changes);
            return changes;
        }

        private static void SetTopLevelInteger(YamlMappingNode root, string key, int value, List<SettingsChange> changes)
        {
            var text = value.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var keyNode = new YamlScalarNode(key);
            if (root.Children.TryGetValue(keyNode, out var existing))
            {
                if (existing is YamlScalarNode scalar && scalar.Value == text && YamlScalarType.KindOf(scalar) == YamlScalarKind.Integer)
                {
                    return;
                }

                changes.Add(new SettingsChange(key, SettingsChangeKind.Changed, TextOf(existing), text));
            }
            else
            {
                changes.Add(new SettingsChange(key, SettingsChangeKind.Added, null, text));
            }

            root.Children[keyNode] = new YamlScalarNode(text) { Style = ScalarStyle.Plain };
        }

        private static void SetTopLevelScalar(YamlMappingNode root, string key, string value, List<SettingsChange> changes)
        {
            var keyNode = new YamlScalarNode(key);
            if (root.Children.TryGetValue(keyNode, out var existing))
            {
                if (existing is YamlScalarNode scalar && scalar.Value == value)
                {
                    return;
                }

                changes.Add(new SettingsChange(key, SettingsChangeKind.Changed, TextOf(existing), value));
            }
            else
            {
                changes.Add(new SettingsChange(key, SettingsChangeKind.Added, null, value));
            }

            root.Children[keyNode] = StringScalar(value);
        }

        private static void ReplaceCustomSettings(YamlMappingNode root, IReadOnlyList<KeyValuePair<string, string>> wanted, List<SettingsChange> changes)
        {
            var keyNode = new YamlScalarNode(CustomSettingsKey);
            var current = new Dictionary<string, string?>();
            var present = root.Children.TryGetValue(keyNode, out var existing);
            if (existing is YamlMappingNode existingMapping)
            {
                foreach (var entry in existingMapping.Children)
                {
                    current[TextOf(entry.Key) ?? string.Empty] = TextOf(entry.Value);
                }
            }

            var wantedKeys = new HashSet<string>();
            var before = changes.Count;
            foreach (var setting in wanted)
            {
                wantedKeys.Add(setting.Key);
                if (!current.TryGetValue(setting.Key, out var old))
                {
                    changes.Add(new SettingsChange(Qualified(setting.Key), SettingsChangeKind.Added, null, setting.Value));
                }
                else if (old != setting.Value)
                {
                    changes.Add(new SettingsChange(Qualified(setting.Key), SettingsChangeKind.Changed, old, setting.Value));
                }
            }

            foreach (var entry in current)
            {
                if (!wantedKeys.Contains(entry.Key))
                {
                    changes.Add(new SettingsChange(Qualified(entry.Key), SettingsChangeKind.Removed, entry.Value, null));
                }
            }

            var malformed = present && !(existing is YamlMappingNode) && !(wanted.Count == 0 && IsEmpty(existing));
            var needsWrite = changes.Count > before || malformed || (!present && wanted.Count > 0);
            if (!needsWrite)
            {
                return;
            }

            if (malformed && changes.Count == before)
            {
                changes.Add(new SettingsChange(CustomSettingsKey, SettingsChangeKind.Changed, "(not a mapping)", "(mapping)"));
            }

            var replacement = new YamlMappingNode();
            if (wanted.Count == 0)
            {
                replacement.Style = YamlDotNet.Core.Events.MappingStyle.Flow;
            }

            foreach (var setting in wanted)
            {
                replacement.Add(new YamlScalarNode(setting.Key), StringScalar(setting.Value));
            }

            root.Children[keyNode] = replacement;
        }

        private static string Qualified(string customKey) => CustomSettingsKey + "." + customKey;

        private static bool IsEmpty(YamlNode? node) =>
            node is YamlScalarNode scalar && YamlScalarType.KindOf(scalar) == YamlScalarKind.Null;

        private static string? TextOf(YamlNode? node) => node is YamlScalarNode scalar ? scalar.Value : "(" + node?.NodeType.ToString().ToLowerInvariant() + ")";

        /// <summary>A scalar that reads back as the same string: quoted when plain text would mean a number, boolean or null.</summary>
        private static YamlScalarNode StringScalar(string value)
        {
            var style = YamlScalarType.KindOfPlain(value) == YamlScalarKind.String ? ScalarStyle.Any : ScalarStyle.SingleQuoted;
            return new YamlScalarNode(value) { Style = style };
        }
    }
}
