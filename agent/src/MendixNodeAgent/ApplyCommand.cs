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
            var references = KeyVaultReferences.In(blobs);
            if (options.NoSystem && references.Count > 0 && options.TestSecretsFile == null)
            {
                var first = references[0];
                throw new BadInputException(
                    $"{first.Blob.SourceFile}: key '{first.Key}' is a Key Vault reference ({references.Count} in this run); references are resolved only on the node, "
                    + "with the VM's managed identity, and --no-system runs do not use it; run without --no-system on the node, or give blobs with the values themselves");
            }

            if (options.NoSystem && options.TestSecretsFile != null)
            {
                blobs = KeyVaultReferences.Resolve(blobs, TestSecretsFile.Read(options.TestSecretsFile), log);
            }

            var models = VerifyModels(blobs, workingDirectory);

            foreach (var secret in SecretValues(blobs))
            {
                log.RegisterSecretValue(secret);
            }

            var node = blobs[0].Node;
            var appsRoot = options.AppsRootOverride ?? node.AppsRoot;
            // An apps root the drain rule cannot name is refused before anything is touched.
            DrainMarker.PathIn(appsRoot);
            log.Info($"node {node.Name} ({(node.Leader ? "leader" : "follower")}), apps {string.Join(", ", blobs.Select(b => b.AppName))}, apps root {appsRoot}"
                + (options.NoSystem ? ", file work only (--no-system)" : string.Empty));
            foreach (var model in models)
            {
                log.Info($"app '{model.Key}': model {model.Value.Path} verified (SHA-256 {model.Value.Sha256}, Mendix {model.Value.RuntimeVersion}, Java {model.Value.JavaMajor})");
            }

            NodeSystem? system = null;
            byte[]? certificatePfx = null;
            var changes = 0;
            if (!options.NoSystem)
            {
                system = nodeSystem();
                if (!string.Equals(system.ComputerName, node.ComputerName, StringComparison.OrdinalIgnoreCase))
                {
                    throw new BadInputException(
                        $"{blobs[0].SourceFile}: key 'node.computerName' has value '{node.ComputerName}', but this machine is '{system.ComputerName}'; the blob must be the one for this node");
                }

                // Still step 1: every secret is read before the disk or any file is touched.
                if (references.Count > 0)
                {
                    blobs = KeyVaultReferences.Resolve(blobs, system.KeyVault, log);
                }

                certificatePfx = CertificateFromKeyVault(blobs[0], system);

                // 2. The data disk that holds the apps root.
                if (new DataDiskProvisioner(system.DataDisk, log).Ensure(node.DataDiskLun, node.DriveLetter))
                {
                    changes++;
                }
            }

            log.AttachFile(AppFolders.AgentLogFile(appsRoot));
            var rollout = system == null ? null : new NodeRollout(blobs, appsRoot, system.Health, system.DatabaseProbe, system.Clock, log);
            rollout?.RemoveLeftoverMarker();
            var finished = false;
            try
            {
                // 3. What the node needs installed and configured before any app.
                if (system != null)
                {
                    var javaMajors = JavaNeeded(blobs, models, appsRoot);
                    changes += new PrerequisiteInstaller(system.Prerequisites, system.Downloader, log).Ensure(blobs[0].Prerequisites, javaMajors, appsRoot);
                }

                // 4 and 5. Each app: the Service Console, its Settings.yaml, its model (or a restart); the node drained
                // before the first stop, each database waited for before its app starts.
                var applier = new AppApplier(log, new SettingsFileWriter(clock), system?.ServiceConsole, system?.Downloader, clock, rollout);
                foreach (var blob in blobs)
                {
                    models.TryGetValue(blob.AppName, out var mda);
                    changes += applier.Apply(blob, appsRoot, mda);
                }

                // 6. The IIS sites in front of the runtimes.
                if (system != null)
                {
                    changes += new SiteReconciler(system.Iis, system.Certificates, log).Ensure(blobs, appsRoot, system.ComputerName, certificatePfx);
                }

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

            log.Info(changes == 0 ? "done: nothing changed" : $"done: {changes} change(s) applied");
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
                var installers = blob.Prerequisites.Installers;
                if (installers != null && !installers.Java.ContainsKey(mda.JavaMajor))
                {
                    throw new BadInputException(
                        $"{blob.SourceFile}: key 'prerequisites.installers.java' has installers for Java {string.Join(", ", installers.Java.Keys)}, "
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
                int? major = null;
                if (models.TryGetValue(blob.AppName, out var mda))
                {
                    major = mda.JavaMajor;
                }
                else
                {
                    major = DeployedModelState.Read(AppFolders.DeployedModelFile(appsRoot, blob.AppName))?.JavaMajor;
                }

                if (major != null)
                {
                    needed[major.Value] = needed.TryGetValue(major.Value, out var apps) ? apps + ", app '" + blob.AppName + "'" : "app '" + blob.AppName + "'";
                }
            }

            return needed;
        }

        /// <summary>
        /// The HTTPS certificate's PFX when it comes from Key Vault, read with the node's identity and masked in every
        /// output. A Key Vault certificate's addressable secret of the same name holds it with its private key, as PFX
        /// or PEM as its policy says (Microsoft Learn, "About Azure Key Vault certificates", "Composition of a
        /// certificate"); Get Secret without a version answers with the latest one (Key Vault REST API, "Get Secret").
        /// </summary>
        private byte[]? CertificateFromKeyVault(NodeSettings blob, NodeSystem system)
        {
            var site = blob.Site;
            if (site.CertificateSource != CertificateSource.KeyVault)
            {
                return null;
            }

            var reference = KeyVaultReference.LatestFromUri(site.CertificateSecretUri!)
                ?? throw new BadInputException($"{blob.SourceFile}: key 'site.certificate.secretUri' is not https://<vault>.vault.azure.net/secrets/<name>");
            string value;
            try
            {
                value = system.KeyVault.ReadSecret(reference, blob.Node.IdentityClientId, log.Info);
            }
            catch (KeyVaultReadException e)
            {
                throw new AgentFailureException(
                    $"{blob.SourceFile}: key 'site.certificate.secretUri' names certificate secret '{reference.SecretName}' in Key Vault '{reference.VaultName}', which could not be read: {e.Message}");
            }

            log.RegisterSecretValue(value);
            try
            {
                var pfx = Convert.FromBase64String(value.Trim());
                log.Info($"{blob.SourceFile}: key 'site.certificate.secretUri': read certificate '{reference.SecretName}' (latest version) from Key Vault '{reference.VaultName}'");
                return pfx;
            }
            catch (FormatException)
            {
                throw new AgentFailureException(
                    $"{blob.SourceFile}: key 'site.certificate.secretUri' names secret '{reference.SecretName}' in Key Vault '{reference.VaultName}', whose value is not a base64 PFX; give the certificate's policy the content type application/x-pkcs12 (PFX), not PEM");
            }
        }

        private static IEnumerable<string> SecretValues(IEnumerable<NodeSettings> blobs) =>
            blobs.SelectMany(blob => blob.RuntimeSettings.Concat(blob.CustomSettings))
                .Where(setting => SecretPolicy.IsSecretKey(setting.Key) && !KeyVaultReference.LooksLikeReference(setting.Value))
                .Select(setting => setting.Value);
    }
}
