using System;
using System.Collections.Generic;
using System.IO;
using MendixNodeAgent.Blob;
using MendixNodeAgent.Iis;
using MendixNodeAgent.KeyVault;
using MendixNodeAgent.Logging;
using MendixNodeAgent.Model;
using MendixNodeAgent.Prerequisites;
using MendixNodeAgent.Rollout;
using MendixNodeAgent.Settings;
using MendixNodeAgent.Windows;

namespace MendixNodeAgent.Node
{
    /// <summary>A real node: the machine's parts (<see cref="NodeSystem"/>) driven step by step.</summary>
    internal sealed class WindowsNodeSystem : INodeSystem
    {
        private readonly NodeSystem machine;
        private readonly AgentLog log;
        private readonly AppSettingsWriter settings;
        private readonly Func<DateTime> clock;
        private byte[]? certificatePfx;
        private NodeRollout? rollout;
        private IReadOnlyDictionary<string, string> overridesAtStart = new Dictionary<string, string>();

        public WindowsNodeSystem(NodeSystem machine, AgentLog log, AppSettingsWriter settings, Func<DateTime> clock)
        {
            this.machine = machine;
            this.log = log;
            this.settings = settings;
            this.clock = clock;
        }

        public string ModeNote => string.Empty;

        public IReadOnlyList<NodeSettings> Admit(IReadOnlyList<NodeSettings> blobs, IReadOnlyList<ReferencedSetting> references)
        {
            var node = blobs[0].Node;
            if (!string.Equals(machine.ComputerName, node.ComputerName, StringComparison.OrdinalIgnoreCase))
            {
                throw new BadInputException(
                    $"{blobs[0].SourceFile}: key 'node.computerName' has value '{node.ComputerName}', but this machine is '{machine.ComputerName}'; the blob must be the one for this node");
            }

            // Every secret is read before the disk or any file is touched.
            var resolved = references.Count > 0 ? KeyVaultReferences.Resolve(blobs, machine.KeyVault, log) : blobs;
            certificatePfx = resolved[0].Site.CertificateSource == CertificateSource.KeyVault ? SiteCertificateReader.Read(resolved[0], machine.KeyVault, log) : null;
            return resolved;
        }

        public int EnsureDataDisk(NodeIdentity node) =>
            new DataDiskProvisioner(machine.DataDisk, log).Ensure(node.DataDiskLun, node.DriveLetter) ? 1 : 0;

        public NodeRollout? CreateRollout(IReadOnlyList<NodeSettings> blobs, string appsRoot) =>
            rollout = new NodeRollout(blobs, appsRoot, machine.Health, machine.DatabaseProbe, machine.FilesProbe, machine.JavaProcesses, machine.Clock, log);

        public PrerequisiteOutcome EnsurePrerequisites(PrerequisitesSpec spec, IReadOnlyDictionary<int, string> javaMajors, string appsRoot) =>
            new PrerequisiteInstaller(machine.Prerequisites, machine.Downloader, log).Ensure(spec, javaMajors, appsRoot);

        public int ApplyApp(NodeSettings blob, string appsRoot, MdaPackage? mda, string? javaPath)
        {
            var lifecycle = rollout ?? throw new InvalidOperationException("the rollout is created before any app is applied");
            var accounts = new ServiceAccountProvisioner(machine.ServiceAccounts, log);
            return new AppApplier(log, settings, machine.ServiceConsole, machine.Downloader, accounts, clock, lifecycle).Apply(blob, appsRoot, mda, javaPath);
        }

        public int EnsureSites(IReadOnlyList<NodeSettings> blobs, string appsRoot) =>
            new SiteReconciler(machine.Iis, machine.Certificates, log).Ensure(blobs, appsRoot, machine.ComputerName, certificatePfx);

        /// <summary>Takes the node lock, then notes the run-state overrides there are: this run decides each app's state.</summary>
        public IDisposable? LockNode(string appsRoot)
        {
            var acquired = NodeLock.Acquire(appsRoot, machine.Clock, log);
            overridesAtStart = RunStateOverride.Snapshot(appsRoot);
            return acquired;
        }

        public int RecordCompleted(IReadOnlyList<NodeSettings> blobs, string appsRoot)
        {
            foreach (var blob in blobs)
            {
                var app = blob.AppName;
                var model = DeployedModelState.Read(AppFolders.DeployedModelFile(appsRoot, app))?.Sha256;
                var settingsFile = AppFolders.SettingsFile(appsRoot, app);
                // A standby region's node leaves its apps stopped until its region serves.
                var running = !blob.StandsBy && (model != null || File.Exists(AppFolders.ModelMetadataFile(appsRoot, app)));
                new CompletedApp(app, blob.Node.Leader, running,
                    model, Sha256File.Of(settingsFile), blob.Rollout.ReadyTimeoutSeconds).Write(appsRoot);
                foreach (var backup in SecretBackups.RemoveBeside(settingsFile))
                {
                    log.Info($"app '{app}': deleted {backup}: it held a secret Settings.yaml no longer holds (a password or key the app no longer uses)");
                }
            }

            log.Info($"boot task: recorded what this run left each app as in {CompletedApp.Folder(appsRoot)}");
            foreach (var app in RunStateOverride.RemoveSuperseded(overridesAtStart))
            {
                log.Info($"boot task: app '{app}': removed the run-state override a Run Command left before this run; the record of this run decides");
            }

            if (!machine.BootTask.Ensure(appsRoot))
            {
                log.Info($"boot task: '{WindowsBootTask.TaskName}' already runs {WindowsBootTask.BinFolder(appsRoot)}\\{WindowsBootTask.ExecutableName} at startup");
                return 0;
            }

            log.Info($"boot task: '{WindowsBootTask.TaskName}' runs {WindowsBootTask.BinFolder(appsRoot)}\\{WindowsBootTask.ExecutableName} {WindowsBootTask.ResumeArguments(appsRoot)} at every startup, as SYSTEM");
            return 1;
        }
    }
}
