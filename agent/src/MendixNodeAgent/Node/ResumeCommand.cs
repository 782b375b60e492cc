using System;
using System.Collections.Generic;
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
    /// the leader neither: the database is synchronised only by a rollout's leader run. A Run Command of the stack that
    /// stopped or started an app since then (<see cref="RunStateOverride"/>) is honoured over the record. A start whose
    /// database is not in sync with the model fails by itself ("The database is not synchronized with the model.",
    /// RuntimeRunner.StartRuntime), so it is tried again every 10 s (as Mendix's buildpack has followers wait for instance 0)
    /// until the rollout's ready timeout. An app whose model on disk is not the completed one (a deployment the reboot cut
    /// off) is not started: the extension's rerun of that deployment starts it.
    ///
    /// Nothing else runs 'resume' again (the extension reruns only when its settings change), so an app that did not start
    /// is tried again in rounds, <see cref="RoundWaits"/> apart, for <see cref="RetryRoundsFor"/>; the node lock is let go
    /// between rounds, so that an extension run meanwhile is not held up, and each round reads the records again. One
    /// app's failure never stops the others.
    /// </summary>
    internal sealed class ResumeCommand
    {
        public static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(10);

        /// <summary>The waits before the second, third, ... round; the last repeats.</summary>
        public static readonly IReadOnlyList<TimeSpan> RoundWaits = new[] { 1, 2, 4, 8, 15 }.Select(minutes => TimeSpan.FromMinutes(minutes)).ToList();

        /// <summary>
        /// How long after it began 'resume' may still start a round: a leader or a database that comes back within that
        /// time is caught up with; the boot task's own limit (<see cref="WindowsBootTask.ExecutionTimeLimitHours"/>) is longer.
        /// </summary>
        public static readonly TimeSpan RetryRoundsFor = TimeSpan.FromHours(2);

        private readonly AgentLog log;
        private readonly IServiceConsole console;
        private readonly IClock clock;

        public ResumeCommand(AgentLog log, IServiceConsole console, IClock clock)
        {
            this.log = log;
            this.console = console;
            this.clock = clock;
        }

        private enum Outcome
        {
            /// <summary>Running, or left stopped as it should be.</summary>
            Settled,

            /// <summary>Not started for a reason another round does not change (a cut-off deployment, a missing app).</summary>
            NotStartable,

            /// <summary>Not started yet: another round may.</summary>
            TryAgain,
        }

        public void Execute(string appsRoot)
        {
            log.AttachFile(AppFolders.AgentLogFile(appsRoot));
            var began = clock.UtcNow;
            for (var round = 1; ; round++)
            {
                IReadOnlyDictionary<string, Outcome> outcomes;
                using (NodeLock.Acquire(appsRoot, clock, log))
                {
                    outcomes = Round(appsRoot, round);
                }

                var retry = Named(outcomes, Outcome.TryAgain);
                var notStartable = Named(outcomes, Outcome.NotStartable);
                if (retry.Count == 0 && notStartable.Count == 0)
                {
                    log.Info("resume: done");
                    return;
                }

                var wait = RoundWaits[Math.Min(round, RoundWaits.Count) - 1];
                if (retry.Count == 0 || clock.UtcNow + wait - began > RetryRoundsFor)
                {
                    throw new AgentFailureException(GiveUp(retry, notStartable, round));
                }

                log.Info($"resume: {string.Join(", ", retry)} not started yet; round {round + 1} in {Seconds.Of(wait)} s (rounds until {Seconds.Of(RetryRoundsFor)} s after the boot task began)");
                clock.Sleep(wait);
            }
        }

        private static List<string> Named(IReadOnlyDictionary<string, Outcome> outcomes, Outcome wanted) =>
            outcomes.Where(o => o.Value == wanted).Select(o => "app '" + o.Key + "'").ToList();

        /// <summary>The message of a resume that leaves apps stopped: what stays so, and what brings them back.</summary>
        private static string GiveUp(IReadOnlyList<string> retried, IReadOnlyList<string> notStartable, int rounds)
        {
            var parts = new List<string>();
            if (retried.Count > 0)
            {
                parts.Add($"{string.Join(", ", retried)} did not start in {rounds} round(s)");
            }

            if (notStartable.Count > 0)
            {
                parts.Add($"{string.Join(", ", notStartable)} cannot be started as the last completed run left it (see above)");
            }

            return $"resume: {string.Join("; ", parts)}. They stay stopped: nothing runs 'resume' again before the next restart, and the extension "
                + "runs again only when its settings or forceUpdateTag change. Put the cause right (see above), then start each by hand on the node "
                + "(Start-MxApp -Name <app>, never -SynchronizeDatabase on a follower) or make the extension run again (docs/rollouts.md, \"When an agent run fails\")";
        }

        private IReadOnlyDictionary<string, Outcome> Round(string appsRoot, int round)
        {
            var apps = CompletedApp.ReadAll(appsRoot);
            if (round == 1)
            {
                log.Info(apps.Count == 0
                    ? $"resume: no completed run recorded under {CompletedApp.Folder(appsRoot)}; nothing to start"
                    : $"resume: bringing back what the last completed run left: {string.Join(", ", apps.Select(a => "app '" + a.AppName + "'" + (a.Running ? string.Empty : " (not running)")))}");
            }
            else
            {
                log.Info($"resume: round {round}");
            }

            var outcomes = new Dictionary<string, Outcome>(StringComparer.Ordinal);
            foreach (var app in apps)
            {
                try
                {
                    outcomes[app.AppName] = Resume(app, appsRoot);
                }
                catch (Exception e) when (e is AgentFailureException || e is IOException || e is UnauthorizedAccessException)
                {
                    log.Error($"app '{app.AppName}': {e.Message}");
                    outcomes[app.AppName] = Outcome.TryAgain;
                }
            }

            return outcomes;
        }

        private Outcome Resume(CompletedApp app, string appsRoot)
        {
            var name = app.AppName;
            var wanted = RunStateOverride.Read(appsRoot, name);
            if (!(wanted?.Running ?? app.Running))
            {
                if (wanted != null)
                {
                    log.Info($"app '{name}': {wanted.Describe()}; left stopped {wanted.Holds()}");
                }

                return Outcome.Settled;
            }

            if (wanted != null)
            {
                log.Info($"app '{name}': {wanted.Describe()}; started although the last completed run left it stopped");
            }

            var deployed = DeployedModelState.Read(AppFolders.DeployedModelFile(appsRoot, name))?.Sha256;
            if (!string.Equals(deployed, app.ModelSha256, StringComparison.Ordinal))
            {
                log.Error($"app '{name}': the model on disk (SHA-256 {deployed ?? "none"}) is not the one the last completed run left ({app.ModelSha256 ?? "none"}): a deployment was cut off; not started (the extension runs that deployment again, or run it again by hand)");
                return Outcome.NotStartable;
            }

            if (!RestoreSettings(name, appsRoot, app.SettingsSha256))
            {
                return Outcome.NotStartable;
            }

            var state = console.GetState(name);
            if (state.Run == AppRunState.Running)
            {
                log.Info($"app '{name}': already running");
                return Outcome.Settled;
            }

            if (state.Run == AppRunState.Missing)
            {
                log.Error($"app '{name}': the Service Console does not know it; not started (a run of the extension creates it)");
                return Outcome.NotStartable;
            }

            return StartWithoutSynchronisation(name, appsRoot, TimeSpan.FromSeconds(app.ReadyTimeoutSeconds));
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
                log.Error($"app '{name}': {file} is not the one the last completed run left (SHA-256 {sha256}) and no backup beside it is; not started (a run of the extension writes it again)");
                return false;
            }

            AtomicFile.WriteAllText(file, File.ReadAllText(backup));
            log.Info($"app '{name}': {file} had changed since the last completed run (a run cut off by the restart); put back its completed version from {backup}");
            return true;
        }

        /// <summary>
        /// Start-MxApp until it starts or <paramref name="within"/> is over. A Run Command that stops the app meanwhile is
        /// honoured: before every try the override is read again, and after a start that it has come to stop the app, the
        /// app is stopped again.
        /// </summary>
        private Outcome StartWithoutSynchronisation(string name, string appsRoot, TimeSpan within)
        {
            var until = clock.UtcNow + within;
            while (true)
            {
                if (HeldMeanwhile(name, appsRoot))
                {
                    return Outcome.Settled;
                }

                var left = until - clock.UtcNow;
                try
                {
                    log.Info($"app '{name}': starting (Start-MxApp, no database synchronisation at boot; at most {Seconds.Of(left)} s more)");
                    console.StartApp(name, synchronizeDatabase: false, left);
                    log.Info($"app '{name}': started");
                    if (HeldMeanwhile(name, appsRoot))
                    {
                        console.StopApp(name);
                        log.Info($"app '{name}': stopped again");
                    }

                    return Outcome.Settled;
                }
                catch (AgentFailureException e)
                {
                    if (clock.UtcNow + RetryEvery >= until)
                    {
                        log.Error($"app '{name}': not started within rollout.readyTimeoutSeconds ({Seconds.Of(within)} s); left stopped. Last answer: {e.Message}");
                        return Outcome.TryAgain;
                    }

                    log.Info($"app '{name}': not started yet ({e.Message}); trying again in {Seconds.Of(RetryEvery)} s (the leader may be synchronising the database)");
                    clock.Sleep(RetryEvery);
                }
            }
        }

        private bool HeldMeanwhile(string name, string appsRoot)
        {
            var wanted = RunStateOverride.Read(appsRoot, name);
            if (wanted == null || wanted.Running)
            {
                return false;
            }

            log.Info($"app '{name}': meanwhile {wanted.Describe()}; left stopped");
            return true;
        }
    }
}
