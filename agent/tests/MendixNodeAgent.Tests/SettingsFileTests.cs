using System.IO;
using System.Linq;
using MendixNodeAgent.Tests.Support;
using Xunit;

namespace MendixNodeAgent.Tests
{
    /// <summary>Writing the app's Settings.yaml: content, idempotence, backups, atomic replace, foreign keys.</summary>
    public class SettingsFileTests
    {
        private static readonly string[] OwnTopLevelKeys =
            { "DatabaseType", "DatabaseHost", "DatabaseName", "DatabaseUserName", "DatabasePassword", "RuntimePortNumber", "AdminServerPortNumber", "CustomSettings" };

        [Fact]
        public void A_follower_gets_its_database_and_custom_settings_including_the_cluster_slave_flag()
        {
            using (var root = new TempAppsRoot())
            {
                var run = AgentRun.Execute(AgentRun.NoSystem(root.Path, Fixtures.PathOf(Fixtures.Follower)));

                Assert.Equal(0, run.ExitCode);
                var settings = YamlCompare.LoadMapping(root.SettingsFile());
                Assert.Equal(OwnTopLevelKeys, YamlCompare.TopLevelKeys(settings));
                Assert.Equal("mxdev-sql.database.windows.net:1433", ((YamlDotNet.RepresentationModel.YamlScalarNode)YamlCompare.Get(settings, "DatabaseHost")).Value);
                var custom = YamlCompare.StringMap(settings, "CustomSettings");
                Assert.Equal("true", custom["com.mendix.core.isClusterSlave"]);
                Assert.Equal(8, custom.Count);
                var runtimePort = (YamlDotNet.RepresentationModel.YamlScalarNode)YamlCompare.Get(settings, "RuntimePortNumber");
                Assert.Equal("8080", runtimePort.Value);
                Assert.Equal(YamlDotNet.Core.ScalarStyle.Plain, runtimePort.Style);
                Assert.Equal("8090", ((YamlDotNet.RepresentationModel.YamlScalarNode)YamlCompare.Get(settings, "AdminServerPortNumber")).Value);
            }
        }

        [Fact]
        public void A_leader_gets_no_cluster_slave_flag()
        {
            using (var root = new TempAppsRoot())
            {
                var run = AgentRun.Execute(AgentRun.NoSystem(root.Path, Fixtures.PathOf(Fixtures.Leader)));

                Assert.Equal(0, run.ExitCode);
                var custom = YamlCompare.StringMap(YamlCompare.LoadMapping(root.SettingsFile()), "CustomSettings");
                Assert.DoesNotContain("com.mendix.core.isClusterSlave", custom.Keys);
                Assert.Equal("com.mendix.storage.azure", custom["com.mendix.core.StorageService"]);
            }
        }

        [Fact]
        public void String_values_that_look_like_numbers_or_booleans_stay_quoted_strings()
        {
            using (var root = new TempAppsRoot())
            {
                AgentRun.Execute(AgentRun.NoSystem(root.Path, Fixtures.PathOf(Fixtures.Follower)));

                var text = File.ReadAllText(root.SettingsFile());
                Assert.Contains("com.mendix.core.isClusterSlave: 'true'", text);
                Assert.Contains("SessionTimeout: '600000'", text);
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
                Assert.Contains("change DatabaseHost from 'mxdev-sql.database.windows.net:1433' to 'mxprod-sql.database.windows.net:1433'", run.Output);
                var backup = Assert.Single(root.Backups());
                Assert.Equal(before, File.ReadAllText(backup));
                Assert.Contains("mxprod-sql.database.windows.net:1433", File.ReadAllText(root.SettingsFile()));
            }
        }

        [Fact]
        public void A_custom_setting_no_longer_in_the_blob_is_removed()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                AgentRun.Execute(AgentRun.NoSystem(root.Path, Fixtures.PathOf(Fixtures.Follower)));
                var smaller = Fixtures.Variant(blobs.Path, Fixtures.Follower, "  ClusterManagerActionInterval: \"300000\"\n", string.Empty);

                var run = AgentRun.Execute(AgentRun.NoSystem(root.Path, smaller));

