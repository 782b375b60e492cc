using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MendixNodeAgent.Blob;
using MendixNodeAgent.Cli;
using MendixNodeAgent.Iis;
using MendixNodeAgent.KeyVault;
using MendixNodeAgent.Logging;
using MendixNodeAgent.Model;
using MendixNodeAgent.Node;
using MendixNodeAgent.Prerequisites;
using MendixNodeAgent.Rollout;
using MendixNodeAgent.Settings;
using MendixNodeAgent.Windows;

namespace MendixNodeAgent
{
    /// <summary>
    /// The 'apply' command, in this order: validate every blob and MDA, read Key Vault, data disk,
    /// prerequisites, then per app the Service Console, Settings.yaml and the model, then the IIS sites, and last the
    /// readiness gate; the node is drained before its first stop and each database waited for before its app starts.
    /// </summary>
    internal sealed class ApplyCommand
    {
        private readonly AgentLog log;
        private readonly Func<NodeSystem> nodeSystem;
        private readonly Func<DateTime> clock;

        public ApplyCommand(AgentLog log, Func<NodeSystem> nodeSystem, Func<DateTime> clock)
        {
            this.log = log;
            this.nodeSystem = nodeSystem;
            this.clock = clock;
        }

        /// <param name="workingDirectory">What relative paths in the blobs are resolved against: the extension's download folder.</param>
        public void Execute(ApplyOptions options, string workingDirectory)
        {
            // 1. Every blob and every MDA is validated before anything on the machine is touched.
            IReadOnlyList<NodeSettings> blobs = options.SettingsFiles.Select(NodeSettingsBlobReader.Read).ToList();
            RunConsistency.Check(blobs);
            foreach (var blob in blobs)
            {
                SettingsYamlLayout.CheckCustomSettings(blob);
            }

            var references = KeyVaultReferences.In(blobs);
            var settingsWriter = new AppSettingsWriter(log, new SettingsFileWriter(clock));
            var system = options.NoSystem
                ? (INodeSystem)new FilesOnlySystem(settingsWriter, options.TestSecretsFile == null ? null : TestSecretsFile.Read(options.TestSecretsFile), log)
                : new WindowsNodeSystem(nodeSystem(), log, settingsWriter, clock);
            var models = VerifyModels(blobs, workingDirectory);

            foreach (var secret in SecretValues(blobs))
            {
                log.RegisterSecretValue(secret);
            }

            var node = blobs[0].Node;
            var appsRoot = options.AppsRootOverride ?? node.AppsRoot;
            // An apps root the drain rule cannot name is refused before anything is touched.
            DrainMarker.PathIn(appsRoot);
            log.Info($"node {node.Name} ({(node.Leader ? "leader" : "follower")}), apps {string.Join(", ", blobs.Select(b => b.AppName))}, apps root {appsRoot}" + system.ModeNote);
            foreach (var model in models)
            {
                log.Info($"app '{model.Key}': model {model.Value.Path} verified (SHA-256 {model.Value.Sha256}, Mendix {model.Value.RuntimeVersion}, Java {model.Value.JavaMajor})");
            }

            // Still step 1: the blobs belong to this machine, and every secret is read before the disk or any file is touched.
            blobs = system.Admit(blobs, references);

            // 2. The data disk that holds the apps root.
            var changes = system.EnsureDataDisk(node);

            log.AttachFile(AppFolders.AgentLogFile(appsRoot));
            using (system.LockNode(appsRoot))
            {
                // What a regional failover told the node holds over the blobs' word on whether its region serves.
                changes += ApplyLocked(system, RunStateOverride.HeldByFailover(blobs, appsRoot, log), models, appsRoot);
            }

            log.Info(changes == 0 ? "done: nothing changed" : $"done: {changes} change(s) applied");
        }

