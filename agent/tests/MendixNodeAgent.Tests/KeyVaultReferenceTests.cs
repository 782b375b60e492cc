using System.Collections.Generic;
using System.Linq;
using MendixNodeAgent.KeyVault;
using MendixNodeAgent.Tests.Support;
using MendixNodeAgent.Windows;
using Xunit;

namespace MendixNodeAgent.Tests
{
    /// <summary>The reference syntax: what is one, and that a malformed one stops the run before anything happens.</summary>
    public class KeyVaultReferenceTests
    {
        private const string Reference = "@Microsoft.KeyVault(SecretUri=https://mxdev-kv.vault.azure.net/secrets/sql-password/0123456789abcdef0123456789abcdef)";

        [Fact]
        public void A_reference_names_its_vault_secret_and_version()
        {
            var reference = KeyVaultReference.Parse(Reference, out var problem);

            Assert.NotNull(reference);
            Assert.Equal(string.Empty, problem);
            Assert.Equal("mxdev-kv", reference!.VaultName);
            Assert.Equal("sql-password", reference.SecretName);
            Assert.Equal("0123456789abcdef0123456789abcdef", reference.Version);
            Assert.Equal("https://mxdev-kv.vault.azure.net/", reference.VaultAddress.ToString());
            Assert.Equal(
                reference.SecretUri,
                KeyVaultReference.Parse(Reference.Replace("mxdev-kv", "MXDEV-KV").Replace("abcdef)", "ABCDEF)"), out _)!.SecretUri);
        }

        [Theory]
        [InlineData("plain-password", false)]
        [InlineData("Microsoft.KeyVault(SecretUri=x)", false)]
        [InlineData("@Microsoft.KeyVault(SecretUri=x)", true)]
        [InlineData("@microsoft.keyvault(SecretUri=x)", true)]
        [InlineData("  @Microsoft.KeyVault(SecretUri=x)", true)]
        [InlineData("@Microsoft.KeyVault SecretUri=x", true)]
        public void Anything_that_starts_like_a_reference_is_taken_as_one(string value, bool looksLikeReference)
        {
            Assert.Equal(looksLikeReference, KeyVaultReference.LooksLikeReference(value));
        }

        public static IEnumerable<object[]> MalformedReferences() => new[]
        {
            new object[] { "@Microsoft.KeyVault(SecretUri=https://mxdev-kv.vault.azure.net/secrets/sql-password/)", "version is missing" },
            new object[] { "@Microsoft.KeyVault(SecretUri=https://mxdev-kv.vault.azure.net/secrets/sql-password)", "version is missing" },
            new object[] { "@Microsoft.KeyVault(SecretUri=https://mxdev-kv.vault.azure.net/secrets/sql-password/0123abcd)", "32 hexadecimal characters" },
            new object[] { "@Microsoft.KeyVault(SecretUri=https://mxdev-kv.vault.azure.net/secrets/sql-password/0123456789abcdef0123456789abcdeg)", "32 hexadecimal characters" },
            new object[] { "@Microsoft.KeyVault(VaultName=mxdev-kv;SecretName=sql-password)", "VaultName=/SecretName= form is not supported" },
            new object[] { "@microsoft.keyvault(SecretUri=https://mxdev-kv.vault.azure.net/secrets/sql-password/0123456789abcdef0123456789abcdef)", "must begin with exactly" },
            new object[] { " @Microsoft.KeyVault(SecretUri=https://mxdev-kv.vault.azure.net/secrets/sql-password/0123456789abcdef0123456789abcdef)", "must begin with exactly" },
            new object[] { "@Microsoft.KeyVault(SecretUri=http://mxdev-kv.vault.azure.net/secrets/sql-password/0123456789abcdef0123456789abcdef)", "must begin with https://" },
            new object[] { "@Microsoft.KeyVault(SecretUri=https://mxdev-kv.example.com/secrets/sql-password/0123456789abcdef0123456789abcdef)", "host must be <vault>.vault.azure.net" },
            new object[] { "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/sql-password/0123456789abcdef0123456789abcdef)", "vault name must be 3-24" },
            new object[] { "@Microsoft.KeyVault(SecretUri=https://mxdev-kv.vault.azure.net/keys/sql-password/0123456789abcdef0123456789abcdef)", "path must be /secrets/<name>/<version>" },
            new object[] { "@Microsoft.KeyVault(SecretUri=https://mxdev-kv.vault.azure.net/secrets/sql_password/0123456789abcdef0123456789abcdef)", "secret name must be 1-127" },
            new object[] { "@Microsoft.KeyVault(SecretUri=https://mxdev-kv.vault.azure.net/secrets/sql-password/0123456789abcdef0123456789abcdef/x)", "nothing after the version" },
            new object[] { "@Microsoft.KeyVault(SecretUri=https://mxdev-kv.vault.azure.net/secrets/sql-password/0123456789abcdef0123456789abcdef", "must end with ')'" },
            new object[] { "@Microsoft.KeyVault(SecretUri=https://mxdev-kv.vault.azure.net/secrets/sql-password/0123456789abcdef0123456789abcdef) ", "must end with ')'" },
        };

