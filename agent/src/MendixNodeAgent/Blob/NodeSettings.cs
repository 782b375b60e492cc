using System.Collections.Generic;

namespace MendixNodeAgent.Blob
{
    /// <summary>One validated node settings blob (schema version 1, docs/node-settings-blob.md).</summary>
    internal sealed class NodeSettings
    {
        public NodeSettings(string sourceFile, NodeIdentity node, string appName,
            IReadOnlyList<KeyValuePair<string, string>> runtimeSettings,
            IReadOnlyList<KeyValuePair<string, string>> customSettings)
        {
            SourceFile = sourceFile;
            Node = node;
            AppName = appName;
            RuntimeSettings = runtimeSettings;
            CustomSettings = customSettings;
        }

        public string SourceFile { get; }

        public NodeIdentity Node { get; }

        public string AppName { get; }

        /// <summary>The five database settings, in the order the contract lists them.</summary>
        public IReadOnlyList<KeyValuePair<string, string>> RuntimeSettings { get; }

        /// <summary>The Custom Mendix Settings, in blob order.</summary>
        public IReadOnlyList<KeyValuePair<string, string>> CustomSettings { get; }

        /// <summary>The same blob with other setting values (Key Vault references replaced by the secrets).</summary>
        public NodeSettings WithSettings(IReadOnlyList<KeyValuePair<string, string>> runtimeSettings, IReadOnlyList<KeyValuePair<string, string>> customSettings) =>
            new NodeSettings(SourceFile, Node, AppName, runtimeSettings, customSettings);
    }

    internal sealed class NodeIdentity
    {
        public NodeIdentity(string name, int index, string computerName, bool leader, int dataDiskLun, char driveLetter, string appsRoot)
        {
            Name = name;
            Index = index;
            ComputerName = computerName;
            Leader = leader;
            DataDiskLun = dataDiskLun;
            DriveLetter = driveLetter;
            AppsRoot = appsRoot;
        }

        public string Name { get; }

        public int Index { get; }

        public string ComputerName { get; }

        public bool Leader { get; }

        public int DataDiskLun { get; }

        public char DriveLetter { get; }

        public string AppsRoot { get; }
    }
}