        /// <summary>Steps 3 to 8, with the node to this run alone.</summary>
        private static int ApplyLocked(INodeSystem system, IReadOnlyList<NodeSettings> blobs, IReadOnlyDictionary<string, MdaPackage> models, string appsRoot)
        {
            var changes = 0;
            var rollout = system.CreateRollout(blobs, appsRoot);
            rollout?.RemoveLeftoverMarker();
            var finished = false;
            try
            {
                // 3. What the node needs installed and configured before any app.
                var prerequisites = system.EnsurePrerequisites(blobs[0].Prerequisites, JavaNeeded(blobs, models, appsRoot), appsRoot);
                changes += prerequisites.Changes;

                // 4 and 5. Each app: the Service Console, its Settings.yaml, its model (or a restart); the node drained
                // before the first stop, each database waited for before its app starts.
                foreach (var blob in blobs)
                {
                    models.TryGetValue(blob.AppName, out var mda);
                    changes += system.ApplyApp(blob, appsRoot, mda, prerequisites.JavaFolderFor(JavaMajorOf(blob, models, appsRoot)));
                }

                // 6. The IIS sites in front of the runtimes.
                changes += system.EnsureSites(blobs, appsRoot);

                // 7. The readiness gate: the run ends once the load balancer has the node back.
                rollout?.Finish();
                finished = true;
            }
            finally
            {
                if (!finished)
                {
                    rollout?.AfterFailure();
                }
            }

            // 8. What this completed run left each app as: the boot task brings the node back to it after a restart.
            return changes + system.RecordCompleted(blobs, appsRoot);
        }

        /// <summary>Every blob's MDA, checked (exit 2 on any problem); in install mode its Java must have an installer.</summary>
        private static Dictionary<string, MdaPackage> VerifyModels(IReadOnlyList<NodeSettings> blobs, string workingDirectory)
        {
            var models = new Dictionary<string, MdaPackage>(StringComparer.Ordinal);
            foreach (var blob in blobs)
            {
                if (blob.App.Model == null)
                {
                    continue;
                }

                var mda = MdaPackage.Verify(blob, blob.App.Model, workingDirectory);
                if (blob.Prerequisites is InstallPrerequisites install && !install.Installers.Java.ContainsKey(mda.JavaMajor))
                {
                    throw new BadInputException(
                        $"{blob.SourceFile}: key 'prerequisites.installers.java' has installers for Java {string.Join(", ", install.Installers.Java.Keys)}, "
                        + $"but the model {blob.App.Model.File} (Mendix {mda.RuntimeVersion}) runs on Java {mda.JavaMajor}; add a \"{mda.JavaMajor}\" installer");
                }

                models.Add(blob.AppName, mda);
            }

            return models;
        }

        /// <summary>The Java of each app: its new model's, or else the one it was last deployed with.</summary>
        private static IReadOnlyDictionary<int, string> JavaNeeded(IReadOnlyList<NodeSettings> blobs, IReadOnlyDictionary<string, MdaPackage> models, string appsRoot)
        {
            var needed = new SortedDictionary<int, string>();
            foreach (var blob in blobs)
            {
                var major = JavaMajorOf(blob, models, appsRoot);
                if (major != null)
                {
                    needed[major.Value] = needed.TryGetValue(major.Value, out var apps) ? apps + ", app '" + blob.AppName + "'" : "app '" + blob.AppName + "'";
                }
            }

            return needed;
        }

        /// <summary>The Java major of the app: its new model's, or else the one it was last deployed with; null when it has none.</summary>
        private static int? JavaMajorOf(NodeSettings blob, IReadOnlyDictionary<string, MdaPackage> models, string appsRoot) =>
            models.TryGetValue(blob.AppName, out var mda)
                ? mda.JavaMajor
                : DeployedModelState.Read(AppFolders.DeployedModelFile(appsRoot, blob.AppName))?.JavaMajor;

        private static IEnumerable<string> SecretValues(IEnumerable<NodeSettings> blobs) =>
            blobs.SelectMany(blob => blob.RuntimeSettings.Concat(blob.CustomSettings))
                .Where(setting => SecretPolicy.IsSecretKey(setting.Key) && !KeyVaultReference.LooksLikeReference(setting.Value))
                .Select(setting => setting.Value);
    }
}
