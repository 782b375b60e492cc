using System.Collections.Generic;
using System.IO;
using System.Linq;
using MendixNodeAgent.Tests.Support;
using MendixNodeAgent.Windows;
using Xunit;

namespace MendixNodeAgent.Tests
{
    /// <summary>
    /// A real node's run with powershell.exe replaced: the production Service Console driver renders
    /// its scripts, a recording runner answers them, and the test reads back the parsed commands.
    /// </summary>
    public class ServiceConsoleFlowTests
    {
        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<RecordingPowerShellRunner, TestNode> Nodes =
            new System.Runtime.CompilerServices.ConditionalWeakTable<RecordingPowerShellRunner, TestNode>();

        /// <summary>Runs the agent on a node that keeps its state (IIS, prerequisites) across the runs of one runner.</summary>
        private static (AgentRun Run, RecordingPowerShellRunner Runner) RunOnNode(TempAppsRoot root, string blob, string computer, AppRunState? existing, RecordingPowerShellRunner? runner = null)
        {
            runner = runner ?? new RecordingPowerShellRunner();
            runner.ServerDistributions.Add(Mda.Version10);
            if (existing.HasValue)
            {
                runner.Apps["app"] = existing.Value;
            }

            var node = Nodes.GetValue(runner, r => new TestNode(runner: r));
            return (AgentRun.Execute(AgentRun.OnSystem(root.Path, blob), node.System(computer)), runner);
        }

        private static List<ParsedCommand> MendixCommands(RecordingPowerShellRunner runner) =>
            runner.Scripts.SelectMany(PowerShellAst.Commands).Where(c => c.Name.Contains("-Mx")).ToList();

        private static string StandbyBlob(string folder, string fixture, bool serving) =>
            Fixtures.WriteBlob(folder, File.ReadAllText(Mda.BlobAndMda(folder, fixture)) + $"standby:\n  serving: {(serving ? "true" : "false")}\n");

        [Fact]
        public void A_standby_region_node_installs_its_app_and_model_and_never_starts_it()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var (run, runner) = RunOnNode(root, StandbyBlob(blobs.Path, Fixtures.Leader, serving: false), "mxdev-0", null);

