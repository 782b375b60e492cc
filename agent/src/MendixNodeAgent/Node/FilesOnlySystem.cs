using System.Collections.Generic;
using MendixNodeAgent.Blob;
using MendixNodeAgent.KeyVault;
using MendixNodeAgent.Logging;
using MendixNodeAgent.Model;
using MendixNodeAgent.Prerequisites;
using MendixNodeAgent.Rollout;
using MendixNodeAgent.Settings;

namespace MendixNodeAgent.Node
{
    /// <summary>
    /// --no-system: file work only. Each app's Settings.yaml is written; no disk, prerequisites, Service Console, model
    /// deployment, IIS, computer-name check or Key Vault. Runs on any OS.
    /// </summary>
    internal sealed class FilesOnlySystem : INodeSystem
    {
        private readonly AppSettingsWriter settings;
        private readonly IKeyVaultClient? testSecrets;
        private readonly AgentLog log;

        /// <param name="testSecrets">the values of the blobs' Key Vault references, for tests (--test-secrets), or null.</param>
        public FilesOnlySystem(AppSettingsWriter settings, IKeyVaultClient? testSecrets, AgentLog log)
        {
            this.settings = settings;
            this.testSecrets = testSecrets;
            this.log = log;
        }

        public string ModeNote => ", file work only (--no-system)";

        public IReadOnlyList<NodeSettings> Admit(IReadOnlyList<NodeSettings> blobs, IReadOnlyList<ReferencedSetting> references)
        {
            if (references.Count > 0 && testSecrets != null)
            {
                return KeyVaultReferences.Resolve(blobs, testSecrets, log);
            }

            if (references.Count > 0)
            {
                var first = references[0];
                throw new BadInputException(
                    $"{first.Blob.SourceFile}: key '{first.Key}' is a Key Vault reference ({references.Count} in this run); references are resolved only on the node, "
                    + "with the VM's managed identity, and --no-system runs do not use it; run without --no-system on the node, or give blobs with the values themselves");
            }

            return blobs;
        }

        public int EnsureDataDisk(NodeIdentity node) => 0;

        public NodeRollout? CreateRollout(IReadOnlyList<NodeSettings> blobs, string appsRoot) => null;

        public PrerequisiteOutcome EnsurePrerequisites(PrerequisitesSpec spec, IReadOnlyDictionary<int, string> javaMajors, string appsRoot) =>
            PrerequisiteOutcome.NotInspected;

        public int ApplyApp(NodeSettings blob, string appsRoot, MdaPackage? mda, string? javaPath) =>
            settings.Write(blob, appsRoot, javaPath) == SettingsWrite.Unchanged ? 0 : 1;

        public int EnsureSites(IReadOnlyList<NodeSettings> blobs, string appsRoot) => 0;

        public System.IDisposable? LockNode(string appsRoot) => null;

        public int RecordCompleted(IReadOnlyList<NodeSettings> blobs, string appsRoot) => 0;
    }
}
