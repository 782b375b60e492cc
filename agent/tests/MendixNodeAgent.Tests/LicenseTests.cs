using System.IO;
using System.Linq;
using MendixNodeAgent.Tests.Support;
using MendixNodeAgent.Windows;
using Xunit;

namespace MendixNodeAgent.Tests
{
    /// <summary>A subscription licence's runtime settings are applied like any other, and its secret goes nowhere else.</summary>
    public class LicenseTests
    {
        [Fact]
        public void License_settings_reach_the_apps_settings_and_the_secret_no_other_file_or_output()
        {
            using (var root = new TempAppsRoot())
            {
                root.PlaceExistingSettings(Fixtures.ExistingSettings);
                var system = TestNode.With("mxdev-1", FakeDataDisk.Raw(), new RecordingPowerShellRunner());

                var run = AgentRun.Execute(AgentRun.OnSystem(root.Path, Fixtures.PathOf(Fixtures.LicensedFollower)), system);

                Assert.Equal(0, run.ExitCode);
                var custom = Emulators.ServiceConsoleSettingsReader.Read(root.SettingsFile())!.Custom;
                Assert.Equal(Fixtures.LicenseSecret, custom["License.SubscriptionSecret"]);
                Assert.Equal("true", custom["License.UseLicenseServer"]);
                Assert.Equal("https://licensing.example.com", custom["License.LicenseServerURL"]);
                Assert.Equal("production", custom["License.EnvironmentName"]);
                Assert.DoesNotContain(Fixtures.LicenseSecret, run.AllText);
                Assert.Contains("License.SubscriptionSecret", run.Output);
                var holders = root.AllFiles().Where(file => File.ReadAllText(file).Contains(Fixtures.LicenseSecret)).ToArray();
                Assert.Equal(new[] { root.SettingsFile() }, holders);
            }
        }
    }
}
