using System.Collections.Generic;
using System.IO;
using MendixNodeAgent.Blob;
using MendixNodeAgent.Tests.Support;
using Xunit;

namespace MendixNodeAgent.Tests
{
    /// <summary>The blob's rollout section and node.identityClientId (schema version 3): read, and every breach refused.</summary>
    public class RolloutBlobTests
    {
        public static IEnumerable<object[]> BadRolloutVariants() => new[]
        {
            new object[] { "    port: 80", "    port: 0", "rollout.healthProbe.port", "has value 0; allowed: an integer from 1 to 65535" },
            new object[] { "    port: 80", "    port: 65536", "rollout.healthProbe.port", "has value 65536; allowed: an integer from 1 to 65535" },
            new object[] { "    intervalSeconds: 5", "    intervalSeconds: 4", "rollout.healthProbe.intervalSeconds", "has value 4; allowed: an integer from 5 to 300" },
            new object[] { "    intervalSeconds: 5", "    intervalSeconds: 301", "rollout.healthProbe.intervalSeconds", "has value 301; allowed: an integer from 5 to 300" },
            new object[] { "    threshold: 2", "    threshold: 0", "rollout.healthProbe.threshold", "has value 0; allowed: an integer from 1 to 10" },
            new object[] { "    threshold: 2", "    threshold: 11", "rollout.healthProbe.threshold", "has value 11; allowed: an integer from 1 to 10" },
            new object[] { "    threshold: 2", "    threshold: '2'", "rollout.healthProbe.threshold", "must be an integer" },
            new object[] { "  readyTimeoutSeconds: 600", "  readyTimeoutSeconds: 29", "rollout.readyTimeoutSeconds", "has value 29; allowed: an integer from 30 to 3600" },
            new object[] { "  readyTimeoutSeconds: 600", "  readyTimeoutSeconds: 3601", "rollout.readyTimeoutSeconds", "has value 3601; allowed: an integer from 30 to 3600" },
            new object[] { "  drainSeconds: 30", "  drainSeconds: -1", "rollout.drainSeconds", "has value -1; allowed: an integer from 0 to 600" },
            new object[] { "  drainSeconds: 30", "  drainSeconds: 601", "rollout.drainSeconds", "has value 601; allowed: an integer from 0 to 600" },
            new object[] { "  databaseWaitSeconds: 1800", "  databaseWaitSeconds: 59", "rollout.databaseWaitSeconds", "has value 59; allowed: an integer from 60 to 5400" },
            new object[] { "  databaseWaitSeconds: 1800", "  databaseWaitSeconds: 5401", "rollout.databaseWaitSeconds", "has value 5401; allowed: an integer from 60 to 5400" },
            new object[] { "  databaseSyncTimeoutSeconds: 1800", "  databaseSyncTimeoutSeconds: 59", "rollout.databaseSyncTimeoutSeconds", "has value 59; allowed: an integer from 60 to 5400" },
            new object[] { "  databaseSyncTimeoutSeconds: 1800", "  databaseSyncTimeoutSeconds: 5401", "rollout.databaseSyncTimeoutSeconds", "has value 5401; allowed: an integer from 60 to 5400" },
            new object[] { "  databaseSyncTimeoutSeconds: 1800\n", "", "rollout.databaseSyncTimeoutSeconds", "is missing" },
            new object[] { "  drainSeconds: 30\n", "", "rollout.drainSeconds", "is missing" },
            new object[] { "  drainSeconds: 30", "  drainSeconds: 30\n  maxUnavailable: 1", "rollout.maxUnavailable", "is not a known key" },
            new object[] { "rollout:\n", "rollouts:\n", "rollouts", "is not a known key" },
            new object[] { "  identityClientId: 6f1c2a9e-0000-4000-8000-000000000001", "  identityClientId: node-1-identity", "node.identityClientId", "has value 'node-1-identity'; allowed: the client id (a GUID" },
            new object[] { "  identityClientId: 6f1c2a9e-0000-4000-8000-000000000001\n", "", "node.identityClientId", "is missing" },
        };

        [Theory]
        [MemberData(nameof(BadRolloutVariants))]
        public void A_bad_rollout_section_exits_2_naming_file_key_value_and_what_is_allowed(string from, string to, string key, string rule)
            => RefusedBlobRun.AssertFollowerVariantRefused(from, to, key, rule);

        [Fact]
        public void The_rollout_section_is_read_as_the_contract_has_it()
        {
            var blob = NodeSettingsBlobReader.Read(Fixtures.PathOf(Fixtures.Follower));

            var rollout = blob.Rollout;
            Assert.Equal((80, 5, 2, 600, 30, 1800, 1800), (rollout.ProbePort, rollout.ProbeIntervalSeconds, rollout.ProbeThreshold, rollout.ReadyTimeoutSeconds, rollout.DrainSeconds, rollout.DatabaseWaitSeconds, rollout.DatabaseSyncTimeoutSeconds));
            Assert.Equal(10, rollout.LoadBalancerReaction.TotalSeconds);
            Assert.Equal(5, rollout.ProbeRequestTimeout.TotalSeconds);
            Assert.Equal("6f1c2a9e-0000-4000-8000-000000000001", blob.Node.IdentityClientId);
        }

        [Fact]
        public void Blobs_of_one_run_with_different_rollout_sections_are_refused()
        {
            using (var refused = new RefusedBlobRun())
            {
                var first = refused.Variant(Fixtures.Follower, "  drainSeconds: 30", "  drainSeconds: 30");
                var second = refused.Write(Fixtures.AsOtherApp(File.ReadAllText(refused.Variant(Fixtures.Follower, "  drainSeconds: 30", "  drainSeconds: 60")), "crm"));

                var run = refused.Apply(first, second);

                Assert.Contains($"{second}: key 'rollout' differs from {first}", run.Output);
                Assert.Contains("drainSeconds=60", run.Output);
            }
        }
    }
}
