using System.IO;
using System.Linq;
using System.Text;
using MendixNodeAgent.Prerequisites;
using MendixNodeAgent.Tests.Support;
using Xunit;

namespace MendixNodeAgent.Tests
{
    /// <summary>Installing and verifying IIS, URL Rewrite, ARR, Java and the Service Console.</summary>
    public class PrerequisiteTests
    {
        private const string UrlRewriteUrl = "https://installers.example.com/iis/rewrite_amd64_en-US.msi";
        private const string ArrUrl = "https://installers.example.com/iis/requestRouter_amd64.msi";
        private const string ConsoleUrl = "https://installers.example.com/mendix/Mendix-Service-Console-4.7.4.msi";
        private const string JavaUrl = "https://installers.example.com/java/OpenJDK21U-jdk_x64_windows_hotspot_21.0.4_7.msi";

        /// <summary>The example blobs' installers, served with content whose SHA-256 is what the blob says.</summary>
        private static byte[] Installer(string name) => Encoding.ASCII.GetBytes(name);

        private static void ServeInstallers(FakeDownloader downloader)
        {
            downloader.Files[UrlRewriteUrl] = Installer("rewrite_amd64_en-US.msi");
            downloader.Files[ArrUrl] = Installer("requestRouter_amd64.msi");
            downloader.Files[ConsoleUrl] = Installer("Mendix-Service-Console-4.7.4.msi");
            downloader.Files[JavaUrl] = Installer("OpenJDK21U-jdk_x64_windows_hotspot_21.0.4_7.msi");
        }

        private static string VerifyModeText(string fixture = Fixtures.Follower)
        {
            var text = Fixtures.Text(fixture);
            var start = text.IndexOf("  installers:\n", System.StringComparison.Ordinal);
            var end = text.IndexOf("  serverDistributionUrl:", System.StringComparison.Ordinal);
            return (text.Substring(0, start) + text.Substring(end)).Replace("  mode: install", "  mode: verify");
        }

        [Fact]
        public void On_a_bare_vm_everything_is_installed_in_order_each_installer_checked_before_it_runs()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var node = new TestNode(prerequisites: FakePrerequisites.BareVm());
                node.Runner.ServerDistributions.Add(Mda.Version10);
                ServeInstallers(node.Downloader);

                var run = AgentRun.Execute(AgentRun.OnSystem(root.Path, Mda.BlobAndMda(blobs.Path, Fixtures.Follower)), node.System("mxdev-1"));

