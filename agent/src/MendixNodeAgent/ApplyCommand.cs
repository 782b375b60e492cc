using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MendixNodeAgent.Blob;
using MendixNodeAgent.Cli;
using MendixNodeAgent.KeyVault;
using MendixNodeAgent.Logging;
using MendixNodeAgent.Settings;
using MendixNodeAgent.Windows;

namespace MendixNodeAgent
{
    /// <summary>The 'apply' command: validate every blob, then disk, Settings.yaml and the apps, in that order.</summary>
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

        public void Execute(ApplyOptions options)
        {
            // 1. Every blob is validated before anything on the machine is touched.
            IReadOnlyList<NodeSettings> blobs = options.SettingsFiles.Select(NodeSettingsBlobReader.Read).ToList();
            RunConsistency.Check(blobs);
            var references = KeyVaultReferences.In(blobs);
            if (options.NoSystem && references.Count > 0)
            {
                var first = references[0];
                throw new BadInputException(
                    $"{first.Blob.SourceFile}: key '{first.Key}' is a Key Vault reference ({references.Count} in this run); references are resolved only on the node, "
                    + "with the VM's managed identity, and --no-system runs do not use it; run without --no-system on the node, or give blobs with the values themselves");
            }

            foreach (var secret in SecretValues(blobs))
            {
                log.RegisterSecretValue(secret);
            }

            var node = blobs[0].Node;
            var appsRoot = options.AppsRootOverride ?? node.AppsRoot;
            log.Info($"node {node.Name} ({(node.Leader ? "leader" : "follower")}), apps {string.Join(", ", blobs.Select(b => b.AppName))}, apps root {appsRoot}"
                + (options.NoSystem ? ", file work only (--no-system)" : string.Empty));

            NodeSystem? system = null;
            var changes = 0;
            if (!options.NoSystem)
            {
                system = nodeSystem();
                if (!string.Equals(system.ComputerName, node.ComputerName, StringComparison.OrdinalIgnoreCase))
                {
                    throw new BadInputException(
                        $"{blobs[0].SourceFile}: key 'node.computerName' has value '{node.ComputerName}', but this machine is '{system.ComputerName}'; the blob must be the one for this node");
                }

                // Still step 1: every referenced secret is read before the disk or any file is touched.
                if (references.Count > 0)
                {
                    blobs = KeyVaultReferences.Resolve(blobs, system.KeyVault, log);
                }

                // 2. The data disk that holds the apps root.
                if (new DataDiskProvisioner(system.DataDisk, log).Ensure(node.DataDiskLun, node.DriveLetter))
                {
                    changes++;
                }
            }

            log.AttachFile(AppFolders.AgentLogFile(appsRoot));

            // 3 and 4. Each app's Settings.yaml, then its state in the Service Console.
            var applier = new AppApplier(log, new SettingsFileWriter(clock), system?.ServiceConsole);
            foreach (var blob in blobs)
            {
                changes += applier.Apply(blob, appsRoot);
            }

            log.Info(changes == 0 ? "done: nothing changed" : $"done: {changes} change(s) applied");
        }

        private static IEnumerable<string> SecretValues(IEnumerable<NodeSettings> blobs) =>
            blobs.SelectMany(blob => blob.RuntimeSettings.Concat(blob.CustomSettings))
                .Where(setting => SecretPolicy.IsSecretKey(setting.Key) && !KeyVaultReference.LooksLikeReference(setting.Value))
                .Select(setting => setting.Value);
    }
}
