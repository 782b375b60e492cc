using System.Collections.Generic;
using System.IO;
using System.Linq;
using MendixNodeAgent.Tests.Emulators;
using MendixNodeAgent.Tests.Support;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace MendixNodeAgent.Tests
{
    /// <summary>
    /// Writing the app's Settings.yaml in the layout the Service Console reads, checked by an emulator of the console's
    /// reader: content, idempotence, backups, atomic replace, the console's own keys, custom settings written earlier.
    /// </summary>
    public class SettingsFileTests
    {
        private static readonly string[] FollowerCustomSettings =
        {
            "com.mendix.core.isClusterSlave", "com.mendix.core.StorageService", "com.mendix.storage.azure.AccountName", "com.mendix.storage.azure.AccountKey",
            "com.mendix.storage.azure.Container", "com.mendix.storage.PerformDeleteFromStorage", "SessionTimeout", "ClusterManagerActionInterval",
        };

        private static ConsoleSettings ConsoleView(string path) =>
            ServiceConsoleSettingsReader.Read(path) ?? throw new Xunit.Sdk.XunitException("the Service Console would ignore " + path + ":\n" + File.ReadAllText(path));

        private static YamlScalarNode Scalar(YamlMappingNode root, string section, string key) =>
            (YamlScalarNode)((YamlMappingNode)YamlCompare.Get(root, section)).Children[new YamlScalarNode(key)];

        [Fact]
        public void A_follower_gets_what_the_console_reads_as_its_database_ports_and_custom_settings_including_the_cluster_slave_flag()
        {
            using (var root = new TempAppsRoot())
            {
                var run = AgentRun.Execute(AgentRun.NoSystem(root.Path, Fixtures.PathOf(Fixtures.Follower)));

                Assert.Equal(0, run.ExitCode);
                Assert.Equal(new[] { "Version", "Database", "Runtime" }, YamlCompare.TopLevelKeys(YamlCompare.LoadMapping(root.SettingsFile())));
                var console = ConsoleView(root.SettingsFile());
                Assert.Equal("SQLSERVER", console.DatabaseType);
                Assert.Equal("mxdev-sql.database.windows.net:1433", console.DatabaseHost);
                Assert.Equal("app", console.DatabaseName);
                Assert.Equal("mendixadmin", console.DatabaseUserName);
                Assert.Equal(Fixtures.SqlPassword, console.DatabasePassword);
                Assert.Equal(8080, console.RuntimePort);
                Assert.Equal(8090, console.AdminPort);
                Assert.Equal("http://mxdev-app.westeurope.cloudapp.azure.com/", console.ApplicationRootUrl);
                Assert.Null(console.JavaPath);
                Assert.Equal(FollowerCustomSettings, console.CustomRuntimeSettings.Select(s => s.Key));
                Assert.Equal("true", console.Custom["com.mendix.core.isClusterSlave"]);
                Assert.Equal(Fixtures.StorageKey, console.Custom["com.mendix.storage.azure.AccountKey"]);
                Assert.Equal("300000", console.Custom["ClusterManagerActionInterval"]);
            }
        }

        [Fact]
        public void Ports_are_plain_integers_and_string_values_that_look_like_numbers_or_booleans_stay_quoted_strings()
        {
            using (var root = new TempAppsRoot())
            {
                AgentRun.Execute(AgentRun.NoSystem(root.Path, Fixtures.PathOf(Fixtures.Follower)));

                var settings = YamlCompare.LoadMapping(root.SettingsFile());
                Assert.Equal(YamlDotNet.Core.ScalarStyle.Plain, Scalar(settings, "Runtime", "RuntimePortNumber").Style);
                Assert.Equal("8080", Scalar(settings, "Runtime", "RuntimePortNumber").Value);
                Assert.Equal(YamlDotNet.Core.ScalarStyle.Plain, Scalar(settings, "Runtime", "ServerPortNumber").Style);
                Assert.Equal(YamlDotNet.Core.ScalarStyle.SingleQuoted, Scalar(settings, "Runtime", "com.mendix.core.isClusterSlave").Style);
                Assert.Equal(YamlDotNet.Core.ScalarStyle.SingleQuoted, Scalar(settings, "Runtime", "SessionTimeout").Style);
                Assert.Equal("1.0.0", ((YamlScalarNode)YamlCompare.Get(settings, "Version")).Value);
            }
        }

        [Fact]
        public void A_leader_gets_no_cluster_slave_flag()
        {
            using (var root = new TempAppsRoot())
            {
                var run = AgentRun.Execute(AgentRun.NoSystem(root.Path, Fixtures.PathOf(Fixtures.Leader)));

                Assert.Equal(0, run.ExitCode);
                var console = ConsoleView(root.SettingsFile());
                Assert.DoesNotContain("com.mendix.core.isClusterSlave", console.Custom.Keys);
                Assert.Equal("com.mendix.storage.azure", console.Custom["com.mendix.core.StorageService"]);
            }
        }

        [Fact]
        public void On_a_node_the_java_path_is_the_folder_of_the_java_the_model_needs()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var node = new TestNode();
                node.Prerequisites.Java.Add(11);
                node.Runner.ServerDistributions.Add(Mda.Version10);
                var run = AgentRun.Execute(AgentRun.OnSystem(root.Path, Mda.BlobAndMda(blobs.Path, Fixtures.Follower)), node.System("mxdev-1"));

                Assert.Equal(0, run.ExitCode);
                Assert.Equal(@"C:\Program Files\Eclipse Adoptium\jdk-21.0.4.7-hotspot", ConsoleView(root.SettingsFile()).JavaPath);
            }
        }

        [Fact]
        public void A_second_run_changes_nothing_makes_no_backup_and_does_not_rewrite_the_file()
        {
            using (var root = new TempAppsRoot())
            {
                root.PlaceExistingSettings(Fixtures.ExistingSettings);
                Assert.Equal(0, AgentRun.Execute(AgentRun.NoSystem(root.Path, Fixtures.PathOf(Fixtures.Follower))).ExitCode);
                var backupsAfterFirst = root.Backups();
                var past = new System.DateTime(2020, 1, 1, 0, 0, 0, System.DateTimeKind.Utc);
                File.SetLastWriteTimeUtc(root.SettingsFile(), past);
                var bytes = File.ReadAllBytes(root.SettingsFile());

                var second = AgentRun.Execute(AgentRun.NoSystem(root.Path, Fixtures.PathOf(Fixtures.Follower)));

                Assert.Equal(0, second.ExitCode);
                Assert.Contains("already up to date, not rewritten", second.Output);
                Assert.Contains("done: nothing changed", second.Output);
                Assert.Equal(past, File.GetLastWriteTimeUtc(root.SettingsFile()));
                Assert.Equal(bytes, File.ReadAllBytes(root.SettingsFile()));
                Assert.Equal(backupsAfterFirst, root.Backups());
            }
        }

        [Fact]
        public void A_changed_setting_is_written_and_the_previous_file_kept_as_a_backup()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                Assert.Equal(0, AgentRun.Execute(AgentRun.NoSystem(root.Path, Fixtures.PathOf(Fixtures.Follower))).ExitCode);
                var before = File.ReadAllText(root.SettingsFile());
                Assert.Empty(root.Backups());
                var changed = Fixtures.Variant(blobs.Path, Fixtures.Follower, "mxdev-sql.database.windows.net:1433", "mxprod-sql.database.windows.net:1433");

                var run = AgentRun.Execute(AgentRun.NoSystem(root.Path, changed));

                Assert.Equal(0, run.ExitCode);
                Assert.Contains("change Database.DatabaseHost from 'mxdev-sql.database.windows.net:1433' to 'mxprod-sql.database.windows.net:1433'", run.Output);
                var backup = Assert.Single(root.Backups());
                Assert.Equal(before, File.ReadAllText(backup));
                Assert.Equal("mxprod-sql.database.windows.net:1433", ConsoleView(root.SettingsFile()).DatabaseHost);
            }
        }

        [Fact]
        public void A_custom_setting_the_agent_wrote_that_the_blob_no_longer_carries_is_removed()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                AgentRun.Execute(AgentRun.NoSystem(root.Path, Fixtures.PathOf(Fixtures.Follower)));
                var smaller = Fixtures.Variant(blobs.Path, Fixtures.Follower, "  ClusterManagerActionInterval: \"300000\"\n", string.Empty);

                var run = AgentRun.Execute(AgentRun.NoSystem(root.Path, smaller));

                Assert.Equal(0, run.ExitCode);
                Assert.Contains("remove Runtime.ClusterManagerActionInterval (was '300000')", run.Output);
                var console = ConsoleView(root.SettingsFile());
                Assert.DoesNotContain("ClusterManagerActionInterval", console.Custom.Keys);
                Assert.Equal(7, console.Custom.Count);
                Assert.DoesNotContain("ClusterManagerActionInterval", ManagedKeys(root));
            }
        }

        [Fact]
        public void The_console_s_own_keys_stay_exactly_as_found_but_the_start_mode_and_a_custom_setting_the_agent_never_wrote_stays()
        {
            using (var root = new TempAppsRoot())
            {
                root.PlaceExistingSettings(Fixtures.ExistingSettings);
                root.PlaceManagedKeys(Fixtures.ExistingManagedKeys);
                var original = YamlCompare.LoadMapping(root.SettingsFile());

                var run = AgentRun.Execute(AgentRun.NoSystem(root.Path, Fixtures.PathOf(Fixtures.Follower)));

                Assert.Equal(0, run.ExitCode);
                var written = YamlCompare.LoadMapping(root.SettingsFile());
                Assert.Equal(YamlCompare.TopLevelKeys(original), YamlCompare.TopLevelKeys(written));
                foreach (var key in new[] { "QSlotId", "Version", "Jetty", "Custom", "Logging", "MyNotes" })
                {
                    Assert.True(YamlCompare.SameTree(YamlCompare.Get(original, key), YamlCompare.Get(written, key)), $"key {key} changed");
                }

                // The service the GUI installs again ("Install service") starts by hand, as the agent's services do.
                var serviceBefore = (YamlMappingNode)YamlCompare.Get(original, "Service");
                var serviceAfter = (YamlMappingNode)YamlCompare.Get(written, "Service");
                Assert.Equal(serviceBefore.Children.Keys, serviceAfter.Children.Keys);
                foreach (var key in serviceBefore.Children.Keys.Where(k => ((YamlScalarNode)k).Value != "StartMode"))
                {
                    Assert.True(YamlCompare.SameTree(serviceBefore.Children[key], serviceAfter.Children[key]), $"Service.{key} changed");
                }

                Assert.Contains("change Service.StartMode from 'Automatic' to 'MANUAL'", run.Output);

                var runtimeBefore = (YamlMappingNode)YamlCompare.Get(original, "Runtime");
                var runtimeAfter = (YamlMappingNode)YamlCompare.Get(written, "Runtime");
                foreach (var key in new[] { "MendixPath", "JavaPath", "MaxJavaHeapSize", "OtherVMArguments", "ServerPassword", "ScheduledEventExecution", "DTAPMode", "SetInTheConsole" })
                {
                    var node = new YamlScalarNode(key);
                    Assert.True(YamlCompare.SameTree(runtimeBefore.Children[node], runtimeAfter.Children[node]), $"Runtime.{key} changed");
                }

                var console = ConsoleView(root.SettingsFile());
                Assert.Equal(8090, console.AdminPort);
                Assert.Equal(@"C:\Program Files\AdoptOpenJDK\jdk-11.0.2", console.JavaPath);
                Assert.Equal(".\\mx-app", console.ServiceUserName);
                Assert.Equal("Manual", console.StartMode);
                Assert.Equal("mxdev-sql.database.windows.net:1433", console.DatabaseHost);
                Assert.Equal(Fixtures.SqlPassword, console.DatabasePassword);
                Assert.False(console.DatabaseUseIntegratedSecurity);
                Assert.Equal(Fixtures.StorageKey, console.Custom["com.mendix.storage.azure.AccountKey"]);
                Assert.Equal("kept", console.Custom["SetInTheConsole"]);
                Assert.DoesNotContain("LegacySetting", console.Custom.Keys);
                Assert.Contains("remove Runtime.LegacySetting", run.Output);
                Assert.Contains("change Runtime.ServerPortNumber from '8095' to '8090'", run.Output);
                Assert.Equal(FollowerCustomSettings.OrderBy(k => k, System.StringComparer.Ordinal), ManagedKeys(root));
            }
        }

        [Fact]
        public void A_file_in_the_agent_s_earlier_layout_is_moved_to_the_console_s_sections()
        {
            using (var root = new TempAppsRoot())
            {
                root.PlaceExistingSettings(Fixtures.EarlierLayoutSettings);
                Assert.Null(ServiceConsoleSettingsReader.Read(root.SettingsFile()));

                var run = AgentRun.Execute(AgentRun.NoSystem(root.Path, Fixtures.PathOf(Fixtures.Follower)));

                Assert.Equal(0, run.ExitCode);
                Assert.Equal(new[] { "Version", "Name", "Database", "Runtime" }, YamlCompare.TopLevelKeys(YamlCompare.LoadMapping(root.SettingsFile())));
                var console = ConsoleView(root.SettingsFile());
                Assert.Equal("mxdev-sql.database.windows.net:1433", console.DatabaseHost);
                Assert.Equal(FollowerCustomSettings, console.CustomRuntimeSettings.Select(s => s.Key));
                Assert.Contains("remove CustomSettings", run.Output);
                Assert.Contains("remove AdminServerPortNumber", run.Output);
            }
        }

        [Fact]
        public void A_file_of_another_settings_version_fails_with_exit_1_and_is_left_untouched()
            => AssertExistingFileRefused("Version: 2.0.0\nRuntime:\n  RuntimePortNumber: 8080\n", "has Version '2.0.0', but the agent writes the layout of Version 1.0.0");

        /// <summary>An app's Settings.yaml holding <paramref name="existing"/> stops the run with exit 1 and <paramref name="message"/>, the file as it was.</summary>
        private static void AssertExistingFileRefused(string existing, string message)
        {
            using (var root = new TempAppsRoot())
            {
                Directory.CreateDirectory(root.AppFolder());
                File.WriteAllText(root.SettingsFile(), existing);

                var run = AgentRun.Execute(AgentRun.NoSystem(root.Path, Fixtures.PathOf(Fixtures.Follower)));

                Assert.Equal(1, run.ExitCode);
                Assert.Contains(message, run.Output);
                Assert.Equal(existing, File.ReadAllText(root.SettingsFile()));
            }
        }

        [Theory]
        [InlineData("JavaPath")]
        [InlineData("ServerPortNumber")]
        [InlineData("DatabaseHost")]
        public void A_blob_custom_setting_the_console_would_read_as_its_own_is_refused_with_exit_2(string key)
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var blob = Fixtures.Variant(blobs.Path, Fixtures.Follower, "  SessionTimeout: \"600000\"\n", $"  SessionTimeout: \"600000\"\n  {key}: x\n");

                var run = AgentRun.Execute(AgentRun.NoSystem(root.Path, blob));

                Assert.Equal(2, run.ExitCode);
                Assert.Contains($"key 'customSettings.{key}' is one of the Service Console's own settings", run.Output);
                Assert.True(root.IsEmpty);
            }
        }

        [Fact]
        public void The_console_reader_ignores_a_file_without_version_1_0_0_and_keys_outside_its_sections()
        {
            Assert.Null(ServiceConsoleSettingsReader.ReadText("Database:\n  DatabaseHost: a\n"));
            Assert.Null(ServiceConsoleSettingsReader.ReadText("Version: 1.0\nDatabase:\n  DatabaseHost: a\n"));
            var outside = ServiceConsoleSettingsReader.ReadText("Version: 1.0.0\nDatabaseHost: a\nRuntimePortNumber: 9000\nCustomSettings:\n  SessionTimeout: '1'\n")!;
            Assert.Null(outside.DatabaseHost);
            Assert.Equal(8080, outside.RuntimePort);
            Assert.Empty(outside.CustomRuntimeSettings);
            Assert.Throws<System.FormatException>(() => ServiceConsoleSettingsReader.ReadText("Version: 1.0.0\nRuntime:\n  RuntimePortNumber: eighty\n"));
        }

        [Fact]
        public void The_write_is_atomic_and_leaves_no_temporary_file()
        {
            using (var root = new TempAppsRoot())
            {
                root.PlaceExistingSettings(Fixtures.ExistingSettings);

                AgentRun.Execute(AgentRun.NoSystem(root.Path, Fixtures.PathOf(Fixtures.Follower)));

                var names = Directory.GetFiles(root.AppFolder()).Select(Path.GetFileName).OrderBy(n => n, System.StringComparer.Ordinal).ToArray();
                Assert.DoesNotContain(names, n => n!.Contains(".tmp-"));
                Assert.Equal(3, names.Length);
                Assert.Equal("Settings.yaml", names[0]);
                Assert.Equal("Settings.yaml.agent-keys", names[1]);
                Assert.StartsWith("Settings.yaml.bak-", names[2]);
            }
        }

        [Fact]
        public void Only_the_newest_five_backups_are_kept()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                AgentRun.Execute(AgentRun.NoSystem(root.Path, Fixtures.PathOf(Fixtures.Follower)));
                var clock = AgentRun.SteppingClock();
                for (var i = 0; i < 8; i++)
                {
                    var blob = Fixtures.Variant(blobs.Path, Fixtures.Follower, "SessionTimeout: \"600000\"", $"SessionTimeout: \"60000{i}\"");
                    Assert.Equal(0, AgentRun.Execute(AgentRun.NoSystem(root.Path, blob), clock: clock).ExitCode);
                }

                var backups = root.Backups();
                Assert.Equal(5, backups.Length);
                Assert.Equal("600006", ConsoleView(backups.Last()).Custom["SessionTimeout"]);
            }
        }

        [Fact]
        public void The_apps_root_from_the_blob_is_used_unless_overridden_and_the_log_lands_under_it()
        {
            using (var root = new TempAppsRoot())
            {
                AgentRun.Execute(AgentRun.NoSystem(root.Path, Fixtures.PathOf(Fixtures.Follower)));

                Assert.True(File.Exists(root.LogFile));
                Assert.Contains("created", File.ReadAllText(root.LogFile));
            }
        }

        [Fact]
        public void Two_apps_of_one_node_each_get_their_own_settings_file()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var second = Fixtures.WriteBlob(blobs.Path, Fixtures.AsOtherApp(Fixtures.Text(Fixtures.Follower), "billing"));

                var run = AgentRun.Execute(AgentRun.NoSystem(root.Path, Fixtures.PathOf(Fixtures.Follower), second));

                Assert.Equal(0, run.ExitCode);
                Assert.Equal(8080, ConsoleView(root.SettingsFile("app")).RuntimePort);
                var billing = ConsoleView(root.SettingsFile("billing"));
                Assert.Equal(8081, billing.RuntimePort);
                Assert.Equal(8091, billing.AdminPort);
            }
        }

        [Fact]
        public void A_byte_order_mark_on_the_existing_file_is_kept()
        {
            using (var root = new TempAppsRoot())
            {
                Directory.CreateDirectory(root.AppFolder());
                File.WriteAllText(root.SettingsFile(), "Name: app\n", new System.Text.UTF8Encoding(true));

                AgentRun.Execute(AgentRun.NoSystem(root.Path, Fixtures.PathOf(Fixtures.Follower)));

                var bytes = File.ReadAllBytes(root.SettingsFile());
                Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes.Take(3).ToArray());
                Assert.StartsWith("Version: 1.0.0\nName: app\n", System.Text.Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3));
            }
        }

        [Fact]
        public void An_existing_settings_file_that_is_not_a_mapping_fails_with_exit_1_and_is_left_untouched()
            => AssertExistingFileRefused("- a list\n- not settings\n", "is not a single YAML mapping");

        private static List<string> ManagedKeys(TempAppsRoot root) =>
            File.ReadAllLines(root.ManagedKeysFile()).Where(l => l.Length > 0 && !l.StartsWith("#", System.StringComparison.Ordinal)).ToList();
    }
}
