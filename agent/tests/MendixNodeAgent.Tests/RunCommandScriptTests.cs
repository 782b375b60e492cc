using System.Collections;
using System.Linq;
using MendixNodeAgent.Node;
using MendixNodeAgent.Tests.Emulators;
using MendixNodeAgent.Tests.Support;
using MendixNodeAgent.Windows;
using Xunit;

namespace MendixNodeAgent.Tests
{
    /// <summary>
    /// The stack's Run Command scripts that stop and start a node's apps (the stop before a new model with stopAll and before
    /// a restore, a failover's stop and start), as the stack renders them (<see cref="RunCommandScripts"/>), run under
    /// PowerShell 7 against the stand-in cmdlets, as the agent's own scripts are.
    /// </summary>
    public class RunCommandScriptTests
    {
        [Fact]
        public void The_stop_records_each_app_as_stopped_on_purpose_and_then_stops_it()
        {
            using (var shell = new StandInPowerShell())
            {
                shell.AddApp("app", "Running");
                shell.AddApp("crm", "Running");

                var run = shell.Run(RunCommandScripts.Script("stopApps", shell.AppsPath));

                Assert.True(run.ExitCode == 0, run.Errors);
                Assert.Equal(new[] { "app: stopped", "crm: stopped" }, Lines(run.Output));
                Assert.Equal(new[] { "Stopped", "Stopped" }, new[] { shell.Services["app"], shell.Services["crm"] });
                foreach (var app in new[] { "app", "crm" })
                {
                    var held = RunStateOverride.Read(shell.AppsPath, app)!;
                    Assert.False(held.Running);
                    Assert.Equal("mendix-stop-0123abcd", held.By);
                    Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$", held.At);
                }
            }
        }

        [Fact]
        public void The_stop_waits_for_a_service_that_stop_mxapp_gave_up_on_after_30_seconds()
        {
            using (var shell = new StandInPowerShell())
            {
                shell.AddApp("app", "Running");
                shell.AddApp("crm", "Stopped");
                shell.State["StopTimesOut"] = true;
                ((Hashtable)shell.State["PendingPolls"]!)["app"] = 4;

                var run = shell.Run(RunCommandScripts.Script("stopApps", shell.AppsPath));

                Assert.True(run.ExitCode == 0, run.Errors);
                Assert.Equal(new[] { "app: stopped", "crm: already stopped" }, Lines(run.Output));
                Assert.Equal("Stopped", shell.Services["app"]);
                Assert.Equal(4, shell.CallsOf("Start-Sleep").Count);
            }
        }

        [Fact]
        public void A_service_still_stopping_after_120_seconds_fails_the_stop_naming_its_state()
        {
            using (var shell = new StandInPowerShell())
            {
                shell.AddApp("app", "Running");
                shell.AddApp("crm", "Running");
                shell.State["StopTimesOut"] = true;

                var run = shell.Run(RunCommandScripts.Script("stopApps", shell.AppsPath));

                Assert.Equal(1, run.ExitCode);
                Assert.Contains("the Windows service app is still StopPending 120 s after Stop-MxApp (Stop-MxApp: Time out has expired and the operation has not been completed.); the app is not stopped", run.Errors);
                Assert.Equal(60, shell.CallsOf("Start-Sleep").Count);
                Assert.False(RunStateOverride.Read(shell.AppsPath, "crm")!.Running);
            }
        }

        [Fact]
        public void An_app_without_a_service_on_the_node_has_nothing_to_stop_and_a_paused_or_starting_one_is_stopped()
        {
            using (var shell = new StandInPowerShell())
            {
                shell.AddApp("app", "Paused");

                var run = shell.Run(RunCommandScripts.Script("stopApps", shell.AppsPath));

                Assert.True(run.ExitCode == 0, run.Errors);
                Assert.Equal(new[] { "app: stopped", "crm: no Windows service on this node, nothing to stop" }, Lines(run.Output));
                Assert.Equal("Stopped", shell.Services["app"]);
                Assert.Equal(new[] { "app" }, shell.CallsOf("Stop-MxApp").Select(c => c.Parameters["Name"]));
            }

            using (var shell = new StandInPowerShell())
            {
                shell.AddApp("app", "StartPending");
                shell.AddApp("crm", "Stopped");
                ((Hashtable)shell.State["PendingPolls"]!)["app"] = 2;

                var run = shell.Run(RunCommandScripts.Script("stopApps", shell.AppsPath));

                Assert.True(run.ExitCode == 0, run.Errors);
                Assert.Equal("Stopped", shell.Services["app"]);
                Assert.Single(shell.CallsOf("Stop-MxApp"));
            }
        }

