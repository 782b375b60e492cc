using System;
using System.IO;
using System.Linq;
using MendixNodeAgent.Model;
using MendixNodeAgent.Node;
using MendixNodeAgent.Settings;
using MendixNodeAgent.Tests.Emulators;
using MendixNodeAgent.Tests.Support;
using MendixNodeAgent.Windows;
using Xunit;

namespace MendixNodeAgent.Tests
{
    /// <summary>
    /// After a restart of Windows the apps' services (startup type Manual) stay stopped until the boot task's 'resume'
    /// starts what the last completed run left, never synchronising the database; run against the stand-in cmdlets.
    /// </summary>
    public class ResumeTests
    {
        [Fact]
        public void A_completed_run_records_each_app_and_makes_sure_of_the_boot_task()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var node = new TestNode();
                node.Runner.ServerDistributions.Add(Mda.Version10);

                var run = AgentRun.Execute(AgentRun.OnSystem(root.Path, Mda.BlobAndMda(blobs.Path, Fixtures.Leader)), node.System("mxdev-0"));

                Assert.Equal(0, run.ExitCode);
                var completed = Assert.Single(CompletedApp.ReadAll(root.Path));
                Assert.Equal("app", completed.AppName);
                Assert.True(completed.Leader);
                Assert.True(completed.Running);
                Assert.Equal(DeployedModelState.Read(AppFolders.DeployedModelFile(root.Path, "app"))!.Sha256, completed.ModelSha256);
                Assert.Equal(Sha256File.Of(root.SettingsFile()), completed.SettingsSha256);
                Assert.Equal(600, completed.ReadyTimeoutSeconds);
                Assert.Equal(new[] { root.Path }, node.BootTask.Registered);
            }
        }

        [Fact]
        public void A_standby_regions_node_records_its_apps_as_not_running_so_the_boot_task_leaves_them_stopped()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var node = new TestNode();
                node.Runner.ServerDistributions.Add(Mda.Version10);
                var blob = Fixtures.WriteBlob(blobs.Path, File.ReadAllText(Mda.BlobAndMda(blobs.Path, Fixtures.Follower)) + "standby:\n  serving: false\n");

                var run = AgentRun.Execute(AgentRun.OnSystem(root.Path, blob), node.System("mxdev-1"));

                Assert.Equal(0, run.ExitCode);
                Assert.False(Assert.Single(CompletedApp.ReadAll(root.Path)).Running);
            }
        }

        [Fact]
        public void After_a_restart_the_leader_starts_its_completed_model_without_synchronising_the_database()
        {
            using (var shell = new StandInPowerShell())
            {
                var appsRoot = NodeRunningApp(shell, leader: true);

                var run = CompletedNode.Resume(shell, new FakeClock());

                Assert.Equal(0, run.ExitCode);
                Assert.Equal("Running", shell.Services["app"]);
                var start = Assert.Single(shell.CallsOf("Start-MxApp"));
                Assert.False(start.Parameters.ContainsKey("SynchronizeDatabase"));
            }
        }

        [Fact]
        public void A_follower_whose_database_is_not_in_sync_is_tried_every_10_seconds_then_again_in_rounds_for_2_hours_and_left_stopped()
        {
            using (var shell = new StandInPowerShell())
            {
                var appsRoot = NodeRunningApp(shell, leader: false, readyTimeoutSeconds: 30);
                shell.State["UnsyncedDatabases"] = new object[] { "app" };
                var clock = new FakeClock();

                var run = CompletedNode.Resume(shell, clock);

                Assert.Equal(1, run.ExitCode);
                Assert.Equal("Stopped", shell.Services["app"]);
                // Each round tries every 10 s for the ready timeout (30 s); the rounds are 1, 2, 4, 8, then 15 minutes apart,
                // and none starts past 2 hours.
                Assert.Equal(11 * 3, shell.CallsOf("Start-MxApp").Count);
                Assert.DoesNotContain(shell.CallsOf("Start-MxApp"), c => c.Parameters.ContainsKey("SynchronizeDatabase"));
                Assert.Equal(new[] { 1, 2, 4, 8, 15, 15, 15, 15, 15, 15 }, clock.Pauses.Where(p => p != TimeSpan.FromSeconds(10)).Select(p => (int)p.TotalMinutes));
                Assert.True(clock.Elapsed <= TimeSpan.FromHours(2), clock.Elapsed.ToString());
                Assert.Contains("The database is not synchronized with the model.", run.Output);
                Assert.Contains("app 'app': not started within rollout.readyTimeoutSeconds (30 s); left stopped", run.Output);
                Assert.Contains("resume: app 'app' did not start in 11 round(s). They stay stopped: nothing runs 'resume' again before the next restart, and the extension runs again only when its settings or forceUpdateTag change.", run.Output);
            }
        }

        [Fact]
        public void One_apps_failure_does_not_keep_the_others_from_starting_and_a_later_round_brings_it_back()
        {
            using (var shell = new StandInPowerShell())
            {
                var appsRoot = NodeRunningApp(shell, leader: false);
                CompletedNode.AddApp(shell, "crm", running: true);
                // The Service Console knows 'app' but its service is not installed yet at boot: the query fails.
                shell.Services.Remove("app");
                var clock = new ActionAfter(TimeSpan.FromMinutes(1), () => shell.Services["app"] = "Stopped");

                var run = CompletedNode.Resume(shell, clock);

                Assert.Equal(0, run.ExitCode);
                Assert.Equal(new[] { "crm", "app" }, shell.CallsOf("Start-MxApp").Select(c => c.Parameters["Name"]));
                Assert.Equal(new[] { "Running", "Running" }, new[] { shell.Services["app"], shell.Services["crm"] });
                Assert.Contains("app 'app': service console: cannot query app 'app': the Service Console knows app app but its Windows service app is not installed", run.Output);
                Assert.Contains("resume: app 'app' not started yet; round 2 in 60 s", run.Output);
            }
        }

        [Fact]
        public void A_follower_starts_once_the_leader_has_synchronised_the_database()
        {
            using (var shell = new StandInPowerShell())
            {
                var appsRoot = NodeRunningApp(shell, leader: false);
                shell.State["UnsyncedDatabases"] = new object[] { "app" };
                var clock = new LeaderSynchronisesAfter(shell, TimeSpan.FromSeconds(35));

                var run = CompletedNode.Resume(shell, clock);

                Assert.Equal(0, run.ExitCode);
                Assert.Equal("Running", shell.Services["app"]);
                Assert.Equal(5, shell.CallsOf("Start-MxApp").Count);
            }
        }

        [Fact]
        public void Apps_the_stacks_stop_command_stopped_stay_stopped_after_a_restart()
        {
            using (var shell = new StandInPowerShell())
            {
                var appsRoot = NodeRunningApp(shell, leader: false);
                CompletedNode.AddApp(shell, "crm", running: true);
                shell.Services["app"] = "Running";
                shell.Services["crm"] = "Running";
                var stop = shell.Run(RunCommandScripts.Script("stopApps", appsRoot));
                Assert.True(stop.ExitCode == 0, stop.Errors);

                var run = CompletedNode.Resume(shell, new FakeClock());

                Assert.Equal(0, run.ExitCode);
                Assert.Empty(shell.CallsOf("Start-MxApp"));
                Assert.Equal(new[] { "Stopped", "Stopped" }, new[] { shell.Services["app"], shell.Services["crm"] });
                Assert.Matches("app 'app': stopped on purpose by mendix-stop-0123abcd at [0-9T:.-]+Z; left stopped until the next completed run of the extension", run.Output);
            }
        }

        [Fact]
        public void A_standby_app_the_failover_started_is_started_again_after_a_restart()
        {
            using (var shell = new StandInPowerShell())
            {
                var appsRoot = shell.AppsPath;
                CompletedNode.AddApp(shell, "app", running: false);
                var serving = shell.Run(RunCommandScripts.Script("serving", appsRoot));
                Assert.True(serving.ExitCode == 0, serving.Errors);

                var run = CompletedNode.Resume(shell, new FakeClock());

                Assert.Equal(0, run.ExitCode);
                Assert.Equal("Running", shell.Services["app"]);
                Assert.False(Assert.Single(shell.CallsOf("Start-MxApp")).Parameters.ContainsKey("SynchronizeDatabase"));
                Assert.Contains("app 'app': started on purpose by failover-toStandby at ", run.Output);
            }
        }

        [Fact]
        public void A_stop_command_that_runs_while_resume_waits_for_the_leader_is_honoured()
        {
            using (var shell = new StandInPowerShell())
            {
                var appsRoot = NodeRunningApp(shell, leader: false);
                shell.State["UnsyncedDatabases"] = new object[] { "app" };
                var clock = new ActionAfter(ResumeCommand.RetryEvery, () => shell.Run(RunCommandScripts.Script("stopApps", appsRoot)));

                var run = CompletedNode.Resume(shell, clock);

                Assert.Equal(0, run.ExitCode);
                Assert.Single(shell.CallsOf("Start-MxApp"));
                Assert.Equal("Stopped", shell.Services["app"]);
                Assert.Contains("app 'app': meanwhile stopped on purpose by mendix-stop-0123abcd", run.Output);
            }
        }

        [Fact]
        public void A_start_that_a_stop_command_overtook_is_stopped_again()
        {
            using (var shell = new StandInPowerShell())
            {
                var appsRoot = NodeRunningApp(shell, leader: false);
                var console = new StopCommandDuringStart(new MendixServiceConsole(shell), () => shell.Run(RunCommandScripts.Script("stopApps", appsRoot)));

                var run = CompletedNode.Resume(shell, new FakeClock(), console);

                Assert.Equal(0, run.ExitCode);
                Assert.Equal("Stopped", shell.Services["app"]);
                Assert.Contains("app 'app': stopped again", run.Output);
            }
        }

        [Fact]
        public void A_completed_run_removes_the_overrides_it_found_so_that_its_record_decides_again()
        {
            using (var shell = new StandInPowerShell())
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                shell.Run(RunCommandScripts.Script("stopApps", root.Path));
                var node = new TestNode();
                node.Runner.ServerDistributions.Add(Mda.Version10);

                var run = AgentRun.Execute(AgentRun.OnSystem(root.Path, Mda.BlobAndMda(blobs.Path, Fixtures.Leader)), node.System("mxdev-0"));

                Assert.Equal(0, run.ExitCode);
                Assert.Null(RunStateOverride.Read(root.Path, "app"));
                Assert.Null(RunStateOverride.Read(root.Path, "crm"));
                Assert.True(Assert.Single(CompletedApp.ReadAll(root.Path)).Running);
                Assert.Contains("boot task: app 'app': removed the run-state override a Run Command left before this run", run.Output);
            }
        }

        [Fact]
        public void An_override_written_while_a_run_ran_outlives_that_run()
        {
            using (var shell = new StandInPowerShell())
            {
                var appsRoot = shell.AppsPath;
                shell.Run(RunCommandScripts.Script("stopApps", appsRoot));
                var atStart = RunStateOverride.Snapshot(appsRoot);
                shell.Run(RunCommandScripts.Script("serving", appsRoot));

                var removed = RunStateOverride.RemoveSuperseded(atStart);

                Assert.Equal(new[] { "crm" }, removed);
                Assert.True(RunStateOverride.Read(appsRoot, "app")!.Running);
            }
        }

        [Fact]
        public void A_deployment_the_restart_cut_off_is_not_started()
        {
            using (var shell = new StandInPowerShell())
            {
                var appsRoot = NodeRunningApp(shell, leader: false);
                new DeployedModelState(new string('f', 64), "10.12.4.41735", 21, "models/app/app-ffffffffffff.mda", AgentRun.FixedStart).Write(AppFolders.DeployedModelFile(appsRoot, "app"));

                var run = CompletedNode.Resume(shell, new FakeClock());

                Assert.Equal(1, run.ExitCode);
                Assert.Empty(shell.CallsOf("Start-MxApp"));
                Assert.Equal("Stopped", shell.Services["app"]);
                Assert.Contains("a deployment was cut off; not started", run.Output);
            }
        }

        [Fact]
        public void Settings_a_cut_off_run_changed_are_put_back_from_their_backup_before_the_start()
        {
            using (var shell = new StandInPowerShell())
            {
                var appsRoot = NodeRunningApp(shell, leader: false);
                var settings = AppFolders.SettingsFile(appsRoot, "app");
                var completed = File.ReadAllText(settings);
                File.WriteAllText(settings + SettingsFileWriter.BackupInfix + "20260102T030405Z", completed);
                File.WriteAllText(settings, completed.Replace("RuntimePortNumber: 8080", "RuntimePortNumber: 8180"));

                var run = CompletedNode.Resume(shell, new FakeClock());

                Assert.Equal(0, run.ExitCode);
                Assert.Equal(completed, File.ReadAllText(settings));
                Assert.Equal("Running", shell.Services["app"]);
            }
        }

        [Fact]
        public void The_boot_task_is_registered_once_to_run_resume_as_system_at_startup()
        {
            using (var shell = new StandInPowerShell())
            using (var agent = new TempAppsRoot())
            {
                File.WriteAllText(Path.Combine(agent.Path, "mendix-node-agent.exe"), "agent");
                var task = new WindowsBootTask(shell, agent.Path);
                var appsRoot = shell.AppsPath;

                var first = task.Ensure(appsRoot);
                var second = task.Ensure(appsRoot);

                Assert.True(first);
                Assert.False(second);
                var register = Assert.Single(shell.CallsOf("Register-ScheduledTask"));
                Assert.Equal("mendix-node-agent resume", register.Parameters["TaskName"]);
                var action = shell.CallsOf("New-ScheduledTaskAction").Single();
                Assert.Equal(Path.Combine(appsRoot, "node-agent", "bin", "mendix-node-agent.exe"), action.Parameters["Execute"]);
                Assert.Equal("resume --apps-root \"" + appsRoot + "\"", action.Parameters["Argument"]);
                Assert.Equal("True", shell.CallsOf("New-ScheduledTaskTrigger").Single().Parameters["AtStartup"]);
                Assert.Equal("S-1-5-18", shell.CallsOf("New-ScheduledTaskPrincipal").Single().Parameters["UserId"]);
                Assert.Equal("agent", File.ReadAllText(Path.Combine(appsRoot, "node-agent", "bin", "mendix-node-agent.exe")));
            }
        }

        /// <summary>A node whose last completed run left app 'app' running model <see cref="CompletedNode.ModelSha"/>; then Windows restarted.</summary>
        private static string NodeRunningApp(StandInPowerShell shell, bool leader, int readyTimeoutSeconds = 300)
        {
            CompletedNode.AddApp(shell, "app", running: true, leader, readyTimeoutSeconds);
            return shell.AppsPath;
        }

        /// <summary>The Service Console, with the stack's stop command run on the node while an app's start is under way.</summary>
        private sealed class StopCommandDuringStart : IServiceConsole
        {
            private readonly IServiceConsole console;
            private readonly Action stopCommand;

            public StopCommandDuringStart(IServiceConsole console, Action stopCommand)
            {
                this.console = console;
                this.stopCommand = stopCommand;
            }

            public AppState GetState(string appName) => console.GetState(appName);

            public void CreateApp(string appName, AppServiceAccount account) => console.CreateApp(appName, account);

            public void SetManualStartup(string appName) => console.SetManualStartup(appName);

            public void StopApp(string appName) => console.StopApp(appName);

            public void StartApp(string appName, bool synchronizeDatabase, TimeSpan within)
            {
                console.StartApp(appName, synchronizeDatabase, within);
                stopCommand();
                // The stop command saw the app still starting and stopped it; Start-MxApp's own start then went on.
                console.StartApp(appName, synchronizeDatabase, within);
            }

            public bool HasServerDistribution(string version) => console.HasServerDistribution(version);

            public void InstallServerDistribution(string archivePath) => console.InstallServerDistribution(archivePath);

            public void UpdateApp(string appName, string mdaPath) => console.UpdateApp(appName, mdaPath);
        }

        /// <summary>A clock that does something once so much time has passed (something outside the node changes meanwhile).</summary>
        private sealed class ActionAfter : MendixNodeAgent.Timing.IClock
        {
            private readonly DateTime at;
            private Action? action;

            public ActionAfter(TimeSpan after, Action action)
            {
                at = AgentRun.FixedStart + after;
                this.action = action;
            }

            public DateTime UtcNow { get; private set; } = AgentRun.FixedStart;

            public void Sleep(TimeSpan span)
            {
                UtcNow += span;
                if (UtcNow >= at && action != null)
                {
                    action();
                    action = null;
                }
            }
        }

        /// <summary>A clock under which the leader's run synchronises the database once the follower has waited so long.</summary>
        private sealed class LeaderSynchronisesAfter : MendixNodeAgent.Timing.IClock
        {
            private readonly StandInPowerShell shell;
            private readonly DateTime synchronisedAt;

            public LeaderSynchronisesAfter(StandInPowerShell shell, TimeSpan after)
            {
                this.shell = shell;
                synchronisedAt = AgentRun.FixedStart + after;
            }

            public DateTime UtcNow { get; private set; } = AgentRun.FixedStart;

            public void Sleep(TimeSpan span)
            {
                UtcNow += span;
                if (UtcNow >= synchronisedAt)
                {
                    shell.State["UnsyncedDatabases"] = new object[0];
                }
            }
        }
    }
}
