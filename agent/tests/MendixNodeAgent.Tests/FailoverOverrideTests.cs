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
    /// What a regional failover's Run Command scripts record on a node (a run-state override held until the next failover)
    /// outlasts a restart and every later run of the extension, whatever the settings blobs say: during a region's loss
    /// they cannot be rewritten. The scripts are the stack's renderings (<see cref="RunCommandScripts"/>).
    /// </summary>
    public class FailoverOverrideTests
    {
        [Fact]
        public void A_standby_node_told_to_serve_starts_its_apps_again_after_a_restart()
        {
            using (var shell = new StandInPowerShell())
            {
                CompletedNode.AddApp(shell, "app", running: false, leader: true);
                var appsRoot = shell.AppsPath;

                var serving = shell.Run(RunCommandScripts.Script("serving", appsRoot));
                var resume = CompletedNode.Resume(shell, new FakeClock());

                Assert.True(serving.ExitCode == 0, serving.Errors);
                var held = RunStateOverride.Read(appsRoot, "app")!;
                Assert.True(held.Running);
                Assert.Equal(RunStateUntil.NextFailover, held.Until);
                Assert.Equal(0, resume.ExitCode);
                Assert.Equal("Running", shell.Services["app"]);
            }
        }

        [Fact]
        public void A_node_told_to_stand_by_is_left_stopped_after_a_restart()
        {
            using (var shell = new StandInPowerShell())
            {
                CompletedNode.AddApp(shell, "app", running: true, leader: true);
                var appsRoot = shell.AppsPath;
                shell.Services["app"] = "Running";

                var standBy = shell.Run(RunCommandScripts.Script("standBy", appsRoot));
                var resume = CompletedNode.Resume(shell, new FakeClock());

                Assert.True(standBy.ExitCode == 0, standBy.Errors);
                Assert.Equal(RunStateUntil.NextFailover, RunStateOverride.Read(appsRoot, "app")!.Until);
                Assert.Equal(0, resume.ExitCode);
                Assert.Empty(shell.CallsOf("Start-MxApp"));
                Assert.Equal("Stopped", shell.Services["app"]);
            }
        }

        [Fact]
        public void An_extension_run_keeps_a_served_standby_node_serving_though_its_blob_says_serving_false_and_keeps_the_override()
        {
            using (var shell = new StandInPowerShell())
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var node = new TestNode();
                node.Runner.ServerDistributions.Add(Mda.Version10);
                shell.Run(RunCommandScripts.Script("serving", root.Path));
                var blob = Fixtures.WriteBlob(blobs.Path, File.ReadAllText(Mda.BlobAndMda(blobs.Path, Fixtures.Leader)) + "standby:\n  serving: false\n");

                var run = AgentRun.Execute(AgentRun.OnSystem(root.Path, blob), node.System("mxdev-0"));

                Assert.Equal(0, run.ExitCode);
                Assert.StartsWith("Start-MxApp app", node.Runner.Cmdlets.Last());
                Assert.True(Assert.Single(CompletedApp.ReadAll(root.Path)).Running);
                Assert.Contains("app 'app': started on purpose by failover-toStandby at", run.Output);
                Assert.Contains("until the next regional failover", run.Output);
                Assert.True(RunStateOverride.Read(root.Path, "app")!.Running);
            }
        }

        [Fact]
        public void An_extension_run_stops_the_apps_of_a_stack_region_node_told_to_stand_by()
        {
            using (var shell = new StandInPowerShell())
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var node = new TestNode();
                node.Runner.ServerDistributions.Add(Mda.Version10);
                var blob = Mda.BlobAndMda(blobs.Path, Fixtures.Leader);
                AgentRun.Execute(AgentRun.OnSystem(root.Path, blob), node.System("mxdev-0"));
                Assert.StartsWith("Start-MxApp app", node.Runner.Cmdlets.Last());
                shell.Run(RunCommandScripts.Script("standBy", root.Path));

                var run = AgentRun.Execute(AgentRun.OnSystem(root.Path, blob), node.System("mxdev-0"));

                Assert.Equal(0, run.ExitCode);
                Assert.Equal("Stop-MxApp app", node.Runner.Cmdlets.Last());
                Assert.False(Assert.Single(CompletedApp.ReadAll(root.Path)).Running);
                Assert.False(RunStateOverride.Read(root.Path, "app")!.Running);
            }
        }

        [Fact]
        public void An_override_the_stack_did_not_write_stops_the_run_naming_the_file()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var node = new TestNode();
                Directory.CreateDirectory(CompletedApp.Folder(root.Path));
                File.WriteAllText(RunStateOverride.FileOf(root.Path, "app"), "app=app\nrunning=true\nby=someone\nat=2026-12-06T10:00:00Z\nuntil=forever\n");

                var run = AgentRun.Execute(AgentRun.OnSystem(root.Path, Mda.BlobAndMda(blobs.Path, Fixtures.Leader)), node.System("mxdev-0"));

                Assert.Equal(1, run.ExitCode);
                Assert.Contains($"{RunStateOverride.FileOf(root.Path, "app")} has until 'forever'; allowed: next-run or next-failover", run.AllText);
                Assert.DoesNotContain(node.Runner.Cmdlets, c => c.StartsWith("Start-MxApp"));
            }
        }
    }
}