                Assert.Equal(0, run.ExitCode);
                Assert.Contains("remove CustomSettings.ClusterManagerActionInterval (was '300000')", run.Output);
                var custom = YamlCompare.StringMap(YamlCompare.LoadMapping(root.SettingsFile()), "CustomSettings");
                Assert.DoesNotContain("ClusterManagerActionInterval", custom.Keys);
                Assert.Equal(7, custom.Count);
            }
        }

        [Fact]
        public void Every_key_the_agent_does_not_own_is_kept_exactly_and_in_place()
        {
            using (var root = new TempAppsRoot())
            {
                root.PlaceExistingSettings(Fixtures.ExistingSettings);
                var original = YamlCompare.LoadMapping(root.SettingsFile());

                var run = AgentRun.Execute(AgentRun.NoSystem(root.Path, Fixtures.PathOf(Fixtures.Follower)));

                Assert.Equal(0, run.ExitCode);
                var written = YamlCompare.LoadMapping(root.SettingsFile());
                Assert.Equal(YamlCompare.TopLevelKeys(original), YamlCompare.TopLevelKeys(written));
                foreach (var key in YamlCompare.TopLevelKeys(original).Except(OwnTopLevelKeys))
                {
                    Assert.True(YamlCompare.SameTree(YamlCompare.Get(original, key), YamlCompare.Get(written, key)), $"key {key} changed");
                }

                var custom = YamlCompare.StringMap(written, "CustomSettings");
                Assert.DoesNotContain("LegacySetting", custom.Keys);
                Assert.Equal("fixture-storage-key", custom["com.mendix.storage.azure.AccountKey"]);
                Assert.Equal("fixture-sql-password", ((YamlDotNet.RepresentationModel.YamlScalarNode)YamlCompare.Get(written, "DatabasePassword")).Value);
                Assert.Contains("remove CustomSettings.LegacySetting", run.Output);
            }
        }

        [Fact]
        public void The_write_is_atomic_and_leaves_no_temporary_file()
        {
            using (var root = new TempAppsRoot())
            {
                root.PlaceExistingSettings(Fixtures.ExistingSettings);

                AgentRun.Execute(AgentRun.NoSystem(root.Path, Fixtures.PathOf(Fixtures.Follower)));

                var names = Directory.GetFiles(root.AppFolder()).Select(Path.GetFileName).OrderBy(n => n).ToArray();
                Assert.DoesNotContain(names, n => n!.Contains(".tmp-"));
                Assert.Equal(2, names.Length);
                Assert.Equal("Settings.yaml", names[0]);
                Assert.StartsWith("Settings.yaml.bak-", names[1]);
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
                Assert.Contains("SessionTimeout: '600006'", File.ReadAllText(backups.Last()));
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
                Assert.True(File.Exists(root.SettingsFile("app")));
                Assert.True(File.Exists(root.SettingsFile("billing")));
                var billing = YamlCompare.LoadMapping(root.SettingsFile("billing"));
                Assert.Equal("8081", ((YamlDotNet.RepresentationModel.YamlScalarNode)YamlCompare.Get(billing, "RuntimePortNumber")).Value);
                Assert.Equal("8091", ((YamlDotNet.RepresentationModel.YamlScalarNode)YamlCompare.Get(billing, "AdminServerPortNumber")).Value);
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
                Assert.StartsWith("Name: app", System.Text.Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3));
            }
        }

        [Fact]
        public void An_existing_settings_file_that_is_not_a_mapping_fails_with_exit_1_and_is_left_untouched()
        {
            using (var root = new TempAppsRoot())
            {
                Directory.CreateDirectory(root.AppFolder());
                File.WriteAllText(root.SettingsFile(), "- a list\n- not settings\n");

                var run = AgentRun.Execute(AgentRun.NoSystem(root.Path, Fixtures.PathOf(Fixtures.Follower)));

                Assert.Equal(1, run.ExitCode);
                Assert.Contains("is not a single YAML mapping", run.Output);
                Assert.Equal("- a list\n- not settings\n", File.ReadAllText(root.SettingsFile()));
            }
        }
    }
}
