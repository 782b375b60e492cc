using System.Diagnostics;
using System.IO;
using MendixNodeAgent.Tests.Support;
using Xunit;

namespace MendixNodeAgent.Tests
{
    /// <summary>The command entry exactly as the extension calls it, in file-only mode.</summary>
    public class EndToEndTests
    {
        [Theory]
        [InlineData(Fixtures.Leader, false)]
        [InlineData(Fixtures.Follower, true)]
        public void Apply_with_no_system_writes_a_settings_file_that_parses_back_to_the_blob(string fixture, bool follower)
        {
            using (var root = new TempAppsRoot())
            {
                var run = AgentRun.Execute(new[] { "apply", "--settings", Fixtures.PathOf(fixture), "--apps-root", root.Path, "--no-system" });

                Assert.Equal(0, run.ExitCode);
                Assert.Equal(string.Empty, run.Errors);
                var console = Emulators.ServiceConsoleSettingsReader.Read(root.SettingsFile())!;
                Assert.Equal("SQLSERVER", console.DatabaseType);
                Assert.Equal("mxdev-sql.database.windows.net:1433", console.DatabaseHost);
                Assert.Equal("app", console.DatabaseName);
                Assert.Equal("mendixadmin", console.DatabaseUserName);
                Assert.Equal(Fixtures.SqlPassword, console.DatabasePassword);
                Assert.Equal(8080, console.RuntimePort);
                Assert.Equal(8090, console.AdminPort);
                var custom = console.Custom;
                Assert.Equal(follower, custom.ContainsKey("com.mendix.core.isClusterSlave"));
                Assert.Equal("files-app", custom["com.mendix.storage.azure.Container"]);
                Assert.Equal("false", custom["com.mendix.storage.PerformDeleteFromStorage"]);
                Assert.Equal("300000", custom["ClusterManagerActionInterval"]);
                Assert.True(File.Exists(root.LogFile));

                var again = AgentRun.Execute(new[] { "apply", "--settings", Fixtures.PathOf(fixture), "--apps-root", root.Path, "--no-system" });
                Assert.Equal(0, again.ExitCode);
                Assert.Contains("done: nothing changed", again.Output);
            }
        }

        [Fact]
        public void From_a_bare_vm_to_the_app_behind_iis_and_a_second_run_changes_nothing()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var node = new TestNode(FakeDataDisk.Raw(), prerequisites: FakePrerequisites.BareVm());
                foreach (var (url, name) in new[]
                {
                    ("https://installers.example.com/iis/rewrite_amd64_en-US.msi", "rewrite_amd64_en-US.msi"),
                    ("https://installers.example.com/iis/requestRouter_amd64.msi", "requestRouter_amd64.msi"),
                    ("https://installers.example.com/mendix/Mendix-Service-Console-4.7.4.msi", "Mendix-Service-Console-4.7.4.msi"),
                    ("https://installers.example.com/java/OpenJDK21U-jdk_x64_windows_hotspot_21.0.4_7.msi", "OpenJDK21U-jdk_x64_windows_hotspot_21.0.4_7.msi"),
                })
                {
                    node.Downloader.Files[url] = System.Text.Encoding.ASCII.GetBytes(name);
                }

                node.Downloader.Files["https://cdn.mendix.com/runtime/mendix-" + Mda.Version10 + ".tar.gz"] = new byte[] { 1, 2, 3 };
                var blob = Mda.BlobAndMda(blobs.Path, Fixtures.Leader);

                var first = AgentRun.Execute(AgentRun.OnSystem(root.Path, blob), node.System("mxdev-0"));
                var second = AgentRun.Execute(AgentRun.OnSystem(root.Path, blob), node.System("mxdev-0"));

                Assert.Equal(0, first.ExitCode);
                Assert.Equal(new[] { (2, 'M') }, node.Disk.Initialized);
                Assert.Equal(
                    new[] { "Get-MxApp app", "New-MxApp app -StartupType Manual", "Install-MxServer mendix-" + Mda.Version10 + ".tar.gz", "Update-MxApp app app-1.mda", "Start-MxApp app -SynchronizeDatabase", "Get-MxApp app" },
                    node.Runner.Cmdlets);
                Assert.True(File.Exists(root.WebConfig()));
                Assert.True(node.Iis.Sites["mendix-app"].Exists);
                Assert.Equal(0, second.ExitCode);
                Assert.Contains("done: nothing changed", second.Output);
            }
        }

        [Fact]
        public void The_built_program_runs_as_a_process_with_the_documented_exit_codes()
        {
            using (var root = new TempAppsRoot())
            {
                var program = Path.Combine(System.AppContext.BaseDirectory, "mendix-node-agent.dll");

                var good = RunProcess(program, "apply", "--settings", Fixtures.PathOf(Fixtures.Follower), "--apps-root", root.Path, "--no-system");
                var bad = RunProcess(program, "apply", "--settings", Path.Combine(root.Path, "missing.yaml"), "--no-system");

                Assert.Equal(0, good.ExitCode);
                Assert.Contains("created", good.Output);
                Assert.True(File.Exists(root.SettingsFile()));
                Assert.Equal(2, bad.ExitCode);
                Assert.Contains("the settings file does not exist", bad.Errors);
            }
        }

        private static (int ExitCode, string Output, string Errors) RunProcess(string program, params string[] args)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(program);
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            using (var process = Process.Start(start)!)
            {
                var errors = process.StandardError.ReadToEndAsync();
                var output = process.StandardOutput.ReadToEnd();
                process.WaitForExit();
                return (process.ExitCode, output, errors.Result);
            }
        }
    }
}
