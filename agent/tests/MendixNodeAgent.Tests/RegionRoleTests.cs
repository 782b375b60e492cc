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
    /// What a regional failover tells a node ('serve', 'stand-by') outlasts a restart and every later run of the extension,
    /// whatever the settings blobs say: during a region's loss they cannot be rewritten.
    /// </summary>
    public class RegionRoleTests
    {
        private const string ModelSha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

        [Fact]
        public void A_standby_node_told_to_serve_starts_its_apps_again_after_a_restart()
        {
            using (var shell = new StandInPowerShell())
            {
                var appsRoot = CompletedNode(shell, running: false);

                var serve = AgentRun.Execute(new[] { "serve", "--apps-root", appsRoot }, Machine(shell));
                var resume = AgentRun.Execute(new[] { "resume", "--apps-root", appsRoot }, Machine(shell));

                Assert.Equal(0, serve.ExitCode);
                Assert.Equal("serving\n", File.ReadAllText(RegionRoleRecord.FileIn(appsRoot)));
                Assert.True(Assert.Single(CompletedApp.ReadAll(appsRoot)).Running);
                Assert.Contains("app 'app': recorded as running", serve.Output);
                Assert.Empty(serve.Errors);
                Assert.Equal(0, resume.ExitCode);
                Assert.Equal("Running", shell.Services["app"]);
            }
        }

        [Fact]
        public void A_node_told_to_stand_by_is_left_stopped_after_a_restart()
        {
            using (var shell = new StandInPowerShell())
            {
                var appsRoot = CompletedNode(shell, running: true);

                var standBy = AgentRun.Execute(new[] { "stand-by", "--apps-root", appsRoot }, Machine(shell));
                var resume = AgentRun.Execute(new[] { "resume", "--apps-root", appsRoot }, Machine(shell));

                Assert.Equal(0, standBy.ExitCode);
                Assert.Equal("standing-by\n", File.ReadAllText(RegionRoleRecord.FileIn(appsRoot)));
                Assert.False(Assert.Single(CompletedApp.ReadAll(appsRoot)).Running);
                Assert.Equal(0, resume.ExitCode);
                Assert.Empty(shell.CallsOf("Start-MxApp"));
                Assert.Equal("Stopped", shell.Services["app"]);
            }
        }

        [Fact]
        public void An_extension_run_keeps_a_served_standby_node_serving_though_its_blob_says_serving_false()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var node = new TestNode();
                node.Runner.ServerDistributions.Add(Mda.Version10);
                RegionRoleRecord.Write(root.Path, RegionRole.Serving);
                var blob = Fixtures.WriteBlob(blobs.Path, File.ReadAllText(Mda.BlobAndMda(blobs.Path, Fixtures.Leader)) + "standby:\n  serving: false\n");

                var run = AgentRun.Execute(AgentRun.OnSystem(root.Path, blob), node.System("mxdev-0"));

                Assert.Equal(0, run.ExitCode);
                Assert.StartsWith("Start-MxApp app", node.Runner.Cmdlets.Last());
                Assert.True(Assert.Single(CompletedApp.ReadAll(root.Path)).Running);
                Assert.Contains("region role: the last regional failover told this node to serve", run.Output);
            }
        }

        [Fact]
        public void An_extension_run_stops_the_apps_of_a_stack_region_node_told_to_stand_by()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var node = new TestNode();
                node.Runner.ServerDistributions.Add(Mda.Version10);
                var blob = Mda.BlobAndMda(blobs.Path, Fixtures.Leader);
                AgentRun.Execute(AgentRun.OnSystem(root.Path, blob), node.System("mxdev-0"));
                Assert.StartsWith("Start-MxApp app", node.Runner.Cmdlets.Last());
                RegionRoleRecord.Write(root.Path, RegionRole.StandingBy);

                var run = AgentRun.Execute(AgentRun.OnSystem(root.Path, blob), node.System("mxdev-0"));

                Assert.Equal(0, run.ExitCode);
                Assert.Equal("Stop-MxApp app", node.Runner.Cmdlets.Last());
                Assert.False(Assert.Single(CompletedApp.ReadAll(root.Path)).Running);
            }
        }

        [Fact]
        public void A_region_role_the_agent_did_not_write_stops_the_run_naming_the_file()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var node = new TestNode();
                Directory.CreateDirectory(AppFolders.AgentFolder(root.Path));
                File.WriteAllText(RegionRoleRecord.FileIn(root.Path), "active\n");

                var run = AgentRun.Execute(AgentRun.OnSystem(root.Path, Mda.BlobAndMda(blobs.Path, Fixtures.Leader)), node.System("mxdev-0"));

                Assert.Equal(1, run.ExitCode);
                Assert.Contains($"{RegionRoleRecord.FileIn(root.Path)} says 'active'; allowed: 'serving' or 'standing-by'", run.AllText);
                Assert.DoesNotContain(node.Runner.Cmdlets, c => c.StartsWith("Start-MxApp"));
            }
        }

        [Theory]
        [InlineData("serve")]
        [InlineData("stand-by")]
        public void Serve_and_stand_by_take_exactly_the_apps_root(string command)
        {
            var run = AgentRun.Execute(new[] { command });

            Assert.Equal(2, run.ExitCode);
            Assert.Contains($"{command} takes exactly --apps-root DIR", run.AllText);
        }

        /// <summary>A node whose last completed run left app 'app' with model <see cref="ModelSha"/>, running or (a standby's) not.</summary>
        private static string CompletedNode(StandInPowerShell shell, bool running)
        {
            var appsRoot = shell.AppsPath;
            shell.AddApp("app", "Stopped");
            new DeployedModelState(ModelSha, "10.12.4.41735", 21, "models/app/app-0123456789ab.mda", AgentRun.FixedStart).Write(AppFolders.DeployedModelFile(appsRoot, "app"));
            new CompletedApp("app", leader: true, running, ModelSha, Sha256File.Of(AppFolders.SettingsFile(appsRoot, "app")), 300).Write(appsRoot);
            return appsRoot;
        }

        private static NodeSystem Machine(StandInPowerShell shell) =>
            new NodeSystem("mxdev-0", FakeDataDisk.Online(), new MendixServiceConsole(shell), null, new FakePrerequisites(), new FakeDownloader(), new FakeIisSites(),
                new FakeCertificates(), new FakeServiceAccounts(), new InProcessHealthEndpoint(new IisStandIn(new FakeIisSites(), new RecordingPowerShellRunner())),
                new FakeDatabaseProbe(), new FakeFilesProbe(), new FakeJavaProcesses(), new FakeClock(), new FakeBootTask());
    }
}
