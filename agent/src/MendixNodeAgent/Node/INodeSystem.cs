using System.Collections.Generic;
using MendixNodeAgent.Blob;
using MendixNodeAgent.KeyVault;
using MendixNodeAgent.Model;
using MendixNodeAgent.Prerequisites;
using MendixNodeAgent.Rollout;

namespace MendixNodeAgent.Node
{
    /// <summary>
    /// What 'apply' does beyond validating its input, step by step: on a real node (<see cref="WindowsNodeSystem"/>) or as
    /// file work only (<see cref="FilesOnlySystem"/>, --no-system).
    /// </summary>
    internal interface INodeSystem
    {
        /// <summary>Said in the first log line, or empty.</summary>
        string ModeNote { get; }

        /// <summary>Still part of validation: the blobs belong here, and their Key Vault references are read (nothing on the node is touched).</summary>
        IReadOnlyList<NodeSettings> Admit(IReadOnlyList<NodeSettings> blobs, IReadOnlyList<ReferencedSetting> references);

        /// <returns>the number of changes made.</returns>
        int EnsureDataDisk(NodeIdentity node);

        /// <summary>The rollout's drain, database wait and readiness gate around the apps' stops and starts; null without a node.</summary>
        NodeRollout? CreateRollout(IReadOnlyList<NodeSettings> blobs, string appsRoot);

        PrerequisiteOutcome EnsurePrerequisites(PrerequisitesSpec spec, IReadOnlyDictionary<int, string> javaMajors, string appsRoot);

        /// <param name="javaPath">the folder of the app's Java, or null when not known.</param>
        /// <returns>the number of changes made.</returns>
        int ApplyApp(NodeSettings blob, string appsRoot, MdaPackage? mda, string? javaPath);

        /// <returns>the number of changes made.</returns>
        int EnsureSites(IReadOnlyList<NodeSettings> blobs, string appsRoot);

        /// <summary>Once the data disk is there: one agent run at a time on the node (<see cref="NodeLock"/>); null without a node.</summary>
        System.IDisposable? LockNode(string appsRoot);

        /// <summary>After a run that completed: what it left each app as, for the boot task, which it makes sure of.</summary>
        /// <returns>the number of changes made.</returns>
        int RecordCompleted(IReadOnlyList<NodeSettings> blobs, string appsRoot);
    }
}
