using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using YamlDotNet.RepresentationModel;

namespace MendixNodeAgent.Tests.Emulators
{
    /// <summary>What the Service Console makes of an app's Settings.yaml.</summary>
    public sealed class ConsoleSettings
    {
        public string? DatabaseType { get; set; }
        public string? DatabaseHost { get; set; }
        public string? DatabaseName { get; set; }
        public string? DatabaseUserName { get; set; }
        public string? DatabasePassword { get; set; }
        public bool DatabaseUseIntegratedSecurity { get; set; }
        public int RuntimePort { get; set; }
        public int AdminPort { get; set; }

        /// <summary>Runtime.JavaPath, or null: the console then looks for Java itself (for Mendix 8 and later only Java 11).</summary>
        public string? JavaPath { get; set; }

        /// <summary>Runtime.OtherVMArguments: appended to the java command line as they are.</summary>
        public string? OtherVMArguments { get; set; }
        public string? ServiceUserName { get; set; }

        /// <summary>Service.ServiceName: the app's name in the cmdlets (App.Name) and its Windows service's name.</summary>
        public string? ServiceName { get; set; }

        /// <summary>Service.StartMode, parsed as the console's Settings.ServiceStartMode (Automatic when missing).</summary>
        public string StartMode { get; set; } = "Automatic";

        /// <summary>Runtime.ApplicationRootUrl, one of the console's own keys, passed to the runtime when set.</summary>
        public string? ApplicationRootUrl { get; set; }
        public string? QualifiedSlotId { get; set; }

        /// <summary>The Custom Mendix Settings, in file order.</summary>
        public List<KeyValuePair<string, string?>> CustomRuntimeSettings { get; } = new List<KeyValuePair<string, string?>>();

        public Dictionary<string, string?> Custom => CustomRuntimeSettings.ToDictionary(s => s.Key, s => s.Value);

        /// <summary>
        /// The database settings the console sends the runtime (Service Console 4.7.1 binaries,
        /// RuntimeRunner.GetCommonRuntimeSettings): DatabaseType, DatabaseHost, DatabaseName, and for SQLSERVER
        /// DatabaseUseIntegratedSecurity; DatabaseUserName only when set, DatabasePassword only when not empty.
        /// </summary>
        public Dictionary<string, string> DatabaseSettingsSent()
        {
            var sent = new Dictionary<string, string>(StringComparer.Ordinal);
            void Send(string key, string? value)
            {
                if (value != null)
                {
                    sent[key] = value;
                }
            }

            Send("DatabaseType", DatabaseType);
            Send("DatabaseHost", DatabaseHost);
            Send("DatabaseName", DatabaseName);
            if (DatabaseType == "SQLSERVER")
            {
                sent["DatabaseUseIntegratedSecurity"] = DatabaseUseIntegratedSecurity ? "true" : "false";
            }

            Send("DatabaseUserName", DatabaseUserName);
            Send("DatabasePassword", string.IsNullOrEmpty(DatabasePassword) ? null : DatabasePassword);
            return sent;
        }
    }

    /// <summary>
    /// An emulator of the Mendix Service Console's reader of Settings.yaml, written from Mendix.M2EE.dll of Service Console
    /// 4.7.1 (class Mendix.M2EE.Settings, methods LoadYamlMapping and LoadSettings, and its base class's GetStringValue,
    /// GetIntValue and GetBooleanValue; the MSI "bin/Mendix Service Console 4.7.1 Setup.msi" of the public repository
    /// mendix-pea-repos/deploy-vm-windows-quickstart) and the facts sheet "Mendix on Windows". What it does, as the console:
    /// - a file with more than one document, or whose root is not a mapping, throws ("No valid configuration file.");
    /// - unless the top-level Version is the string 1.0.0 nothing is read: every setting keeps its default;
    /// - Service, Runtime, Database and Jetty are read when present, each a mapping (anything else throws: a cast);
    ///   strings are a scalar's text (anything but a scalar throws: a cast), integers int.Parse of it, booleans bool.Parse of
    ///   it, Service.StartMode Enum.Parse (ignoring case) of ServiceStartMode {Automatic, DelayedAutomatic, Manual, Disabled};
    ///   RuntimeListenAddresses and AdminListenAddresses may be a scalar or a sequence;
    /// - reading from a path (Settings.GetInstance), a file that is read also has Project\model\metadata.json parsed when it
    ///   exists (the model's constants), so a broken one throws;
    /// - RuntimePortNumber and ServerPortNumber default to 8080 and 8090 when missing (or 0);
    /// - every key under Runtime that was not read before (by the keys read in Version, QSlotId, Service, Runtime's own keys,
    ///   Database, in that order: one set for the whole file) is a custom runtime setting, its value a scalar's text;
    /// - every other top-level key is kept but never read.
    /// What it hands the runtime: <see cref="ConsoleSettings.DatabaseSettingsSent"/>, and OtherVMArguments on the java command line.
    /// Not emulated: Logging, Custom (the model's constants), Jetty's values, encryption of passwords, saving.
    /// </summary>
    public static class ServiceConsoleSettingsReader
    {
        private const string SettingsVersion = "1.0.0";

