using System;
using System.IO;
using System.Linq;
using System.Text;
using MendixNodeAgent.Tests.Support;
using MendixNodeAgent.Windows;
using Xunit;

namespace MendixNodeAgent.Tests
{
    /// <summary>
    /// The wait for the app's database before its start: a fake database that refuses sign-ins a number of times,
    /// a fake clock. Everything before the start (prerequisites, server distribution, the console, Settings.yaml, the
    /// model) runs without waiting for it. The fixtures' databaseWaitSeconds is 1800.
    /// </summary>
    public class DatabaseWaitTests
    {
        private const string DistributionUrl = "https://cdn.mendix.com/runtime/mendix-" + Mda.Version10 + ".tar.gz";

        /// <summary>A bare node's first deployment of a follower with a model: the console has no app and no distribution.</summary>
        private static (TestNode Node, string Blob) FirstDeployment(TempAppsRoot blobs)
        {
            var node = new TestNode();
            node.Downloader.Files[DistributionUrl] = Encoding.ASCII.GetBytes("a server distribution");
            return (node, Mda.BlobAndMda(blobs.Path, Fixtures.Follower));
        }

        [Fact]
        public void A_database_that_accepts_a_sign_in_after_three_refusals_is_waited_for_with_a_growing_pause_and_a_line_per_retry()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var (node, blob) = FirstDeployment(blobs);
                node.Database.Refusals = 3;

                var run = AgentRun.Execute(AgentRun.OnSystem(root.Path, blob), node.System("mxdev-1"));

                Assert.Equal(0, run.ExitCode);
                Assert.Equal(4, node.Database.SignIns.Count);
                var target = node.Database.SignIns[0];
                Assert.Equal(("mxdev-sql.database.windows.net", 1433, "app", "mendixadmin", Fixtures.SqlPassword), (target.Host, target.Port, target.DatabaseName, target.UserName, target.Password));
                Assert.Equal(new[] { 5.0, 10, 20 }, node.Clock.Pauses.Take(3).Select(p => p.TotalSeconds).ToArray());
                Assert.Contains("app 'app': database 'app' on mxdev-sql.database.windows.net:1433 as 'mendixadmin' does not accept a sign-in yet (SQL error 40615: Cannot open server 'mxdev-sql' requested by the login); retry 1 in 5 s (0 s of 1800 s waited)", run.Output);
                Assert.Contains("retry 3 in 20 s (15 s of 1800 s waited)", run.Output);
                Assert.Contains("accepts a sign-in (after 35 s)", run.Output);
                Assert.True(run.Output.IndexOf("accepts a sign-in (after 35 s)", StringComparison.Ordinal) < run.Output.IndexOf("starting (Start-MxApp", StringComparison.Ordinal));
                Assert.DoesNotContain(Fixtures.SqlPassword, run.AllText);
            }
        }

        [Fact]
        public void A_database_that_never_accepts_fails_the_run_naming_host_and_database_after_everything_else_was_done()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var (node, blob) = FirstDeployment(blobs);
                node.Database.Refusals = int.MaxValue;

                var run = AgentRun.Execute(AgentRun.OnSystem(root.Path, blob), node.System("mxdev-1"));

                Assert.Equal(1, run.ExitCode);
                Assert.Contains($"{blob}: app 'app': database 'app' on mxdev-sql.database.windows.net:1433 as 'mendixadmin' did not accept a sign-in within rollout.databaseWaitSeconds (1800 s, ", run.Output);
                Assert.Contains("last error: SQL error 40615", run.Output);
                Assert.InRange(node.Clock.Elapsed.TotalSeconds, 1770, 1800);
                // What needs no database was all done before the wait: the console's app, the distribution, the model, Settings.yaml.
                Assert.Equal(new[] { "Get-MxApp app", "New-MxApp app -StartupType Manual", "Install-MxServer mendix-" + Mda.Version10 + ".tar.gz", "Update-MxApp app app-1.mda" }, node.Runner.Cmdlets);
                Assert.True(File.Exists(root.SettingsFile()));
                Assert.DoesNotContain(Fixtures.SqlPassword, run.AllText);
            }
        }

        [Fact]
        public void Each_apps_database_is_asked_once_per_run_and_only_when_its_app_starts()
        {
            using (var root = new TempAppsRoot())
            {
                var node = new TestNode();
                node.Runner.Apps["app"] = AppRunState.Running;
                var metadata = Path.Combine(root.AppFolder(), "Project", "model", "metadata.json");
                Directory.CreateDirectory(Path.GetDirectoryName(metadata)!);
                File.WriteAllText(metadata, "{}");

                var first = AgentRun.Execute(AgentRun.OnSystem(root.Path, Fixtures.PathOf(Fixtures.Follower)), node.System("mxdev-1"));
                var signInsAfterFirst = node.Database.SignIns.Count;
                var second = AgentRun.Execute(AgentRun.OnSystem(root.Path, Fixtures.PathOf(Fixtures.Follower)), node.System("mxdev-1"));

                Assert.Equal(0, first.ExitCode);
                // The new Settings.yaml restarts the app: one sign-in, before the stop.
                Assert.Equal(1, signInsAfterFirst);
                Assert.Equal(0, second.ExitCode);
                Assert.Contains("done: nothing changed", second.Output);
                Assert.Single(node.Database.SignIns);
            }
        }

        [Theory]
        [InlineData("mxdev-sql.database.windows.net:1433", "mxdev-sql.database.windows.net", 1433)]
        [InlineData("mxdev-sql.database.windows.net:14330", "mxdev-sql.database.windows.net", 14330)]
        [InlineData("mxdev-sql.database.windows.net", "mxdev-sql.database.windows.net", 1433)]
        public void The_database_host_is_read_as_host_and_port(string databaseHost, string host, int port)
        {
            using (var blobs = new TempAppsRoot())
            {
                var file = Fixtures.Variant(blobs.Path, Fixtures.Follower, "  DatabaseHost: mxdev-sql.database.windows.net:1433", "  DatabaseHost: " + databaseHost);
                var target = MendixNodeAgent.Database.DatabaseTarget.Of(MendixNodeAgent.Blob.NodeSettingsBlobReader.Read(file));

                Assert.Equal((host, port), (target.Host, target.Port));
                Assert.DoesNotContain(Fixtures.SqlPassword, target.Describe());
            }
        }
    }
}
