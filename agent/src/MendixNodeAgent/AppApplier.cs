using System;
using System.IO;
using MendixNodeAgent.Blob;
using MendixNodeAgent.Logging;
using MendixNodeAgent.Model;
using MendixNodeAgent.Prerequisites;
using MendixNodeAgent.Rollout;
using MendixNodeAgent.Settings;
using MendixNodeAgent.Windows;

namespace MendixNodeAgent
{
    /// <summary>
    /// Applies one app's blob: its Settings.yaml and, on a real node, its state in the Service Console and its
    /// model. A new model is deployed as the Mendix guide scripts it (mendix/docs,
    /// deployment/on-premises-design/ms-windows/automate-mendix-deployment-on-microsoft-windows.md, "Sample Script -
    /// Update App"): server distribution installed first if missing, then Stop-MxApp, Update-MxApp, Start-MxApp.
    /// </summary>
    internal sealed class AppApplier
    {
        private readonly AgentLog log;
        private readonly AppSettingsWriter settings;
        private readonly IServiceConsole serviceConsole;
        private readonly IDownloader downloader;
        private readonly ServiceAccountProvisioner accounts;
        private readonly Func<DateTime> clock;
        private readonly IAppLifecycle lifecycle;

        /// <param name="lifecycle">told of every stop and start (drain, database wait, readiness).</param>
        public AppApplier(AgentLog log, AppSettingsWriter settings, IServiceConsole serviceConsole, IDownloader downloader, ServiceAccountProvisioner accounts, Func<DateTime> clock, IAppLifecycle lifecycle)
        {
            this.lifecycle = lifecycle;
            this.log = log;
            this.settings = settings;
            this.serviceConsole = serviceConsole;
            this.downloader = downloader;
            this.accounts = accounts;
            this.clock = clock;
        }

        /// <param name="mda">the blob's verified model, or null when the blob names none.</param>
        /// <param name="javaPath">the folder of the app's Java, or null when not known.</param>
        /// <returns>the number of changes made (settings written, app created, model deployed, started or restarted).</returns>
        public int Apply(NodeSettings blob, string appsRoot, MdaPackage? mda, string? javaPath)
        {
            var app = blob.AppName;
            var changes = 0;

            // The console creates the app (folder, service and basic Settings.yaml) before we fill it in.
            var found = serviceConsole.GetState(app);
            var state = found.Run;
            var account = accounts.Ensure(app, appsRoot, passwordNeeded: state == AppRunState.Missing);
            var created = false;
            if (state == AppRunState.Missing)
            {
                log.Info($"app '{app}': not known to the Service Console; creating it (New-MxApp, its service running as {account.Name}, startup type {MendixServiceConsole.ManualStartup})");
                serviceConsole.CreateApp(app, account);
                state = AppRunState.Stopped;
                created = true;
                changes++;
            }
            else
            {
                changes += EnsureManualStartup(app, found.StartType);
            }

            accounts.ForgetPassword(app, appsRoot);

            var written = settings.Write(blob, appsRoot, javaPath);
            if (written != SettingsWrite.Unchanged)
            {
                changes++;
            }

            // An app the console did not know has no model, whatever the agent deployed to an earlier one of that name.
            var deployed = created ? null : DeployedModelState.Read(AppFolders.DeployedModelFile(appsRoot, app));
            if (mda != null && deployed != null && deployed.Sha256 == mda.Sha256)
            {
                log.Info($"app '{app}': model {blob.App.Model!.File} (SHA-256 {mda.Sha256}) is the one deployed; not deployed again");
            }
            else if (mda != null)
            {
                Deploy(blob, appsRoot, mda, state);
                return changes + 1;
            }

            var hasModel = deployed != null || File.Exists(Path.Combine(AppFolders.AppFolder(appsRoot, app), "Project", "model", "metadata.json"));
            if (!hasModel)
            {
                log.Info($"app '{app}': no model deployed yet and the blob names none (app.model); not started");
                return changes;
            }

            return changes + BringToRunning(blob, state, restartNeeded: created || written == SettingsWrite.RestartNeeded, appsRoot);
        }

        /// <summary>
        /// Only the agent starts an app, in its order (<see cref="MendixServiceConsole.ManualStartup"/>): an Automatic service
        /// (an app created by hand, or by an earlier agent) is made Manual; a Disabled one was disabled by someone on
        /// purpose, and the agent does not start it.
        /// </summary>
        private int EnsureManualStartup(string app, string? startType)
        {
            if (string.Equals(startType, MendixServiceConsole.ManualStartup, StringComparison.OrdinalIgnoreCase))
            {
                return 0;
            }

            if (string.Equals(startType, "Disabled", StringComparison.OrdinalIgnoreCase))
            {
                throw new AgentFailureException(
                    $"app '{app}': its Windows service '{app}' is Disabled, so someone disabled it by hand; the agent does not start a disabled app: "
                    + $"set its startup type to {MendixServiceConsole.ManualStartup} (Set-Service -Name {app} -StartupType {MendixServiceConsole.ManualStartup}) and run the extension again");
            }

            log.Info($"app '{app}': its Windows service starts {startType}; setting it to {MendixServiceConsole.ManualStartup}, so that only the agent starts the app, in the cluster's order (see the boot task)");
            serviceConsole.SetManualStartup(app);
            return 1;
        }

