using System.Collections.Generic;
using System.IO;
using MendixNodeAgent.Tests.Support;
using Xunit;

namespace MendixNodeAgent.Tests
{
    /// <summary>The tests-only --test-secrets file: a --no-system run resolves references from it, and only a --no-system run takes it.</summary>
    public class TestSecretsTests
    {
        private const string Vault = "https://mxdev-kv.vault.azure.net/secrets/";

        private static string SecretsFile(string folder, bool withLicense = true)
        {
            var lines = new List<string>
            {
                $"{Vault}sql-password/0123456789abcdef0123456789abcdef: test-sql-password",
                $"{Vault}storage-key-app/fedcba9876543210fedcba9876543210: test-storage-key",
            };
            if (withLicense)
            {
                lines.Add($"{Vault}license-secret-app/00112233445566778899aabbccddeeff: test-license-secret");
            }

            var path = Path.Combine(folder, "test-secrets.yaml");
            File.WriteAllLines(path, lines);
            return path;
        }

        [Fact]
        public void A_no_system_run_resolves_every_reference_from_the_file()
        {
            using (var root = new TempAppsRoot())
            using (var files = new TempAppsRoot())
            {
                var args = new List<string>(AgentRun.NoSystem(root.Path, Fixtures.PathOf(Fixtures.KeyVaultFollower))) { "--test-secrets", SecretsFile(files.Path) };

                var run = AgentRun.Execute(args);

                Assert.Equal(0, run.ExitCode);
                var written = File.ReadAllText(root.SettingsFile());
                Assert.Contains("test-sql-password", written);
                Assert.Contains("test-storage-key", written);
                Assert.Contains("test-license-secret", written);
                Assert.DoesNotContain("test-sql-password", run.Output);
            }
        }

        [Fact]
        public void A_reference_the_file_does_not_hold_fails_the_run_and_writes_nothing()
        {
            using (var root = new TempAppsRoot())
            using (var files = new TempAppsRoot())
            {
                var args = new List<string>(AgentRun.NoSystem(root.Path, Fixtures.PathOf(Fixtures.KeyVaultFollower))) { "--test-secrets", SecretsFile(files.Path, withLicense: false) };

                var run = AgentRun.Execute(args);

                Assert.Equal(1, run.ExitCode);
                Assert.Contains("secret 'license-secret-app'", run.Output);
                Assert.True(root.IsEmpty);
            }
        }

        [Fact]
        public void The_file_is_refused_on_a_node()
        {
            var run = AgentRun.Execute(new[] { "apply", "--settings", Fixtures.PathOf(Fixtures.Follower), "--test-secrets", "secrets.yaml" });

            Assert.Equal(2, run.ExitCode);
            Assert.Contains("--test-secrets is allowed only with --no-system", run.Output);
        }
    }
}
