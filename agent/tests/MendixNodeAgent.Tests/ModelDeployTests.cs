using System.IO;
using System.Linq;
using System.Text;
using MendixNodeAgent.Tests.Support;
using MendixNodeAgent.Windows;
using Xunit;

namespace MendixNodeAgent.Tests
{
    /// <summary>Deploying a model: server distribution, Stop-MxApp, Update-MxApp, Start-MxApp; and not again when unchanged.</summary>
    public class ModelDeployTests
    {
        private const string DistributionUrl = "https://cdn.mendix.com/runtime/mendix-" + Mda.Version10 + ".tar.gz";

        private static TestNode NodeWithDistribution()
        {
            var node = new TestNode();
            node.Runner.ServerDistributions.Add(Mda.Version10);
            return node;
        }

        [Fact]
        public void The_leader_deploys_a_new_model_and_starts_with_database_synchronisation()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var node = NodeWithDistribution();
                node.Runner.Apps["app"] = AppRunState.Running;

                var run = AgentRun.Execute(AgentRun.OnSystem(root.Path, Mda.BlobAndMda(blobs.Path, Fixtures.Leader, "app-2.mda")), node.System("mxdev-0"));

                Assert.Equal(0, run.ExitCode);
                Assert.Equal(new[] { "Get-MxApp app", "Stop-MxApp app", "Update-MxApp app app-2.mda", "Start-MxApp app -SynchronizeDatabase" }, node.Runner.Cmdlets);
                var update = node.Runner.Scripts.SelectMany(PowerShellAst.Commands).Single(c => c.Name == "Update-MxApp");
                Assert.Equal(Path.Combine(blobs.Path, "app-2.mda"), update.Parameters["LiteralPath"]);
                Assert.Equal("app", update.Parameters["Name"]);
            }
        }

        [Fact]
        public void A_follower_deploys_without_database_synchronisation()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var node = NodeWithDistribution();
                node.Runner.Apps["app"] = AppRunState.Running;

                var run = AgentRun.Execute(AgentRun.OnSystem(root.Path, Mda.BlobAndMda(blobs.Path, Fixtures.Follower)), node.System("mxdev-1"));

                Assert.Equal(0, run.ExitCode);
                Assert.Equal(new[] { "Get-MxApp app", "Stop-MxApp app", "Update-MxApp app app-1.mda", "Start-MxApp app" }, node.Runner.Cmdlets);
                Assert.DoesNotContain(node.Runner.Scripts.SelectMany(PowerShellAst.Commands), c => c.Parameters.ContainsKey("SynchronizeDatabase"));
                Assert.Contains("follower: no database synchronisation", run.Output);
            }
        }

        [Fact]
        public void An_unchanged_model_is_not_deployed_again_and_a_changed_one_is()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            using (var newer = new TempAppsRoot())
            {
                var node = NodeWithDistribution();
                var blob = Mda.BlobAndMda(blobs.Path, Fixtures.Follower);
                Assert.Equal(0, AgentRun.Execute(AgentRun.OnSystem(root.Path, blob), node.System("mxdev-1")).ExitCode);
                node.Runner.Cmdlets.Clear();

                var again = AgentRun.Execute(AgentRun.OnSystem(root.Path, blob), node.System("mxdev-1"));

                Assert.Equal(0, again.ExitCode);
                Assert.Equal(new[] { "Get-MxApp app" }, node.Runner.Cmdlets);
                Assert.Contains("is the one deployed; not deployed again", again.Output);
                Assert.Contains("done: nothing changed", again.Output);

                var next = Mda.BlobAndMda(newer.Path, Fixtures.Follower, "app-2.mda", Mda.Version10, "\"21\"");
                node.Runner.Cmdlets.Clear();
                var deployed = AgentRun.Execute(AgentRun.OnSystem(root.Path, next), node.System("mxdev-1"));

                Assert.Equal(0, deployed.ExitCode);
                Assert.Equal(new[] { "Get-MxApp app", "Stop-MxApp app", "Update-MxApp app app-2.mda", "Start-MxApp app" }, node.Runner.Cmdlets);
            }
        }

        [Fact]
        public void The_deployed_model_is_remembered_on_the_data_disk()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var blob = Mda.BlobAndMda(blobs.Path, Fixtures.Follower);

                AgentRun.Execute(AgentRun.OnSystem(root.Path, blob), NodeWithDistribution().System("mxdev-1"));

                var state = File.ReadAllLines(root.DeployedModelFile()).ToDictionary(l => l.Split('=')[0], l => l.Substring(l.IndexOf('=') + 1));
                Assert.Equal(Mda.Sha256(Path.Combine(blobs.Path, "app-1.mda")), state["sha256"]);
                Assert.Equal(Mda.Version10, state["runtimeVersion"]);
                Assert.Equal("21", state["javaMajor"]);
                Assert.Equal("app-1.mda", state["file"]);
            }
        }

        [Fact]
        public void A_missing_server_distribution_is_downloaded_for_the_mdas_version_and_installed_before_the_app_stops()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var node = new TestNode();
                node.Runner.Apps["app"] = AppRunState.Running;
                node.Downloader.Files[DistributionUrl] = Encoding.ASCII.GetBytes("a server distribution");

                var run = AgentRun.Execute(AgentRun.OnSystem(root.Path, Mda.BlobAndMda(blobs.Path, Fixtures.Follower)), node.System("mxdev-1"));

                Assert.Equal(0, run.ExitCode);
                Assert.Equal(new[] { DistributionUrl }, node.Downloader.Downloads);
                Assert.Equal(
                    new[] { "Get-MxApp app", "Install-MxServer mendix-" + Mda.Version10 + ".tar.gz", "Stop-MxApp app", "Update-MxApp app app-1.mda", "Start-MxApp app" },
                    node.Runner.Cmdlets);
                Assert.Contains(Mda.Version10, node.Runner.ServerDistributions);
                Assert.False(File.Exists(Path.Combine(root.Path, "node-agent", "downloads", "mendix-" + Mda.Version10 + ".tar.gz")), "the archive is removed once installed");
            }
        }

        [Fact]
        public void A_server_distribution_that_cannot_be_downloaded_fails_with_exit_1_before_the_app_stops()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var node = new TestNode();
                node.Runner.Apps["app"] = AppRunState.Running;

                var run = AgentRun.Execute(AgentRun.OnSystem(root.Path, Mda.BlobAndMda(blobs.Path, Fixtures.Follower)), node.System("mxdev-1"));

                Assert.Equal(1, run.ExitCode);
                Assert.Contains($"download: {DistributionUrl} answered HTTP 404", run.Output);
                Assert.Equal(new[] { "Get-MxApp app" }, node.Runner.Cmdlets);
                Assert.Equal(AppRunState.Running, node.Runner.Apps["app"]);
                Assert.False(File.Exists(root.DeployedModelFile()));
            }
        }

        [Fact]
        public void An_app_the_console_lost_gets_its_model_again_even_when_it_is_the_one_deployed_before()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var node = NodeWithDistribution();
                var blob = Mda.BlobAndMda(blobs.Path, Fixtures.Follower);
                AgentRun.Execute(AgentRun.OnSystem(root.Path, blob), node.System("mxdev-1"));
                node.Runner.Apps.Clear();
                node.Runner.Cmdlets.Clear();

                var run = AgentRun.Execute(AgentRun.OnSystem(root.Path, blob), node.System("mxdev-1"));

                Assert.Equal(0, run.ExitCode);
                Assert.Equal(new[] { "Get-MxApp app", "New-MxApp app -StartupType Manual", "Update-MxApp app app-1.mda", "Start-MxApp app" }, node.Runner.Cmdlets);
            }
        }

        [Fact]
        public void A_new_app_gets_its_settings_before_its_model_and_is_started_once()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var node = NodeWithDistribution();

                var run = AgentRun.Execute(AgentRun.OnSystem(root.Path, Mda.BlobAndMda(blobs.Path, Fixtures.Leader)), node.System("mxdev-0"));

                Assert.Equal(0, run.ExitCode);
                Assert.Equal(new[] { "Get-MxApp app", "New-MxApp app -StartupType Manual", "Update-MxApp app app-1.mda", "Start-MxApp app -SynchronizeDatabase" }, node.Runner.Cmdlets);
            }
        }
    }
}