        [Theory]
        [MemberData(nameof(MalformedReferences))]
        public void A_malformed_reference_exits_2_naming_file_key_and_problem_before_anything_is_touched(string malformed, string problem)
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            using (var standIn = new AzureStandIn())
            using (var client = standIn.Client())
            {
                var blob = Fixtures.Variant(blobs.Path, Fixtures.KeyVaultFollower, Reference, malformed);
                var disk = FakeDataDisk.Raw();
                var runner = new RecordingPowerShellRunner();

                var run = AgentRun.Execute(AgentRun.OnSystem(root.Path, blob), TestNode.With("mxdev-1", disk, runner, client));

                Assert.Equal(2, run.ExitCode);
                Assert.Contains(blob, run.Output);
                Assert.Contains("'runtimeSettings.DatabasePassword'", run.Output);
                Assert.Contains(problem, run.Output);
                Assert.Contains(KeyVaultReference.Syntax, run.Output);
                Assert.DoesNotContain(malformed.Trim(), run.AllText);
                Assert.True(root.IsEmpty, "nothing may be written: " + string.Join(", ", root.AllFiles()));
                Assert.Empty(disk.InspectedLuns);
                Assert.Empty(runner.Scripts);
                Assert.Empty(standIn.Requests);
            }
        }

        [Fact]
        public void A_malformed_reference_in_a_custom_setting_is_refused_the_same_way()
        {
            using (var refused = new RefusedBlobRun())
            {
                var run = refused.Apply(refused.Variant(Fixtures.KeyVaultFollower, "/secrets/storage-key-app/fedcba9876543210fedcba9876543210)", "/secrets/storage-key-app/latest)"));

                Assert.Contains("'customSettings.com.mendix.storage.azure.AccountKey'", run.Output);
                Assert.Contains("version must be 32 hexadecimal characters", run.Output);
            }
        }

        [Fact]
        public void A_no_system_run_refuses_references_because_only_the_node_can_resolve_them()
        {
            using (var root = new TempAppsRoot())
            {
                var run = AgentRun.Execute(AgentRun.NoSystem(root.Path, Fixtures.PathOf(Fixtures.KeyVaultFollower)));

                Assert.Equal(2, run.ExitCode);
                Assert.Contains(Fixtures.PathOf(Fixtures.KeyVaultFollower), run.Output);
                Assert.Contains("'runtimeSettings.DatabasePassword' is a Key Vault reference (3 in this run)", run.Output);
                Assert.Contains("--no-system runs do not use it", run.Output);
                Assert.StartsWith("error: ", run.Errors);
                Assert.True(root.IsEmpty, "nothing may be written: " + string.Join(", ", root.AllFiles()));
            }
        }

        [Fact]
        public void References_are_found_under_the_key_the_blob_names()
        {
            var plain = Blob.NodeSettingsBlobReader.Read(Fixtures.PathOf(Fixtures.LicensedFollower));
            var referring = Blob.NodeSettingsBlobReader.Read(Fixtures.PathOf(Fixtures.KeyVaultFollower));

            Assert.Empty(KeyVaultReferences.In(new[] { plain }));
            Assert.Equal(
                new[] { "runtimeSettings.DatabasePassword", "customSettings.com.mendix.storage.azure.AccountKey", "customSettings.License.SubscriptionSecret" },
                KeyVaultReferences.In(new[] { referring }).Select(setting => setting.Key));
        }
    }
}