        [Fact]
        public void The_leaders_start_synchronises_each_app_within_its_bound_and_waits_for_the_health_path()
        {
            using (var shell = new StandInPowerShell())
            {
                shell.AddApp("app", "Stopped");
                shell.AddApp("crm", "Stopped");
                shell.State["UnsyncedDatabases"] = new object[] { "app" };

                var run = shell.Run(RunCommandScripts.Script("startLeader", shell.AppsPath));

                Assert.True(run.ExitCode == 0, run.Errors);
                Assert.Equal(new[] { "app: started", "crm: started", "ready=true" }, Lines(run.Output));
                Assert.All(shell.CallsOf("Start-MxApp"), call => Assert.Equal("True", call.Parameters["SynchronizeDatabase"]));
                Assert.All(shell.CallsOf("Wait-Job"), call => Assert.Equal("600", call.Parameters["Timeout"]));
                Assert.Equal(new[] { "Running", "Running" }, new[] { shell.Services["app"], shell.Services["crm"] });
            }
        }

        [Fact]
        public void A_followers_start_on_a_database_not_in_sync_fails_with_the_consoles_reason_once_the_service_has_stopped()
        {
            using (var shell = new StandInPowerShell())
            {
                shell.AddApp("app", "Stopped");
                shell.State["UnsyncedDatabases"] = new object[] { "app" };

                var run = shell.Run(RunCommandScripts.Script("startFollower", shell.AppsPath));

                Assert.Equal(1, run.ExitCode);
                Assert.Contains("app: Start-MxApp failed, and the app is stopped: Unable to start the app. Reason: The database is not synchronized with the model.", run.Errors);
                Assert.Equal("False", shell.CallsOf("Start-MxApp").Single().Parameters["SynchronizeDatabase"]);
                Assert.Equal("Stopped", shell.Services["app"]);
            }
        }

        [Fact]
        public void A_start_that_does_not_return_within_its_bound_is_ended_and_the_app_stopped()
        {
            using (var shell = new StandInPowerShell())
            {
                shell.AddApp("app", "Stopped");
                shell.State["StartHangs"] = new object[] { "app" };

                var run = shell.Run(RunCommandScripts.Script("startFollower", shell.AppsPath));

                Assert.Equal(1, run.ExitCode);
                Assert.Contains("app: Start-MxApp did not return within 300 s; it was ended and the app stopped", run.Errors);
                Assert.Equal(new[] { "app: stopped" }, Lines(run.Output));
                Assert.Equal("Stopped", shell.Services["app"]);
                Assert.Equal("True", shell.CallsOf("Remove-Job").Single().Parameters["Force"]);
            }
        }

        [Fact]
        public void A_paused_service_is_not_started_and_one_already_running_is_left_alone()
        {
            using (var shell = new StandInPowerShell())
            {
                shell.AddApp("app", "Paused");

                var paused = shell.Run(RunCommandScripts.Script("startFollower", shell.AppsPath));
                shell.Services["app"] = "Running";
                var running = shell.Run(RunCommandScripts.Script("startFollower", shell.AppsPath));

                Assert.Equal(1, paused.ExitCode);
                Assert.Contains("the Windows service app is still Paused 120 s (neither Running nor Stopped, so Start-MxApp would do nothing)", paused.Errors);
                Assert.True(running.ExitCode == 0, running.Errors);
                Assert.Equal(new[] { "app: already running", "ready=true" }, Lines(running.Output));
                Assert.Empty(shell.CallsOf("Start-MxApp"));
            }
        }

        [Fact]
        public void A_node_whose_health_path_does_not_answer_200_within_the_bound_says_ready_false()
        {
            using (var shell = new StandInPowerShell())
            {
                shell.AddApp("app", "Stopped");
                shell.AddApp("other", "Stopped");

                var run = shell.Run(RunCommandScripts.Script("startFollower", shell.AppsPath));

                Assert.True(run.ExitCode == 0, run.Errors);
                Assert.Equal(new[] { "app: started", "ready=false" }, Lines(run.Output));
                Assert.Equal(60, shell.CallsOf("Invoke-WebRequest").Count);
            }
        }

        private static string[] Lines(string output) => output.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0).ToArray();
    }
}
