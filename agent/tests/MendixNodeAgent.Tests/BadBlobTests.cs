using System.Collections.Generic;
using System.IO;
using MendixNodeAgent.Tests.Support;
using MendixNodeAgent.Windows;
using Xunit;

namespace MendixNodeAgent.Tests
{
    /// <summary>Every kind of bad blob stops the run with exit 2 before anything is written.</summary>
    public class BadBlobTests
    {
        public static IEnumerable<object[]> BadFollowerVariants() => new[]
        {
            new object[] { "schemaVersion: 3", "schemaVersion: 2", "schemaVersion", "supports only schemaVersion 3" },
            new object[] { "schemaVersion: 3", "schemaVersion: '3'", "schemaVersion", "must be an integer" },
            new object[] { "  index: 1\n", "", "node.index", "is missing" },
            new object[] { "  index: 1", "  index: one", "node.index", "must be an integer" },
            new object[] { "  leader: false", "  leader: 'false'", "node.leader", "must be a boolean" },
            new object[] { "app:\n", "extra: 1\napp:\n", "extra", "is not a known key" },
            new object[] { "  appsRoot: M:\\Mendix\\Apps", "  appsRoot: M:\\Mendix\\Apps\n  zone: 2", "node.zone", "is not a known key" },
            new object[] { "  name: node-1", "  name: node-01", "node.name", "'node-01'" },
            new object[] { "  index: 1", "  index: 2", "node.index", "must equal the number in node.name" },
            new object[] { "  name: app", "  name: My_App", "app.name", "'My_App'" },
            new object[] { "  leader: false", "  leader: true", "node.leader", "leader must be true exactly on node-0" },
            new object[] { "  com.mendix.core.isClusterSlave: \"true\"\n", "", "customSettings.com.mendix.core.isClusterSlave", "is missing on a follower" },
            new object[] { "  com.mendix.core.isClusterSlave: \"true\"", "  com.mendix.core.isClusterSlave: true", "customSettings.com.mendix.core.isClusterSlave", "must be a string" },
            new object[] { "  DatabaseType: SQLSERVER", "  DatabaseType: POSTGRESQL", "runtimeSettings.DatabaseType", "allowed: SQLSERVER" },
            new object[] { "  DatabaseName: app", "  DatabaseName: ''", "runtimeSettings.DatabaseName", "is empty" },
            new object[] { "  DatabaseName: app", "  DatabaseName: app\n  DatabasePort: '1433'", "runtimeSettings.DatabasePort", "is not a known key" },
            new object[] { "    driveLetter: M", "    driveLetter: C", "node.dataDisk.driveLetter", "from D to Z" },
            new object[] { "    lun: 0", "    lun: 64", "node.dataDisk.lun", "from 0 to 63" },
            new object[] { "  computerName: mxdev-1", "  computerName: this-name-is-far-too-long", "node.computerName", "1-15" },
            new object[] { "  appsRoot: M:\\Mendix\\Apps", "  appsRoot: Mendix", "node.appsRoot", "absolute Windows path" },
            new object[] { "  dataDisk:\n    lun: 0\n    driveLetter: M\n", "  dataDisk: M\n", "node.dataDisk", "must be a mapping" },
        };

        [Theory]
        [MemberData(nameof(BadFollowerVariants))]
        public void A_bad_follower_blob_exits_2_naming_file_key_and_rule_and_writes_nothing(string from, string to, string key, string rule)
            => RefusedBlobRun.AssertFollowerVariantRefused(from, to, key, rule);

        [Theory]
        [InlineData("", "is empty")]
        [InlineData("   \n\n", "is empty")]
        [InlineData("node: [unclosed\n  app: {", "is not valid YAML")]
        [InlineData("- one\n- two\n", "is a list, not a YAML mapping")]
        [InlineData("just text", "is a single value, not a YAML mapping")]
        [InlineData("a: 1\n---\nb: 2\n", "holds 2 YAML documents")]
        [InlineData("schemaVersion: 1\nschemaVersion: 1\n", "Duplicate key schemaVersion")]
        public void A_blob_that_is_not_a_mapping_exits_2(string text, string expected)
        {
            using (var refused = new RefusedBlobRun())
            {
                var blob = refused.Write(text);

                var run = refused.Apply(blob);

                Assert.Contains(blob, run.Output);
                Assert.Contains(expected, run.Output);
            }
        }

