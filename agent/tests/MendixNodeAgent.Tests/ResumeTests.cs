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
        private const string ModelSha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

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
                var appsRoot = CompletedNode(shell, leader: true);

                var run = Resume(shell, appsRoot, new FakeClock());

                Assert.Equal(0, run.ExitCode);
                Assert.Equal("Running", shell.Services["app"]);
                var start = Assert.Single(shell.CallsOf("Start-MxApp"));
                Assert.False(start.Parameters.ContainsKey("SynchronizeDatabase"));
            }
        }

        [Fact]
        public void A_follower_whose_database_is_not_in_sync_is_tried_every_10_seconds_and_left_stopped_at_the_ready_timeout()
        {
            using (var shell = new StandInPowerShell())
            {
                var appsRoot = CompletedNode(shell, leader: false);
                shell.State["UnsyncedDatabases"] = new object[] { "app" };
                var clock = new FakeClock();

                var run = Resume(shell, appsRoot, clock);

                Assert.Equal(1, run.ExitCode);
                Assert.Equal("Stopped", shell.Services["app"]);
                Assert.Equal(30, shell.CallsOf("Start-MxApp").Count);
                Assert.DoesNotContain(shell.CallsOf("Start-MxApp"), c => c.Parameters.ContainsKey("SynchronizeDatabase"));
                Assert.All(clock.Pauses.Where(p => p != TimeSpan.FromSeconds(2)), p => Assert.Equal(TimeSpan.FromSeconds(10), p));
                Assert.Contains("The database is not synchronized with the model.", run.Output);
                Assert.Contains("app 'app': not started within rollout.readyTimeoutSeconds (300 s); left stopped", run.Output);
            }
        }

        [Fact]
        public void A_follower_starts_once_the_leader_has_synchronised_the_database()
        {
            using (var shell = new StandInPowerShell())
            {
                var appsRoot = CompletedNode(shell, leader: false);
                shell.State["UnsyncedDatabases"] = new object[] { "app" };
                var clock = new LeaderSynchronisesAfter(shell, TimeSpan.FromSeconds(35));

                var run = Resume(shell, appsRoot, clock);

                Assert.Equal(0, run.ExitCode);
                Assert.Equal("Running", shell.Services["app"]);
                Assert.Equal(5, shell.CallsOf("Start-MxApp").Count);
            }
        }

        [Fact]
        public void A_deployment_the_restart_cut_off_is_not_started()
        {
            using (var shell = new StandInPowerShell())
            {
                var appsRoot = CompletedNode(shell, leader: false);
                new DeployedModelState(new string('f', 64), "10.12.4.41735", 21, "models/app/app-ffffffffffff.mda", AgentRun.FixedStart).Write(AppFolders.DeployedModelFile(appsRoot, "app"));

                var run = Resume(shell, appsRoot, new FakeClock());

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
                var appsRoot = CompletedNode(shell, leader: false);
                var settings = AppFolders.SettingsFile(appsRoot, "app");
                var completed = File.ReadAllText(settings);
                File.WriteAllText(settings + SettingsFileWriter.BackupInfix + "20260102T030405Z", completed);
                File.WriteAllText(settings, completed.Replace("RuntimePortNumber: 8080", "RuntimePortNumber: 8180"));

                var run = Resume(shell, appsRoot, new FakeClock());

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

        /// <summary>A node whose last completed run left app 'app' running model <see cref="ModelSha"/>; then Windows restarted.</summary>
        private static string CompletedNode(StandInPowerShell shell, bool leader)
        {
            var appsRoot = shell.AppsPath;
            shell.AddApp("app", "Stopped");
            new DeployedModelState(ModelSha, "10.12.4.41735", 21, "models/app/app-0123456789ab.mda", AgentRun.FixedStart).Write(AppFolders.DeployedModelFile(appsRoot, "app"));
            new CompletedApp("app", leader, running: true, ModelSha, Sha256File.Of(AppFolders.SettingsFile(appsRoot, "app")), 300).Write(appsRoot);
            return appsRoot;
        }

        private static AgentRun Resume(StandInPowerShell shell, string appsRoot, MendixNodeAgent.Timing.IClock clock)
        {
            var machine = new NodeSystem("mxdev-1", FakeDataDisk.Online(), new MendixServiceConsole(shell), null, new FakePrerequisites(), new FakeDownloader(), new FakeIisSites(),
                new FakeCertificates(), new FakeServiceAccounts(), new InProcessHealthEndpoint(new IisStandIn(new FakeIisSites(), new RecordingPowerShellRunner())), new FakeDatabaseProbe(), new FakeFilesProbe(), new FakeJavaProcesses(), clock, new FakeBootTask());
            return AgentRun.Execute(new[] { "resume", "--apps-root", appsRoot }, machine);
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
