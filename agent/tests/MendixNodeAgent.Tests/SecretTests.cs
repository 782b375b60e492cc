using System.IO;
using System.Linq;
using MendixNodeAgent.Logging;
using MendixNodeAgent.Settings;
using MendixNodeAgent.Tests.Support;
using MendixNodeAgent.Windows;
using Xunit;

namespace MendixNodeAgent.Tests
{
    /// <summary>No secret value from a blob or the old Settings.yaml ever reaches stdout, stderr or the log file.</summary>
    public class SecretTests
    {
        private static readonly string[] SecretValues =
        {
            Fixtures.SqlPassword,
            Fixtures.StorageKey,
            "previous-sql-password",
            "previous-storage-key",
            "rotated-sql-password",
            "rotated-storage-key",
        };

        private static void AssertNoSecret(string text)
        {
            foreach (var secret in SecretValues)
            {
                Assert.DoesNotContain(secret, text);
            }
        }

        [Fact]
        public void Secrets_appear_in_output_and_log_only_by_key_name()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                root.PlaceExistingSettings(Fixtures.ExistingSettings);
                var system = TestNode.With("mxdev-1", FakeDataDisk.Raw(), new RecordingPowerShellRunner());
                var first = AgentRun.Execute(AgentRun.OnSystem(root.Path, Fixtures.PathOf(Fixtures.Follower)), system);
                var rotated = Fixtures.WriteBlob(blobs.Path, Fixtures.Text(Fixtures.Follower)
                    .Replace(Fixtures.SqlPassword, "rotated-sql-password")
                    .Replace(Fixtures.StorageKey, "rotated-storage-key"));
                var second = AgentRun.Execute(AgentRun.OnSystem(root.Path, rotated), system);
                var leader = AgentRun.Execute(AgentRun.NoSystem(Path.Combine(root.Path, "leader"), Fixtures.PathOf(Fixtures.Leader)));

                Assert.Equal(0, first.ExitCode);
                Assert.Equal(0, second.ExitCode);
                Assert.Equal(0, leader.ExitCode);
                Assert.Contains("change Database.DatabasePassword from [secret] to [secret]", first.Output);
                Assert.Contains("change Runtime.com.mendix.storage.azure.AccountKey from [secret] to [secret]", second.Output);
                AssertNoSecret(first.AllText);
                AssertNoSecret(second.AllText);
                AssertNoSecret(leader.AllText);
                AssertNoSecret(File.ReadAllText(root.LogFile));
                AssertNoSecret(File.ReadAllText(Path.Combine(root.Path, "leader", "node-agent", "agent.log")));
            }
        }

        [Theory]
        [InlineData("  DatabasePassword: fixture-sql-password", "  DatabasePassword: 12345678", "12345678", true)]
        [InlineData("  com.mendix.storage.azure.AccountKey: fixture-storage-key", "  com.mendix.storage.azure.AccountKey: 987654321", "987654321", true)]
        [InlineData("  DatabasePassword: fixture-sql-password", "  DatabasePassword: [fixture-sql-password]", "fixture-sql-password", false)]
        public void Error_messages_about_a_secret_key_do_not_show_its_value(string from, string to, string secret, bool shownAsMask)
        {
            using (var refused = new RefusedBlobRun())
            {
                var run = refused.Apply(refused.Variant(Fixtures.Follower, from, to));

                Assert.Equal(shownAsMask, run.Output.Contains("[secret]"));
                Assert.DoesNotContain(secret, run.AllText);
            }
        }

        public static TheoryData<string, bool> SharedSecretSettingCases()
        {
            var data = new TheoryData<string, bool>();
            foreach (var example in SecretSettingCases.Load())
            {
                data.Add(example.Name, example.Secret);
            }

            return data;
        }

        [Theory]
        [MemberData(nameof(SharedSecretSettingCases))]
        public void One_rule_decides_which_keys_are_secret_on_the_cases_the_stack_shares(string key, bool secret)
        {
            Assert.Equal(secret, SecretPolicy.IsSecretKey(key));
            var logged = new SettingsChange(key, SettingsChangeKind.Added, null, "value-of-the-setting").Describe();
            Assert.Equal(secret ? $"add {key} = [secret]" : $"add {key} = 'value-of-the-setting'", logged);
        }

        [Fact]
        public void The_shared_cases_hold_the_names_that_decide_the_rule()
        {
            var cases = SecretSettingCases.Load().ToDictionary(example => example.Name, example => example.Secret);
            Assert.True(cases["Payments.ApiToken"]);
            Assert.True(cases["DatabasePassword"]);
            Assert.False(cases["Payments.TokenTimeout"]);
            Assert.False(cases["SessionTimeout"]);
        }

        [Fact]
        public void The_log_masks_registered_secret_values_whatever_the_message()
        {
            var output = new StringWriter();
            using (var log = new AgentLog(output, () => AgentRun.FixedStart))
            {
                log.RegisterSecretValue("s3cr3t");
                log.Error("PowerShell said: login failed for password s3cr3t");
            }

            Assert.DoesNotContain("s3cr3t", output.ToString());
            Assert.Contains("password [secret]", output.ToString());
        }
    }
}