        [Fact]
        public void A_missing_blob_file_exits_2()
        {
            using (var root = new TempAppsRoot())
            {
                var missing = Path.Combine(root.Path, "nowhere", "app.yaml");

                var run = AgentRun.Execute(AgentRun.NoSystem(root.Path, missing));

                Assert.Equal(2, run.ExitCode);
                Assert.Contains(missing + ": the settings file does not exist", run.Output);
                Assert.True(root.IsEmpty);
            }
        }

        [Fact]
        public void A_leader_blob_carrying_the_cluster_slave_setting_exits_2()
        {
            using (var refused = new RefusedBlobRun())
            {
                var blob = refused.Variant(Fixtures.Leader, "customSettings:\n", "customSettings:\n  com.mendix.core.isClusterSlave: 'true'\n");

                var run = refused.Apply(blob);

                Assert.Contains("'customSettings.com.mendix.core.isClusterSlave'", run.Output);
                Assert.Contains("the leader must not carry this setting", run.Output);
            }
        }

        [Fact]
        public void Blobs_for_two_different_nodes_exit_2_even_when_the_first_is_good()
        {
            using (var refused = new RefusedBlobRun())
            {
                var other = refused.Variant(Fixtures.Leader, "  name: app", "  name: other");

                var run = refused.Apply(Fixtures.PathOf(Fixtures.Follower), other);

                Assert.Contains($"{other}: key 'node.name' has value 'node-0', but {Fixtures.PathOf(Fixtures.Follower)} has 'node-1'", run.Output);
            }
        }

        [Fact]
        public void The_same_app_twice_exits_2()
        {
            using (var refused = new RefusedBlobRun())
            {
                var copy = refused.Variant(Fixtures.Follower, "SessionTimeout: \"600000\"", "SessionTimeout: \"900000\"");

                var run = refused.Apply(Fixtures.PathOf(Fixtures.Follower), copy);

                Assert.Contains("key 'app.name' has value 'app'", run.Output);
                Assert.Contains("each app is allowed once per run", run.Output);
            }
        }

        [Fact]
        public void A_later_bad_blob_stops_the_run_before_the_good_first_one_is_applied()
        {
            using (var refused = new RefusedBlobRun())
            {
                var bad = refused.Variant(Fixtures.Follower, "  name: app", "  name: App2");

                refused.Apply(Fixtures.PathOf(Fixtures.Follower), bad);
            }
        }

        [Fact]
        public void On_a_real_node_a_computer_name_mismatch_exits_2_before_the_disk_or_any_file_is_touched()
        {
            using (var root = new TempAppsRoot())
            {
                var disk = FakeDataDisk.Raw();
                var runner = new RecordingPowerShellRunner();
                var system = TestNode.With("MXDEV-7", disk, runner);

                var run = AgentRun.Execute(AgentRun.OnSystem(root.Path, Fixtures.PathOf(Fixtures.Follower)), system);

                Assert.Equal(2, run.ExitCode);
                Assert.Contains("key 'node.computerName' has value 'mxdev-1', but this machine is 'MXDEV-7'", run.Output);
                Assert.Empty(disk.InspectedLuns);
                Assert.Empty(disk.Initialized);
                Assert.Empty(runner.Scripts);
                Assert.True(root.IsEmpty);
            }
        }

        [Fact]
        public void The_computer_name_is_compared_without_regard_to_case()
        {
            using (var root = new TempAppsRoot())
            {
                var system = TestNode.With("MXDEV-1", FakeDataDisk.Online(), new RecordingPowerShellRunner());

                var run = AgentRun.Execute(AgentRun.OnSystem(root.Path, Fixtures.PathOf(Fixtures.Follower)), system);

                Assert.Equal(0, run.ExitCode);
            }
        }
    }
}
