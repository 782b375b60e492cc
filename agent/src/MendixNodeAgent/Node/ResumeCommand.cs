using System;
using System.IO;
using System.Linq;
using MendixNodeAgent.Logging;
using MendixNodeAgent.Model;
using MendixNodeAgent.Settings;
using MendixNodeAgent.Timing;
using MendixNodeAgent.Windows;

namespace MendixNodeAgent.Node
{
    /// <summary>
    /// The 'resume' command, which the node's boot task runs at every start of Windows (apps' services start by hand only,
    /// <see cref="MendixServiceConsole.ManualStartup"/>): each app the last completed 'apply' left running is started again
    /// with the model and Settings.yaml that run left (<see cref="CompletedApp"/>), and never with -SynchronizeDatabase, on
    /// the leader neither: the database is synchronised only by a rollout's leader run. A start whose database is not in sync
    /// with the model fails by itself ("The database is not synchronized with the model.", RuntimeRunner.StartRuntime), so it
    /// is tried again every 10 s (as Mendix's buildpack has followers wait for instance 0) until the rollout's ready timeout,
    /// and the app is then left stopped. An app whose model on disk is not the completed one (a deployment the reboot cut
    /// off) is not started: the extension's rerun of that deployment starts it.
    /// </summary>
    internal sealed class ResumeCommand
    {
        public static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(10);

        private readonly AgentLog log;
        private readonly IServiceConsole console;
        private readonly IClock clock;

        public ResumeCommand(AgentLog log, IServiceConsole console, IClock clock)
        {
            this.log = log;
            this.console = console;
            this.clock = clock;
        }

        public void Execute(string appsRoot)
        {
            log.AttachFile(AppFolders.AgentLogFile(appsRoot));
            using (NodeLock.Acquire(appsRoot, clock, log))
            {
                var apps = CompletedApp.ReadAll(appsRoot);
                log.Info(apps.Count == 0
                    ? $"resume: no completed run recorded under {CompletedApp.Folder(appsRoot)}; nothing to start"
                    : $"resume: bringing back what the last completed run left: {string.Join(", ", apps.Select(a => "app '" + a.AppName + "'" + (a.Running ? string.Empty : " (not running)")))}");
                var failed = apps.Where(app => app.Running).Where(app => !Resume(app, appsRoot)).Select(app => "app '" + app.AppName + "'").ToList();
                if (failed.Count > 0)
                {
                    throw new AgentFailureException($"resume: {string.Join(", ", failed)} not started (see above); the next run of the extension brings them back");
                }

                log.Info("resume: done");
            }
        }

        private bool Resume(CompletedApp app, string appsRoot)
        {
            var name = app.AppName;
            var deployed = DeployedModelState.Read(AppFolders.DeployedModelFile(appsRoot, name))?.Sha256;
            if (!string.Equals(deployed, app.ModelSha256, StringComparison.Ordinal))
            {
                log.Error($"app '{name}': the model on disk (SHA-256 {deployed ?? "none"}) is not the one the last completed run left ({app.ModelSha256 ?? "none"}): a deployment was cut off; not started (the extension runs that deployment again, or run it again by hand)");
                return false;
            }

            if (!RestoreSettings(name, appsRoot, app.SettingsSha256))
            {
                return false;
            }

            var state = console.GetState(name);
            if (state.Run == AppRunState.Running)
            {
                log.Info($"app '{name}': already running");
                return true;
            }

            if (state.Run == AppRunState.Missing)
            {
                log.Error($"app '{name}': the Service Console does not know it; not started (the next run of the extension creates it)");
                return false;
            }

            return StartWithoutSynchronisation(name, TimeSpan.FromSeconds(app.ReadyTimeoutSeconds));
        }

        /// <summary>The Settings.yaml the last completed run left: the file itself, or the newest of its backups with that SHA-256.</summary>
        private bool RestoreSettings(string name, string appsRoot, string sha256)
        {
            var file = AppFolders.SettingsFile(appsRoot, name);
            if (File.Exists(file) && Sha256File.Of(file) == sha256)
            {
                return true;
            }

            var backup = Directory.GetFiles(Path.GetDirectoryName(file)!, Path.GetFileName(file) + SettingsFileWriter.BackupInfix + "*")
                .OrderByDescending(f => f, StringComparer.Ordinal)
                .FirstOrDefault(f => Sha256File.Of(f) == sha256);
            if (backup == null)
            {
                log.Error($"app '{name}': {file} is not the one the last completed run left (SHA-256 {sha256}) and no backup beside it is; not started (the next run of the extension writes it again)");
                return false;
            }

            AtomicFile.WriteAllText(file, File.ReadAllText(backup));
            log.Info($"app '{name}': {file} had changed since the last completed run (a run cut off by the restart); put back its completed version from {backup}");
            return true;
        }

        private bool StartWithoutSynchronisation(string name, TimeSpan within)
        {
            var until = clock.UtcNow + within;
            while (true)
            {
                var left = until - clock.UtcNow;
                try
                {
                    log.Info($"app '{name}': starting (Start-MxApp, no database synchronisation at boot; at most {Seconds.Of(left)} s more)");
                    console.StartApp(name, synchronizeDatabase: false, left);
                    log.Info($"app '{name}': started");
                    return true;
                }
                catch (AgentFailureException e)
                {
                    if (clock.UtcNow + RetryEvery >= until)
                    {
                        log.Error($"app '{name}': not started within rollout.readyTimeoutSeconds ({Seconds.Of(within)} s); left stopped. Last answer: {e.Message}");
                        return false;
                    }

                    log.Info($"app '{name}': not started yet ({e.Message}); trying again in {Seconds.Of(RetryEvery)} s (the leader may be synchronising the database)");
                    clock.Sleep(RetryEvery);
                }
            }
        }
    }
}
