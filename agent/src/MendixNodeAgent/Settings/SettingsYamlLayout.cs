using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MendixNodeAgent.Blob;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MendixNodeAgent.Settings
{
    /// <summary>
    /// The one place that knows where the agent's settings live inside the Service Console's Settings.yaml.
    ///
    /// The layout the console reads (Service Console 4.7.1 binaries, Mendix.M2EE.dll, class Settings, LoadSettings and
    /// ToYaml, in the public MSI of mendix-pea-repos/deploy-vm-windows-quickstart; later console versions may differ):
    /// - the whole file is ignored unless it has the top-level key Version: 1.0.0;
    /// - Database: DatabaseType, DatabaseHost, DatabaseName, DatabaseUserName, DatabasePassword (and
    ///   DatabaseUseIntegratedSecurity, which the agent leaves as found);
    /// - Runtime: the console's own keys (RuntimePortNumber, ServerPortNumber = the admin port, JavaPath, ...), and every
    ///   other key under Runtime is a custom runtime setting (the GUI's "Custom Mendix Settings");
    /// - Service, Jetty, Custom, Logging, QSlotId and any other key belong to the console: left exactly as found, but for
    ///   Service.StartMode, the start mode the console gives the app's service when it installs it again (the GUI's
    ///   "Install service", ProjectInstaller.BeforeInstall): MANUAL, as the agent's services are (see
    ///   MendixServiceConsole.ManualStartup), in the console's own spelling (YamlHelper.setValue writes an enum upper-case;
    ///   LoadSettings reads it ignoring case). The runtime never reads the Service section.
    /// Earlier versions of the agent wrote the database settings and ports at the top level and the custom settings under
    /// a top-level CustomSettings mapping, all of which the console keeps but never reads: those keys are removed.
    /// </summary>
    internal static class SettingsYamlLayout
    {
        public const string VersionKey = "Version";
        public const string Version = "1.0.0";
        public const string DatabaseSection = "Database";
        public const string ServiceSection = "Service";
        public const string StartModeKey = "StartMode";
        public const string ManualStartMode = "MANUAL";
        public const string RuntimeSection = "Runtime";
        public const string RuntimePortKey = "RuntimePortNumber";
        public const string AdminPortKey = "ServerPortNumber";
        public const string JavaPathKey = "JavaPath";
        public const string VmArgumentsKey = "OtherVMArguments";
        public const string ApplicationRootUrlKey = "ApplicationRootUrl";

        /// <summary>
        /// The console's own keys under Runtime (Service Console 4.7.1 binaries, Settings.LoadSettings): a custom setting of
        /// one of these names would be read as the console's own setting, so a blob may not carry one.
        /// </summary>
        public static readonly IReadOnlyList<string> ConsoleRuntimeKeys = new[]
        {
            "MendixPath", JavaPathKey, "ProjectPath", "LogPath", "BackupPath", "UploadedFilesPath", "TempPath", "MaxJavaHeapSize",
            VmArgumentsKey, RuntimePortKey, AdminPortKey, "ServerPassword", ApplicationRootUrlKey, "ScheduledEventExecution",
            "RuntimeListenAddresses", "AdminListenAddresses", "DTAPMode",
        };

        /// <summary>
        /// Keys the console reads before it collects the custom runtime settings, with one set for the whole file
        /// (Service Console 4.7.1 binaries, Settings.LoadSettings: Version, QSlotId, Service, Runtime, Database): a key
        /// under Runtime with one of these names is never a custom runtime setting.
        /// </summary>
        private static readonly IReadOnlyList<string> ReadBeforeCustomSettings = ConsoleRuntimeKeys.Concat(new[]
        {
            VersionKey, "QSlotId", "Account", "UserName", "Password", "ServiceName", "DisplayName", "Description", "StartMode",
            "DatabaseType", "DatabaseHost", "DatabaseName", "DatabaseUserName", "DatabasePassword", "DatabaseUseIntegratedSecurity",
        }).ToList();

        /// <summary>Top-level keys of the agent's earlier layout, which the console never read.</summary>
        private static readonly IReadOnlyList<string> EarlierLayoutKeys = new[]
        {
            "DatabaseType", "DatabaseHost", "DatabaseName", "DatabaseUserName", "DatabasePassword", RuntimePortKey, "AdminServerPortNumber",
        };

        private const string EarlierCustomSettingsKey = "CustomSettings";

        /// <summary>Refuses a blob whose custom settings the console would read as its own Runtime settings (exit 2).</summary>
        public static void CheckCustomSettings(NodeSettings blob)
        {
            foreach (var setting in blob.CustomSettings)
            {
                if (ReadBeforeCustomSettings.Contains(setting.Key, StringComparer.OrdinalIgnoreCase))
                {
                    throw new BadInputException(
                        $"{blob.SourceFile}: key 'customSettings.{setting.Key}' is one of the Service Console's own settings ({string.Join(", ", ReadBeforeCustomSettings)}), "
                        + "which the console never reads as a custom runtime setting; remove it (the agent sets RuntimePortNumber and ServerPortNumber from app.runtimePort and app.adminPort, and JavaPath from the model's Java)");
                }
            }
        }

        /// <summary>Brings the document to the blob's settings.</summary>
        /// <param name="javaPath">the folder of the app's Java, or null when unknown (file work only, or no model yet): JavaPath is then left as found.</param>
        /// <param name="managedBefore">the custom settings the agent wrote on earlier runs; one the blob no longer has is removed.</param>
        public static SettingsLayoutResult Apply(SettingsYamlDocument document, NodeSettings blob, string? javaPath, IReadOnlyCollection<string> managedBefore, string file)
        {
            var changes = new List<SettingsChange>();
            var root = document.Root;
            var managed = new HashSet<string>(managedBefore, StringComparer.Ordinal);

            EnsureVersion(root, file, changes);
            RemoveEarlierLayout(root, managed, changes);
            EnsureManualStartMode(root, changes);

            var database = Section(root, DatabaseSection, file, changes);
            foreach (var setting in blob.RuntimeSettings)
            {
                SetString(database, DatabaseSection, setting.Key, setting.Value, changes);
            }

            // An app that signs in with its identity has no user and no password: the console would pass them to the runtime.
            foreach (var key in NodeSettingsBlobReader.RuntimeSettingKeys.Except(blob.RuntimeSettings.Select(s => s.Key)))
            {
                Remove(database, DatabaseSection, key, changes);
            }

            var runtime = Section(root, RuntimeSection, file, changes);
            SetInteger(runtime, RuntimeSection, RuntimePortKey, blob.App.RuntimePort, changes);
            SetInteger(runtime, RuntimeSection, AdminPortKey, blob.App.AdminPort, changes);
            SetString(runtime, RuntimeSection, ApplicationRootUrlKey, blob.App.ApplicationRootUrl, changes);
            if (javaPath != null)
            {
                SetString(runtime, RuntimeSection, JavaPathKey, javaPath, changes);
            }

            var vmArgumentsKey = new YamlScalarNode(VmArgumentsKey);
            var vmArguments = runtime.Children.TryGetValue(vmArgumentsKey, out var currentArguments) ? TextOf(currentArguments) : null;
            var wantedArguments = JvmArguments.WithClientId(vmArguments, blob.App.IdentityClientId);
            if (wantedArguments == null)
            {
                Remove(runtime, RuntimeSection, VmArgumentsKey, changes);
            }
            else
            {
                SetString(runtime, RuntimeSection, VmArgumentsKey, wantedArguments, changes);
            }

            var wanted = new HashSet<string>(blob.CustomSettings.Select(s => s.Key), StringComparer.Ordinal);
            foreach (var setting in blob.CustomSettings)
            {
                SetString(runtime, RuntimeSection, setting.Key, setting.Value, changes);
            }

            foreach (var key in managed.Where(k => !wanted.Contains(k)).OrderBy(k => k, StringComparer.Ordinal))
            {
                var keyNode = new YamlScalarNode(key);
                if (!ConsoleRuntimeKeys.Contains(key) && runtime.Children.TryGetValue(keyNode, out var old))
                {
                    changes.Add(new SettingsChange(RuntimeSection + "." + key, SettingsChangeKind.Removed, TextOf(old), null));
                    runtime.Children.Remove(keyNode);
                }
            }

            return new SettingsLayoutResult(changes, blob.CustomSettings.Select(s => s.Key).ToList());
        }

        private static void EnsureVersion(YamlMappingNode root, string file, List<SettingsChange> changes)
        {
            var keyNode = new YamlScalarNode(VersionKey);
            if (root.Children.TryGetValue(keyNode, out var existing))
            {
                if (existing is YamlScalarNode scalar && scalar.Value == Version)
                {
                    return;
                }

                throw new AgentFailureException(
                    $"{file}: the existing Settings.yaml has Version '{TextOf(existing)}', but the agent writes the layout of Version {Version} "
                    + "(Service Console 4.7.x); it was left untouched: check which layout the installed Service Console reads");
            }

            changes.Add(new SettingsChange(VersionKey, SettingsChangeKind.Added, null, Version));
            root.Children.Insert(0, keyNode, new YamlScalarNode(Version) { Style = ScalarStyle.Plain });
        }

        /// <summary>An app the console created before the agent chose Manual keeps StartMode AUTOMATIC in its Service section.</summary>
        private static void EnsureManualStartMode(YamlMappingNode root, List<SettingsChange> changes)
        {
            if (!(root.Children.TryGetValue(new YamlScalarNode(ServiceSection), out var node) && node is YamlMappingNode service))
            {
                return;
            }

            var key = new YamlScalarNode(StartModeKey);
            var current = service.Children.TryGetValue(key, out var existing) ? TextOf(existing) : null;
            if (string.Equals(current, ManualStartMode, StringComparison.OrdinalIgnoreCase))
            {
                return;
            }

            changes.Add(new SettingsChange(ServiceSection + "." + StartModeKey, current == null ? SettingsChangeKind.Added : SettingsChangeKind.Changed, current, ManualStartMode));
            service.Children[key] = new YamlScalarNode(ManualStartMode);
        }

        private static void RemoveEarlierLayout(YamlMappingNode root, HashSet<string> managed, List<SettingsChange> changes)
        {
            var customKey = new YamlScalarNode(EarlierCustomSettingsKey);
            if (root.Children.TryGetValue(customKey, out var custom))
            {
                if (custom is YamlMappingNode mapping)
                {
                    foreach (var entry in mapping.Children)
                    {
                        managed.Add(TextOf(entry.Key) ?? string.Empty);
                    }
                }

                changes.Add(new SettingsChange(EarlierCustomSettingsKey, SettingsChangeKind.Removed, "(the agent's earlier layout, never read by the console)", null));
                root.Children.Remove(customKey);
            }

            foreach (var key in EarlierLayoutKeys)
            {
                var keyNode = new YamlScalarNode(key);
                if (root.Children.TryGetValue(keyNode, out var old))
                {
                    changes.Add(new SettingsChange(key, SettingsChangeKind.Removed, TextOf(old), null));
                    root.Children.Remove(keyNode);
                }
            }
        }

        /// <summary>The section's mapping, created when missing; a section that is neither a mapping nor empty stops the run.</summary>
        private static YamlMappingNode Section(YamlMappingNode root, string name, string file, List<SettingsChange> changes)
        {
            var keyNode = new YamlScalarNode(name);
            if (root.Children.TryGetValue(keyNode, out var existing))
            {
                if (existing is YamlMappingNode mapping)
                {
                    if (mapping.Style == YamlDotNet.Core.Events.MappingStyle.Flow)
                    {
                        mapping.Style = YamlDotNet.Core.Events.MappingStyle.Block;
                    }

                    return mapping;
                }

                if (!(existing is YamlScalarNode scalar && YamlScalarType.KindOf(scalar) == YamlScalarKind.Null))
                {
                    throw new AgentFailureException($"{file}: the existing Settings.yaml's '{name}' is not a mapping; it was left untouched, fix or remove it");
                }
            }

            var created = new YamlMappingNode();
            root.Children[keyNode] = created;
            return created;
        }

        private static void SetInteger(YamlMappingNode section, string sectionName, string key, int value, List<SettingsChange> changes)
        {
            var text = value.ToString(CultureInfo.InvariantCulture);
            var keyNode = new YamlScalarNode(key);
            if (section.Children.TryGetValue(keyNode, out var existing))
            {
                if (existing is YamlScalarNode scalar && scalar.Value == text && YamlScalarType.KindOf(scalar) == YamlScalarKind.Integer)
                {
                    return;
                }

                changes.Add(new SettingsChange(sectionName + "." + key, SettingsChangeKind.Changed, TextOf(existing), text));
            }
            else
            {
                changes.Add(new SettingsChange(sectionName + "." + key, SettingsChangeKind.Added, null, text));
            }

            section.Children[keyNode] = new YamlScalarNode(text) { Style = ScalarStyle.Plain };
        }

        private static void SetString(YamlMappingNode section, string sectionName, string key, string value, List<SettingsChange> changes)
        {
            var keyNode = new YamlScalarNode(key);
            if (section.Children.TryGetValue(keyNode, out var existing))
            {
                if (existing is YamlScalarNode scalar && scalar.Value == value && YamlScalarType.KindOf(scalar) == YamlScalarKind.String)
                {
                    return;
                }

                changes.Add(new SettingsChange(sectionName + "." + key, SettingsChangeKind.Changed, TextOf(existing), value));
            }
            else
            {
                changes.Add(new SettingsChange(sectionName + "." + key, SettingsChangeKind.Added, null, value));
            }

            section.Children[keyNode] = StringScalar(value);
        }

        private static void Remove(YamlMappingNode section, string sectionName, string key, List<SettingsChange> changes)
        {
            var keyNode = new YamlScalarNode(key);
            if (section.Children.TryGetValue(keyNode, out var old))
            {
                changes.Add(new SettingsChange(sectionName + "." + key, SettingsChangeKind.Removed, TextOf(old), null));
                section.Children.Remove(keyNode);
            }
        }

        private static string? TextOf(YamlNode? node) => node is YamlScalarNode scalar ? scalar.Value : "(" + node?.NodeType.ToString().ToLowerInvariant() + ")";

        /// <summary>A scalar that reads back as the same string: quoted when plain text would mean a number, boolean or null.</summary>
        private static YamlScalarNode StringScalar(string value)
        {
            var style = YamlScalarType.KindOfPlain(value) == YamlScalarKind.String ? ScalarStyle.Any : ScalarStyle.SingleQuoted;
            return new YamlScalarNode(value) { Style = style };
        }
    }

    /// <summary>What applying the layout changed, and the custom settings the agent now manages.</summary>
    internal sealed class SettingsLayoutResult
    {
        public SettingsLayoutResult(IReadOnlyList<SettingsChange> changes, IReadOnlyList<string> managedCustomSettings)
        {
            Changes = changes;
            ManagedCustomSettings = managedCustomSettings;
        }

        public IReadOnlyList<SettingsChange> Changes { get; }

        public IReadOnlyList<string> ManagedCustomSettings { get; }
    }
}