        /// <returns>the settings the console sees; null when it ignores the file (no Version 1.0.0).</returns>
        public static ConsoleSettings? Read(string path)
        {
            var settings = ReadText(File.ReadAllText(path));
            var metadata = Path.Combine(Path.GetDirectoryName(path)!, "Project", "model", "metadata.json");
            if (settings != null && File.Exists(metadata))
            {
                using (System.Text.Json.JsonDocument.Parse(File.ReadAllText(metadata)))
                {
                }
            }

            return settings;
        }

        public static ConsoleSettings? ReadText(string text)
        {
            var stream = new YamlStream();
            using (var reader = new StringReader(text))
            {
                stream.Load(reader);
            }

            if (stream.Documents.Count == 0)
            {
                return null;
            }

            if (stream.Documents.Count > 1 || !(stream.Documents[0].RootNode is YamlMappingNode root))
            {
                throw new InvalidOperationException("No valid configuration file.");
            }

            var read = new HashSet<string>(StringComparer.Ordinal);
            var version = StringValue(root, "Version", read);
            if (version == null || version != SettingsVersion)
            {
                return null;
            }

            var settings = new ConsoleSettings { QualifiedSlotId = StringValue(root, "QSlotId", read) };
            if (root.Children.ContainsKey(new YamlScalarNode("Service")))
            {
                var service = Mapping(root, "Service");
                foreach (var key in new[] { "Account", "Password", "DisplayName", "Description" })
                {
                    StringValue(service, key, read);
                }

                settings.ServiceUserName = StringValue(service, "UserName", read);
                settings.ServiceName = StringValue(service, "ServiceName", read);
                var startMode = StringValue(service, "StartMode", read);
                if (startMode != null)
                {
                    settings.StartMode = Enum.Parse<Mendix.M2EE.Settings.ServiceStartMode>(startMode, ignoreCase: true).ToString();
                }
            }

            var hasRuntime = root.Children.ContainsKey(new YamlScalarNode("Runtime"));
            if (hasRuntime)
            {
                var runtime = Mapping(root, "Runtime");
                settings.JavaPath = StringValue(runtime, "JavaPath", read);
                foreach (var key in new[] { "ProjectPath", "LogPath", "BackupPath", "UploadedFilesPath", "TempPath", "OtherVMArguments", "ServerPassword", "ScheduledEventExecution", "MendixPath", "DTAPMode" })
                {
                    StringValue(runtime, key, read);
                }

                settings.ApplicationRootUrl = StringValue(runtime, "ApplicationRootUrl", read);
                foreach (var key in new[] { "RuntimeListenAddresses", "AdminListenAddresses" })
                {
                    read.Add(key);
                    if (runtime.Children.TryGetValue(new YamlScalarNode(key), out var addresses) && addresses is YamlSequenceNode list)
                    {
                        foreach (var address in list.Children)
                        {
                            _ = ((YamlScalarNode)address).Value;
                        }
                    }
                }

                settings.OtherVMArguments = runtime.Children.TryGetValue(new YamlScalarNode("OtherVMArguments"), out var vmArguments) ? ((YamlScalarNode)vmArguments).Value : null;

                IntValue(runtime, "MaxJavaHeapSize", read);
                settings.RuntimePort = IntValue(runtime, "RuntimePortNumber", read);
                settings.AdminPort = IntValue(runtime, "ServerPortNumber", read);
            }

            if (settings.RuntimePort == 0)
            {
                settings.RuntimePort = 8080;
            }

            if (settings.AdminPort == 0)
            {
                settings.AdminPort = 8090;
            }

            if (root.Children.ContainsKey(new YamlScalarNode("Database")))
            {
                var database = Mapping(root, "Database");
                settings.DatabaseType = StringValue(database, "DatabaseType", read);
                if (settings.DatabaseType == "SQLSERVER2005")
                {
                    settings.DatabaseType = "SQLSERVER";
                }

                settings.DatabaseHost = StringValue(database, "DatabaseHost", read);
                settings.DatabaseName = StringValue(database, "DatabaseName", read);
                settings.DatabaseUserName = StringValue(database, "DatabaseUserName", read);
                settings.DatabasePassword = StringValue(database, "DatabasePassword", read);
                settings.DatabaseUseIntegratedSecurity = BooleanValue(database, "DatabaseUseIntegratedSecurity", read);
            }

            if (hasRuntime)
            {
                foreach (var entry in Mapping(root, "Runtime").Children)
                {
                    var key = ((YamlScalarNode)entry.Key).Value!;
                    if (!read.Contains(key))
                    {
                        settings.CustomRuntimeSettings.Add(new KeyValuePair<string, string?>(key, ((YamlScalarNode)entry.Value).Value));
                    }
                }
            }

            return settings;
        }

        private static YamlMappingNode Mapping(YamlMappingNode parent, string key) => (YamlMappingNode)parent.Children[new YamlScalarNode(key)];

        private static string? StringValue(YamlMappingNode mapping, string key, HashSet<string> read)
        {
            read.Add(key);
            return mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value : null;
        }

        private static int IntValue(YamlMappingNode mapping, string key, HashSet<string> read)
        {
            read.Add(key);
            return mapping.Children.TryGetValue(new YamlScalarNode(key), out var value)
                ? int.Parse(((YamlScalarNode)value).Value!, CultureInfo.CurrentCulture)
                : 0;
        }

        private static bool BooleanValue(YamlMappingNode mapping, string key, HashSet<string> read)
        {
            read.Add(key);
            return mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) && bool.Parse(((YamlScalarNode)value).Value!);
        }
    }
}