        private void Deploy(NodeSettings blob, string appsRoot, MdaPackage mda, AppRunState state)
        {
            var app = blob.AppName;
            var version = mda.RuntimeVersion.Text;
            log.Info($"app '{app}': deploying model {blob.App.Model!.File} (SHA-256 {mda.Sha256}, Mendix {version}, Java {mda.JavaMajor})");
            EnsureServerDistribution(blob.Prerequisites, version, appsRoot, app);

            if (state == AppRunState.Running)
            {
                lifecycle.BeforeStop(blob);
                log.Info($"app '{app}': stopping (Stop-MxApp)");
                serviceConsole.StopApp(app);
            }

            log.Info($"app '{app}': unpacking the model (Update-MxApp -LiteralPath {mda.Path})");
            serviceConsole.UpdateApp(app, mda.Path);
            new DeployedModelState(mda.Sha256, version, mda.JavaMajor, blob.App.Model.File, clock()).Write(AppFolders.DeployedModelFile(appsRoot, app));
            if (blob.StandsBy)
            {
                log.Info($"app '{app}': model deployed; not started: this node's region stands by");
                return;
            }

            Start(blob, appsRoot);
            log.Info($"app '{app}': model deployed and started");
        }

        private void EnsureServerDistribution(PrerequisitesSpec prerequisites, string version, string appsRoot, string app)
        {
            if (serviceConsole.HasServerDistribution(version))
            {
                log.Info($"app '{app}': server distribution {version} is already installed");
                return;
            }

            var url = prerequisites.ServerDistributionFor(version);
            var archive = Path.Combine(AppFolders.DownloadFolder(appsRoot), "mendix-" + version + ".tar.gz");
            log.Info($"app '{app}': server distribution {version} is missing; downloading {UrlForLog.Of(url)}");
            downloader.Download(url, archive);
            log.Info($"app '{app}': downloaded {archive} (SHA-256 {Sha256File.Of(archive)}); installing it (Install-MxServer)");
            serviceConsole.InstallServerDistribution(archive);
            File.Delete(archive);
            log.Info($"app '{app}': server distribution {version} installed");
        }

        private int BringToRunning(NodeSettings blob, AppRunState state, bool restartNeeded, string appsRoot)
        {
            var app = blob.AppName;
            if (blob.StandsBy)
            {
                return KeepStopped(blob, state);
            }

            if (state == AppRunState.Running && !restartNeeded)
            {
                log.Info($"app '{app}': running, settings and model unchanged, nothing to do");
                return 0;
            }

            if (state == AppRunState.Running)
            {
                lifecycle.BeforeStop(blob);
                log.Info($"app '{app}': settings changed; stopping (Stop-MxApp)");
                serviceConsole.StopApp(app);
                Start(blob, appsRoot);
                log.Info($"app '{app}': restarted");
                return 1;
            }

            log.Info($"app '{app}': not running");
            Start(blob, appsRoot);
            log.Info($"app '{app}': started");
            return 1;
        }

        /// <summary>
        /// A node whose region stands by (a standby region's node while the stack's own region serves, or any node a
        /// regional failover told to stand by): the app stays stopped, stopped if it runs, so that it never joins the
        /// serving region's cluster through the database. No drain: the readiness gate would wait for a node that is meant
        /// not to serve. A failback does not rely on this: <c>npm run failover --back</c> stops the standby's apps itself
        /// first, before the database moves back, and moves the public entry back last, once the stack region's leader
        /// serves (docs/losing-a-region.md, "Failing back").
        /// </summary>
        private int KeepStopped(NodeSettings blob, AppRunState state)
        {
            var app = blob.AppName;
            if (state != AppRunState.Running)
            {
                log.Info($"app '{app}': not started: this node's region stands by");
                return 0;
            }

            log.Info($"app '{app}': this node's region stands by; stopping (Stop-MxApp)");
            serviceConsole.StopApp(app);
            return 1;
        }

        /// <summary>
        /// Only the leader starts with -SynchronizeDatabase, bounded by rollout.databaseSyncTimeoutSeconds (a schema change runs
        /// inside it); a follower never changes the database schema, and its start is bounded by rollout.readyTimeoutSeconds.
        /// </summary>
        private void Start(NodeSettings blob, string appsRoot)
        {
            var app = blob.AppName;
            var leader = blob.Node.Leader;
            accounts.GrantFolderRights(app, appsRoot);
            lifecycle.BeforeStart(blob);
            log.Info($"app '{app}': starting (Start-MxApp" + (leader ? " -SynchronizeDatabase, leader)" : ", follower: no database synchronisation)"));
            serviceConsole.StartApp(app, leader, leader ? blob.Rollout.SynchronisingStartTimeout : TimeSpan.FromSeconds(blob.Rollout.ReadyTimeoutSeconds));
            lifecycle.Started(blob);
        }
    }
}