                Assert.Equal(0, run.ExitCode);
                Assert.Equal(new[] { "Get-MxApp app", "New-MxApp app -StartupType Manual", "Update-MxApp app app-1.mda" }, runner.Cmdlets);
                Assert.True(File.Exists(root.SettingsFile()));
            }
        }

        [Fact]
        public void A_standby_region_node_stops_an_app_that_runs_and_starts_it_once_its_region_serves()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var runner = new RecordingPowerShellRunner();
                RunOnNode(root, StandbyBlob(blobs.Path, Fixtures.Leader, serving: true), "mxdev-0", null, runner);
                Assert.StartsWith("Start-MxApp app", runner.Cmdlets.Last());

                var (run, _) = RunOnNode(root, StandbyBlob(blobs.Path, Fixtures.Leader, serving: false), "mxdev-0", null, runner);

                Assert.Equal(0, run.ExitCode);
                Assert.Equal("Stop-MxApp app", runner.Cmdlets.Last());
                Assert.Contains("this node's region stands by", run.Output);
            }
        }

        [Fact]
        public void The_leader_starts_its_app_with_database_synchronisation()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var (run, runner) = RunOnNode(root, Mda.BlobAndMda(blobs.Path, Fixtures.Leader), "mxdev-0", AppRunState.Stopped);

                Assert.Equal(0, run.ExitCode);
                var start = Assert.Single(MendixCommands(runner), c => c.Name == "Start-MxApp");
                Assert.Equal("app", start.Parameters["Name"]);
                Assert.True(start.Parameters.ContainsKey("SynchronizeDatabase"));
            }
        }

        [Fact]
        public void A_follower_never_synchronises_the_database_in_any_script()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var runner = new RecordingPowerShellRunner();
                var blob = Mda.BlobAndMda(blobs.Path, Fixtures.Follower);
                RunOnNode(root, blob, "mxdev-1", null, runner);
                var changed = Fixtures.WriteBlob(blobs.Path, File.ReadAllText(blob).Replace("SessionTimeout: \"600000\"", "SessionTimeout: \"700000\""));
                var (run, _) = RunOnNode(root, changed, "mxdev-1", null, runner);

                Assert.Equal(0, run.ExitCode);
                var commands = MendixCommands(runner);
                Assert.Equal(2, commands.Count(c => c.Name == "Start-MxApp"));
                Assert.DoesNotContain(commands, c => c.Parameters.ContainsKey("SynchronizeDatabase"));
            }
        }

        [Fact]
        public void A_missing_app_is_created_configured_given_its_model_then_started()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var (run, runner) = RunOnNode(root, Mda.BlobAndMda(blobs.Path, Fixtures.Follower), "mxdev-1", null);

                Assert.Equal(0, run.ExitCode);
                Assert.Equal(new[] { "Get-MxApp app", "New-MxApp app -StartupType Manual", "Update-MxApp app app-1.mda", "Start-MxApp app" }, runner.Cmdlets);
                Assert.True(File.Exists(root.SettingsFile()));
                Assert.Contains("creating it (New-MxApp, its service running as mx-app, startup type Manual)", run.Output);
                Assert.True(run.Output.IndexOf("Settings.yaml", System.StringComparison.Ordinal) < run.Output.IndexOf("Update-MxApp", System.StringComparison.Ordinal),
                    "Settings.yaml must be written before the model is unpacked and the app started");
            }
        }

        [Fact]
        public void An_app_without_any_model_is_created_and_configured_but_not_started()
        {
            using (var root = new TempAppsRoot())
            {
                var (run, runner) = RunOnNode(root, Fixtures.PathOf(Fixtures.Follower), "mxdev-1", null);

                Assert.Equal(0, run.ExitCode);
                Assert.Equal(new[] { "Get-MxApp app", "New-MxApp app -StartupType Manual" }, runner.Cmdlets);
                Assert.True(File.Exists(root.SettingsFile()));
                Assert.Contains("no model deployed yet and the blob names none (app.model); not started", run.Output);
            }
        }

        [Fact]
        public void A_running_app_with_unchanged_settings_and_model_is_left_alone_on_the_second_run()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var runner = new RecordingPowerShellRunner();
                var blob = Mda.BlobAndMda(blobs.Path, Fixtures.Follower);
                RunOnNode(root, blob, "mxdev-1", null, runner);
                runner.Scripts.Clear();
                runner.Cmdlets.Clear();

                var (run, _) = RunOnNode(root, blob, "mxdev-1", null, runner);

                Assert.Equal(0, run.ExitCode);
                Assert.Equal(new[] { "Get-MxApp" }, MendixCommands(runner).Select(c => c.Name));
                Assert.Contains("done: nothing changed", run.Output);
                Assert.Empty(root.Backups());
            }
        }

        [Fact]
        public void A_running_app_whose_settings_changed_is_restarted_without_deploying_again()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var runner = new RecordingPowerShellRunner();
                var blob = Mda.BlobAndMda(blobs.Path, Fixtures.Follower);
                RunOnNode(root, blob, "mxdev-1", null, runner);
                runner.Cmdlets.Clear();
                var changed = Fixtures.WriteBlob(blobs.Path, File.ReadAllText(blob).Replace("SessionTimeout: \"600000\"", "SessionTimeout: \"700000\""));

                var (run, _) = RunOnNode(root, changed, "mxdev-1", null, runner);

                Assert.Equal(0, run.ExitCode);
                Assert.Equal(new[] { "Get-MxApp app", "Stop-MxApp app", "Start-MxApp app" }, runner.Cmdlets);
                Assert.Single(root.Backups());
                Assert.Contains("restarted", run.Output);
            }
        }

        [Fact]
        public void A_stopped_app_with_unchanged_settings_is_started()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var runner = new RecordingPowerShellRunner();
                var blob = Mda.BlobAndMda(blobs.Path, Fixtures.Leader);
                RunOnNode(root, blob, "mxdev-0", null, runner);
                runner.Apps["app"] = AppRunState.Stopped;
                runner.Cmdlets.Clear();

                var (run, _) = RunOnNode(root, blob, "mxdev-0", null, runner);

                Assert.Equal(0, run.ExitCode);
                Assert.Equal(new[] { "Get-MxApp app", "Start-MxApp app -SynchronizeDatabase" }, runner.Cmdlets);
                Assert.Contains("already up to date", run.Output);
            }
        }

        [Fact]
        public void An_app_whose_service_starts_automatically_is_made_manual_and_its_start_is_bounded_by_the_rollouts_ready_timeout()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var runner = new RecordingPowerShellRunner();
                runner.StartTypes["app"] = "Automatic";

                var (run, _) = RunOnNode(root, Mda.BlobAndMda(blobs.Path, Fixtures.Follower), "mxdev-1", AppRunState.Stopped, runner);

                Assert.Equal(0, run.ExitCode);
                Assert.Equal(new[] { "Get-MxApp app", "Set-Service app -StartupType Manual", "Update-MxApp app app-1.mda", "Start-MxApp app" }, runner.Cmdlets);
                Assert.Equal(System.TimeSpan.FromSeconds(600), runner.Timeouts[runner.Scripts.FindIndex(s => s.Contains("$null = Start-MxApp"))]);
                Assert.Contains("its Windows service starts Automatic; setting it to Manual", run.Output);
            }
        }

        [Theory]
        [InlineData(2400, 2400)]
        [InlineData(60, 600)]
        public void The_leaders_synchronising_start_is_bounded_by_the_database_sync_timeout_and_never_less_than_the_ready_timeout(int syncTimeout, int bound)
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var runner = new RecordingPowerShellRunner();
                runner.ServerDistributions.Add(Mda.Version10);
                var blob = Mda.BlobAndMda(blobs.Path, Fixtures.Leader);
                File.WriteAllText(blob, File.ReadAllText(blob).Replace("databaseSyncTimeoutSeconds: 1800", "databaseSyncTimeoutSeconds: " + syncTimeout));

                var (run, _) = RunOnNode(root, blob, "mxdev-0", AppRunState.Stopped, runner);

                Assert.Equal(0, run.ExitCode);
                Assert.Contains("Start-MxApp app -SynchronizeDatabase", runner.Cmdlets);
                Assert.Equal(System.TimeSpan.FromSeconds(bound), runner.Timeouts[runner.Scripts.FindIndex(s => s.Contains("$null = Start-MxApp"))]);
            }
        }

        [Fact]
        public void An_app_the_console_created_to_start_automatically_gets_a_manual_start_mode_in_its_settings_without_a_restart()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var runner = new RecordingPowerShellRunner();
                var blob = Mda.BlobAndMda(blobs.Path, Fixtures.Follower);
                RunOnNode(root, blob, "mxdev-1", AppRunState.Stopped, runner);
                File.AppendAllText(root.SettingsFile(), "Service:\n  UserName: .\\mx-app\n  StartMode: AUTOMATIC\n");
                runner.Cmdlets.Clear();

                var (run, _) = RunOnNode(root, blob, "mxdev-1", null, runner);

                Assert.Equal(0, run.ExitCode);
                Assert.Contains("Settings.yaml: change Service.StartMode from 'AUTOMATIC' to 'MANUAL'", run.Output);
                Assert.Equal("Manual", Emulators.ServiceConsoleSettingsReader.Read(root.SettingsFile())!.StartMode);
                Assert.Equal(new[] { "Get-MxApp app" }, runner.Cmdlets);
                Assert.Contains("running, settings and model unchanged, nothing to do", run.Output);
            }
        }

        [Fact]
        public void A_disabled_app_service_is_left_alone_and_fails_the_run_naming_it()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var runner = new RecordingPowerShellRunner();
                runner.StartTypes["app"] = "Disabled";

                var (run, _) = RunOnNode(root, Mda.BlobAndMda(blobs.Path, Fixtures.Follower), "mxdev-1", AppRunState.Stopped, runner);

                Assert.Equal(1, run.ExitCode);
                Assert.Equal(new[] { "Get-MxApp app" }, runner.Cmdlets);
                Assert.Contains("its Windows service 'app' is Disabled", run.Output);
            }
        }

        [Fact]
        public void A_start_that_outlasts_the_ready_timeout_fails_the_run_with_the_app_stopped()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var runner = new RecordingPowerShellRunner();
                runner.StartHangs.Add("app");

                var (run, _) = RunOnNode(root, Mda.BlobAndMda(blobs.Path, Fixtures.Follower), "mxdev-1", AppRunState.Stopped, runner);

                Assert.Equal(1, run.ExitCode);
                Assert.Equal(new[] { "Get-MxApp app", "Update-MxApp app app-1.mda", "Start-MxApp app", "Stop-MxApp app" }, runner.Cmdlets);
                Assert.Equal(AppRunState.Stopped, runner.Apps["app"]);
                Assert.Contains("app 'app' did not start within 600 s (rollout.readyTimeoutSeconds): Start-MxApp was ended and the app was stopped", run.Output);
            }
        }

        [Fact]
        public void A_failing_cmdlet_fails_the_run_with_exit_1_and_its_message()
        {
            using (var root = new TempAppsRoot())
            {
                var system = TestNode.With("mxdev-1", FakeDataDisk.Online(), new FailingRunner());

                var run = AgentRun.Execute(AgentRun.OnSystem(root.Path, Fixtures.PathOf(Fixtures.Follower)), system);

                Assert.Equal(1, run.ExitCode);
                Assert.Contains("service console: cannot query app 'app': Import-Module : could not load", run.Output);
            }
        }

        private sealed class FailingRunner : IPowerShellRunner
        {
            public PowerShellResult Run(string script, System.TimeSpan? timeout = null) => new PowerShellResult(1, string.Empty, "Import-Module : could not load Mendix.Service.Commands.dll");
        }

        [Fact]
        public void A_new_app_runs_as_its_own_account_which_gets_its_folder_rights_before_the_first_start()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var runner = new RecordingPowerShellRunner();
                runner.ServerDistributions.Add(Mda.Version10);
                var node = new TestNode(runner: runner);

                var run = AgentRun.Execute(AgentRun.OnSystem(root.Path, Mda.BlobAndMda(blobs.Path, Fixtures.Follower)), node.System("mxdev-1"));

                Assert.Equal(0, run.ExitCode);
                Assert.Equal(Path.Combine(root.Path, "node-agent", "accounts", "app.password"), node.Accounts.Accounts["mx-app"]);
                Assert.Equal(new[] { "mx-app" }, node.Accounts.Forgotten);
                Assert.Contains("app 'app': deleted " + Path.Combine(root.Path, "node-agent", "accounts", "app.password") + ": the app's service holds the password of 'mx-app', and nothing else needs it", run.Output);
                Assert.True(run.Output.IndexOf("creating it (New-MxApp", System.StringComparison.Ordinal) < run.Output.IndexOf("app.password: the app's service holds", System.StringComparison.Ordinal));
                Assert.Equal(4, node.Accounts.Grants.Count(g => g.StartsWith("mx-app ", System.StringComparison.Ordinal)));
                Assert.Contains("mx-app Modify " + Path.Combine(root.Path, "app", "Log"), node.Accounts.Grants);
                Assert.Contains("mx-app Modify " + Path.Combine(root.Path, "app", "Project", "data"), node.Accounts.Grants);
                Assert.Contains("mx-app ReadAndExecute " + Path.Combine(Path.GetDirectoryName(root.Path)!, "Servers"), node.Accounts.Grants);
                Assert.Contains("IIS_IUSRS ReadAndExecute (this folder) " + root.Path, node.Accounts.Grants);
                Assert.Contains("IIS_IUSRS ReadAndExecute (this folder) " + Path.Combine(root.Path, "app"), node.Accounts.Grants);
                Assert.Contains("IIS_IUSRS ReadAndExecute (this folder) " + Path.Combine(root.Path, "app", "Project"), node.Accounts.Grants);
                Assert.Contains("IIS_IUSRS ReadAndExecute " + Path.Combine(root.Path, "app", "Project", "Web"), node.Accounts.Grants);
                Assert.Contains("IIS_IUSRS ReadAndExecute (this folder) " + Path.Combine(root.Path, "node-agent"), node.Accounts.Grants);
                Assert.DoesNotContain("IIS_IUSRS ReadAndExecute " + Path.Combine(root.Path, "app"), node.Accounts.Grants);
                var create = runner.Scripts.Single(s => s.Contains("New-MxApp"));
                Assert.Contains(PowerShellAst.Commands(create), c => c.Name == "New-MxApp" && c.Parameters["Credential"] == "$credential");
                Assert.True(run.Output.IndexOf("granted 'mx-app' its right on", System.StringComparison.Ordinal) < run.Output.IndexOf("starting (Start-MxApp", System.StringComparison.Ordinal));
            }
        }

        [Theory]
        [InlineData("app", "mx-app")]
        [InlineData("abcdefghijklmnopq", "mx-abcdefghijklmnopq")]
        [InlineData("abcdefghijklmnopqrst", "mx-abcdefghijkl-")]
        public void The_account_name_is_mx_app_within_windows_20_characters(string app, string expectedStart)
        {
            var name = AppServiceAccount.NameFor(app);

            Assert.StartsWith(expectedStart, name);
            Assert.True(name.Length <= 20, name);
            Assert.NotEqual(AppServiceAccount.NameFor("abcdefghijklmnopqrsu"), AppServiceAccount.NameFor("abcdefghijklmnopqrst"));
        }
    }
}