                Assert.Equal(0, run.ExitCode);
                Assert.Equal(IisFeatures.Required, node.Prerequisites.InstalledFeatures);
                Assert.Equal(new[] { "urlRewrite.msi", "applicationRequestRouting.msi", "java-21.msi", "serviceConsole.msi" }, node.Prerequisites.InstalledMsis.Select(m => m.File));
                Assert.Equal(
                    new[] { Installer("rewrite_amd64_en-US.msi"), Installer("requestRouter_amd64.msi"), Installer("OpenJDK21U-jdk_x64_windows_hotspot_21.0.4_7.msi"), Installer("Mendix-Service-Console-4.7.4.msi") }.Select(Sha),
                    node.Prerequisites.InstalledMsis.Select(m => m.Sha256));
                Assert.Equal(new[] { UrlRewriteUrl, ArrUrl, JavaUrl, ConsoleUrl }, node.Downloader.Downloads);
                Assert.True(node.Prerequisites.IisServerConfigured);
                Assert.Equal(root.Location, node.Prerequisites.ConsoleLocation);
                Assert.Contains("prerequisites: installed 5 component(s); all present now", run.Output);
                Assert.Empty(Directory.GetFiles(Path.Combine(root.Path, "node-agent", "downloads"), "*.msi"));
            }
        }

        [Fact]
        public void A_second_run_installs_nothing_and_says_so()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var node = new TestNode(prerequisites: FakePrerequisites.BareVm());
                node.Runner.ServerDistributions.Add(Mda.Version10);
                ServeInstallers(node.Downloader);
                var blob = Mda.BlobAndMda(blobs.Path, Fixtures.Follower);
                Assert.Equal(0, AgentRun.Execute(AgentRun.OnSystem(root.Path, blob), node.System("mxdev-1")).ExitCode);
                node.Downloader.Downloads.Clear();
                node.Prerequisites.InstalledMsis.Clear();

                var again = AgentRun.Execute(AgentRun.OnSystem(root.Path, blob), node.System("mxdev-1"));

                Assert.Equal(0, again.ExitCode);
                Assert.Empty(node.Downloader.Downloads);
                Assert.Empty(node.Prerequisites.InstalledMsis);
                Assert.Contains("prerequisites: all present, nothing to install", again.Output);
                Assert.Contains("IIS server settings already right", again.Output);
                Assert.Contains("done: nothing changed", again.Output);
            }
        }

        [Fact]
        public void What_is_already_installed_is_not_downloaded()
        {
            using (var root = new TempAppsRoot())
            {
                var node = new TestNode();
                node.Prerequisites.ApplicationRequestRouting = false;
                ServeInstallers(node.Downloader);

                var run = AgentRun.Execute(AgentRun.OnSystem(root.Path, Fixtures.PathOf(Fixtures.Follower)), node.System("mxdev-1"));

                Assert.Equal(0, run.ExitCode);
                Assert.Equal(new[] { ArrUrl }, node.Downloader.Downloads);
                Assert.Equal(new[] { "applicationRequestRouting.msi" }, node.Prerequisites.InstalledMsis.Select(m => m.File));
                Assert.Empty(node.Prerequisites.InstalledFeatures);
            }
        }

        [Fact]
        public void An_installer_whose_checksum_does_not_match_is_refused_with_exit_1_and_nothing_is_run()
        {
            using (var root = new TempAppsRoot())
            {
                var node = new TestNode(prerequisites: FakePrerequisites.BareVm());
                ServeInstallers(node.Downloader);
                node.Downloader.Files[UrlRewriteUrl] = Encoding.ASCII.GetBytes("tampered installer");

                var run = AgentRun.Execute(AgentRun.OnSystem(root.Path, Fixtures.PathOf(Fixtures.Follower)), node.System("mxdev-1"));

                Assert.Equal(1, run.ExitCode);
                Assert.Contains(
                    $"installer 'urlRewrite' (IIS URL Rewrite) downloaded from {UrlRewriteUrl} has SHA-256 {Sha(Encoding.ASCII.GetBytes("tampered installer"))}, "
                    + "but prerequisites.installers.urlRewrite.sha256 expects cc9e9cccfb2aadb2628786b6a0e65fe60df97170cca4415010dd23c9474c2769; it was deleted and not run. "
                    + "If the vendor replaced the file and you have vetted the new one, set the stack's config key installers.urlRewrite.sha256 to its SHA-256 "
                    + "(pulumi config set --path 'installers.urlRewrite.sha256' <SHA-256>) and run pulumi up again",
                    run.Errors);
                Assert.Empty(node.Prerequisites.InstalledMsis);
                Assert.False(File.Exists(Path.Combine(root.Path, "node-agent", "downloads", "urlRewrite.msi")));
                Assert.Empty(node.Runner.Scripts);
            }
        }

        [Fact]
        public void An_installer_url_is_logged_without_its_query_string()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var node = new TestNode();
                node.Prerequisites.UrlRewrite = false;
                const string withSignature = UrlRewriteUrl + "?sv=2024-11-04&sig=c2VjcmV0LXNpZ25hdHVyZQ%3D%3D";
                node.Downloader.Files[withSignature] = Installer("rewrite_amd64_en-US.msi");
                var blob = Fixtures.Variant(blobs.Path, Fixtures.Follower, "      url: " + UrlRewriteUrl + "\n", "      url: \"" + withSignature + "\"\n");

                var run = AgentRun.Execute(AgentRun.OnSystem(root.Path, blob), node.System("mxdev-1"));

                Assert.Equal(0, run.ExitCode);
                Assert.Equal(new[] { withSignature }, node.Downloader.Downloads);
                Assert.Contains("from " + UrlRewriteUrl + "?[query hidden]", run.Output);
                Assert.DoesNotContain("sig=", run.AllText + File.ReadAllText(root.LogFile));
            }
        }

        [Fact]
        public void Verify_mode_with_a_missing_component_fails_with_exit_1_naming_all_that_is_missing_and_installs_nothing()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var node = new TestNode();
                node.Prerequisites.ServiceConsole = false;
                node.Prerequisites.MissingFeatures.Add("Web-Static-Content");
                node.Prerequisites.Java.Clear();
                var mda = Mda.Write(blobs.Path, "app-1.mda");
                var blob = Fixtures.WriteBlob(blobs.Path, Mda.WithModel(VerifyModeText(), "app-1.mda", Mda.Sha256(mda)));

                var run = AgentRun.Execute(AgentRun.OnSystem(root.Path, blob), node.System("mxdev-1"));

                Assert.Equal(1, run.ExitCode);
                Assert.Contains("prerequisites (mode verify): missing on this node: Windows features Web-Static-Content; Java 21 (needed by app 'app'); Mendix Service Console;", run.Output);
                Assert.Empty(node.Downloader.Downloads);
                Assert.Empty(node.Prerequisites.InstalledFeatures);
                Assert.Empty(node.Prerequisites.InstalledMsis);
                Assert.Empty(node.Runner.Scripts);
            }
        }

        [Fact]
        public void Verify_mode_on_a_prepared_image_installs_nothing()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var node = new TestNode();

                var run = AgentRun.Execute(AgentRun.OnSystem(root.Path, Fixtures.WriteBlob(blobs.Path, VerifyModeText())), node.System("mxdev-1"));

                Assert.Equal(0, run.ExitCode);
                Assert.Contains("prerequisites (mode verify): all present", run.Output);
                Assert.Empty(node.Downloader.Downloads);
            }
        }

        [Fact]
        public void An_installer_that_leaves_its_component_missing_fails_with_exit_1()
        {
            using (var root = new TempAppsRoot())
            {
                var node = new TestNode();
                node.Prerequisites.ServiceConsole = false;
                node.Prerequisites.InstallsWithoutEffect.Add("serviceConsole");
                ServeInstallers(node.Downloader);

                var run = AgentRun.Execute(AgentRun.OnSystem(root.Path, Fixtures.PathOf(Fixtures.Follower)), node.System("mxdev-1"));

                Assert.Equal(1, run.ExitCode);
                Assert.Contains("prerequisites: installed, but still not found on this node: Mendix Service Console", run.Output);
            }
        }

        [Fact]
        public void The_java_of_the_previously_deployed_model_is_kept_installed_when_the_blob_names_no_model()
        {
            using (var root = new TempAppsRoot())
            {
                var node = new TestNode();
                node.Prerequisites.Java.Clear();
                ServeInstallers(node.Downloader);
                new MendixNodeAgent.Model.DeployedModelState(new string('a', 64), Mda.Version10, 21, "app-0.mda", AgentRun.FixedStart).Write(root.DeployedModelFile());

                var run = AgentRun.Execute(AgentRun.OnSystem(root.Path, Fixtures.PathOf(Fixtures.Follower)), node.System("mxdev-1"));

                Assert.Equal(0, run.ExitCode);
                Assert.Equal(new[] { JavaUrl }, node.Downloader.Downloads);
                Assert.Contains(21, node.Prerequisites.Java);
            }
        }

        [Fact]
        public void A_service_console_that_keeps_its_apps_elsewhere_fails_with_exit_1()
        {
            using (var root = new TempAppsRoot())
            {
                var node = new TestNode();
                node.Prerequisites.AppsPathOverride = @"C:\Mendix\Apps";

                var run = AgentRun.Execute(AgentRun.OnSystem(root.Path, Fixtures.PathOf(Fixtures.Follower)), node.System("mxdev-1"));

                Assert.Equal(1, run.ExitCode);
                Assert.Contains($"the Service Console keeps its apps in 'C:\\Mendix\\Apps', not in the apps root '{root.Path}'", run.Output);
                Assert.Empty(node.Runner.Scripts);
            }
        }

        [Fact]
        public void Prerequisites_come_after_the_disk_and_before_the_apps_and_the_sites_come_last()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var node = new TestNode(FakeDataDisk.Raw(), prerequisites: FakePrerequisites.BareVm());
                node.Runner.ServerDistributions.Add(Mda.Version10);
                ServeInstallers(node.Downloader);

                var run = AgentRun.Execute(AgentRun.OnSystem(root.Path, Mda.BlobAndMda(blobs.Path, Fixtures.Leader)), node.System("mxdev-0"));

                Assert.Equal(0, run.ExitCode);
                var order = new[] { "data disk: disk 2 is online", "prerequisites: installing Windows features", "creating it (New-MxApp", "Settings.yaml:", "unpacking the model (Update-MxApp", "IIS site 'mendix-app' does not exist", "done:" }
                    .Select(step => run.Output.IndexOf(step, System.StringComparison.Ordinal))
                    .ToArray();
                Assert.DoesNotContain(-1, order);
                Assert.Equal(order.OrderBy(i => i), order);
            }
        }

        [Fact]
        public void Msiexec_1618_is_tried_again_with_a_growing_wait_then_succeeds()
        {
            using (var root = new TempAppsRoot())
            {
                var node = new TestNode();
                node.Prerequisites.UrlRewrite = false;
                node.Prerequisites.MsiAnswers.Enqueue(1618);
                node.Prerequisites.MsiAnswers.Enqueue(1618);
                ServeInstallers(node.Downloader);

                var run = AgentRun.Execute(AgentRun.OnSystem(root.Path, Fixtures.PathOf(Fixtures.Follower)), node.System("mxdev-1"));

                Assert.Equal(0, run.ExitCode);
                Assert.Equal(new[] { 30.0, 60.0 }, node.Prerequisites.Waits.Select(w => w.TotalSeconds));
                Assert.Contains("another installation is in progress (msiexec 1618) while installing IIS URL Rewrite; trying again in 30 s", run.Output);
                Assert.True(node.Prerequisites.UrlRewrite);
            }
        }

        [Fact]
        public void Msiexec_1618_that_does_not_clear_fails_after_a_bounded_number_of_tries()
        {
            using (var root = new TempAppsRoot())
            {
                var node = new TestNode();
                node.Prerequisites.UrlRewrite = false;
                for (var i = 0; i < 9; i++)
                {
                    node.Prerequisites.MsiAnswers.Enqueue(1618);
                }

                ServeInstallers(node.Downloader);

                var run = AgentRun.Execute(AgentRun.OnSystem(root.Path, Fixtures.PathOf(Fixtures.Follower)), node.System("mxdev-1"));

                Assert.Equal(1, run.ExitCode);
                Assert.Contains("msiexec answered 1618 (another installation is in progress) 5 times over 450 s while installing IIS URL Rewrite", run.Errors);
                Assert.Equal(4, node.Prerequisites.Waits.Count);
                Assert.Empty(node.Runner.Scripts);
            }
        }

        [Theory]
        [InlineData("4.7.1.14", "Service Console 4.7.1.14 is installed, but the agent needs 4.7.4 or newer")]
        [InlineData(null, "Windows Installer lists no product named 'Mendix Service Console*' with a version (found: none)")]
        public void A_service_console_older_than_4_7_4_or_of_unknown_version_is_refused(string? version, string message)
        {
            using (var root = new TempAppsRoot())
            {
                var node = new TestNode();
                node.Prerequisites.ServiceConsoleVersions.Clear();
                if (version != null)
                {
                    node.Prerequisites.ServiceConsoleVersions.Add(version);
                }

                var run = AgentRun.Execute(AgentRun.OnSystem(root.Path, Fixtures.PathOf(Fixtures.Follower)), node.System("mxdev-1"));

                Assert.Equal(1, run.ExitCode);
                Assert.Contains(message, run.Errors);
                Assert.Empty(node.Runner.Scripts);
            }
        }

        private static string Sha(byte[] bytes)
        {
            using (var sha = System.Security.Cryptography.SHA256.Create())
            {
                return string.Concat(sha.ComputeHash(bytes).Select(b => b.ToString("x2")));
            }
        }
    }
}
