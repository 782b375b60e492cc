using System.Collections.Generic;

namespace MendixNodeAgent.Blob
{
    /// <summary>One validated node settings blob (schema version 3, docs/node-settings-blob.md).</summary>
    internal sealed class NodeSettings
    {
        public NodeSettings(string sourceFile, NodeIdentity node, AppSpec app,
            IReadOnlyList<KeyValuePair<string, string>> runtimeSettings,
            IReadOnlyList<KeyValuePair<string, string>> customSettings,
            PrerequisitesSpec prerequisites,
            SiteSpec site,
            RolloutSpec rollout,
            StandbySpec? standby)
        {
            Standby = standby;
            SourceFile = sourceFile;
            Node = node;
            App = app;
            RuntimeSettings = runtimeSettings;
            CustomSettings = customSettings;
            Prerequisites = prerequisites;
            Site = site;
            Rollout = rollout;
        }

        public string SourceFile { get; }

        public NodeIdentity Node { get; }

        public AppSpec App { get; }

        public string AppName => App.Name;

        /// <summary>The five database settings, in the order the contract lists them.</summary>
        public IReadOnlyList<KeyValuePair<string, string>> RuntimeSettings { get; }

        /// <summary>The Custom Mendix Settings, in blob order.</summary>
        public IReadOnlyList<KeyValuePair<string, string>> CustomSettings { get; }

        /// <summary>What the node needs installed; the same in every blob of one run.</summary>
        public PrerequisitesSpec Prerequisites { get; }

        /// <summary>How IIS serves the app; the same in every blob of one run.</summary>
        public SiteSpec Site { get; }

        /// <summary>The load balancer's probe and the rollout's waits; the same in every blob of one run.</summary>
        public RolloutSpec Rollout { get; }

        /// <summary>Present on a standby region's node: whether that region serves.</summary>
        public StandbySpec? Standby { get; }

        /// <summary>Whether this node must keep its apps stopped: a standby region's node while the region does not serve.</summary>
        public bool StandsBy => Standby != null && !Standby.Serving;

        /// <summary>The same blob, its node told by a regional failover whether its region serves.</summary>
        public NodeSettings WithRegionServing(bool serving) =>
            new NodeSettings(SourceFile, Node, App, RuntimeSettings, CustomSettings, Prerequisites, Site, Rollout, StandbySpec.Told(serving));

        /// <summary>The same blob with other setting values (Key Vault references replaced by the secrets).</summary>
        public NodeSettings WithSettings(IReadOnlyList<KeyValuePair<string, string>> runtimeSettings, IReadOnlyList<KeyValuePair<string, string>> customSettings) =>
            new NodeSettings(SourceFile, Node, App, runtimeSettings, customSettings, Prerequisites, Site, Rollout, Standby);
    }

    internal sealed class NodeIdentity
    {
        public NodeIdentity(string name, int index, string computerName, bool leader, int dataDiskLun, char driveLetter, string appsRoot, string identityClientId)
        {
            IdentityClientId = identityClientId;
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

        /// <summary>The client id of the node's user-assigned managed identity: the agent's tokens are this identity's.</summary>
        public string IdentityClientId { get; }
    }
}
