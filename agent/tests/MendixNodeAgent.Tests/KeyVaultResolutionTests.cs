using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using MendixNodeAgent.KeyVault;
using MendixNodeAgent.Tests.Support;
using MendixNodeAgent.Windows;
using Xunit;

namespace MendixNodeAgent.Tests
{
    /// <summary>
    /// A real node's run whose blob refers to Key Vault secrets, with the agent's own HTTP client talking
    /// to a stand-in for the Instance Metadata Service and Key Vault on loopback.
    /// </summary>
    public class KeyVaultResolutionTests
    {
        private const string SqlSecret = "sql-password/0123456789abcdef0123456789abcdef";
        private const string StorageSecret = "storage-key-app/fedcba9876543210fedcba9876543210";
        private const string LicenseSecret = "license-secret-app/00112233445566778899aabbccddeeff";

        // Characters that JSON escapes and YAML must quote, so both ends are exercised.
        private const string SqlValue = "kv-sql: p@ss'w\"rd #1 \u00e9";
        private const string StorageValue = "kv-storage-key==";
        private const string LicenseValue = "kv-license-secret";

        /// <summary>node.identityClientId of the Key Vault fixture: the node's user-assigned identity.</summary>
        private const string NodeIdentity = "6f1c2a9e-0000-4000-8000-000000000001";

        private static readonly string[] SecretValues = { SqlValue, StorageValue, LicenseValue, AzureStandIn.Token };

        private sealed class NodeRun
        {
            public NodeRun(AgentRun run, FakeDataDisk disk, RecordingPowerShellRunner runner)
            {
                Run = run;
                Disk = disk;
                Runner = runner;
            }

            public AgentRun Run { get; }

            public FakeDataDisk Disk { get; }

            public RecordingPowerShellRunner Runner { get; }
        }

        private static AzureStandIn StandInWithSecrets()
        {
            var standIn = new AzureStandIn();
            standIn.Secrets[SqlSecret] = SqlValue;
            standIn.Secrets[StorageSecret] = StorageValue;
            standIn.Secrets[LicenseSecret] = LicenseValue;
            return standIn;
        }

        private static NodeRun RunOnNode(TempAppsRoot root, IKeyVaultClient client, params string[] blobs)
        {
            var disk = FakeDataDisk.Raw();
            var runner = new RecordingPowerShellRunner();
            var run = AgentRun.Execute(AgentRun.OnSystem(root.Path, blobs), TestNode.With("mxdev-1", disk, runner, client));
            return new NodeRun(run, disk, runner);
        }

        private static void AssertNothingTouched(TempAppsRoot root, NodeRun node)
        {
            Assert.True(root.IsEmpty, "nothing may be written: " + string.Join(", ", root.AllFiles()));
            Assert.Empty(node.Disk.InspectedLuns);
            Assert.Empty(node.Disk.Initialized);
            Assert.Empty(node.Runner.Scripts);
        }

        private static void AssertNoSecretIn(string text)
        {
            foreach (var secret in SecretValues)
            {
                Assert.DoesNotContain(secret, text);
            }
        }

        [Fact]
        public void Resolved_values_reach_Settings_yaml_and_never_the_output_or_the_log()
        {
            using (var root = new TempAppsRoot())
            using (var standIn = StandInWithSecrets())
            using (var client = standIn.Client())
            {
                var node = RunOnNode(root, client, Fixtures.PathOf(Fixtures.KeyVaultFollower));

                Assert.Equal(0, node.Run.ExitCode);
                var console = Emulators.ServiceConsoleSettingsReader.Read(root.SettingsFile())!;
                Assert.Equal(SqlValue, console.DatabasePassword);
                var custom = console.Custom;
                Assert.Equal(StorageValue, custom["com.mendix.storage.azure.AccountKey"]);
                Assert.Equal(LicenseValue, custom["License.SubscriptionSecret"]);
                Assert.DoesNotContain("@Microsoft.KeyVault", File.ReadAllText(root.SettingsFile()));
                Assert.Contains("key 'runtimeSettings.DatabasePassword': read secret 'sql-password' from Key Vault 'mxdev-kv'", node.Run.Output);
                Assert.Equal(string.Empty, node.Run.Errors);
                AssertNoSecretIn(node.Run.AllText);
                AssertNoSecretIn(File.ReadAllText(root.LogFile));

                using (var nextRunClient = standIn.Client())
                {
                    var again = RunOnNode(root, nextRunClient, Fixtures.PathOf(Fixtures.KeyVaultFollower));
                    Assert.Equal(0, again.Run.ExitCode);
                    Assert.Contains("already up to date, not rewritten", again.Run.Output);
                }
            }
        }

        [Fact]
        public void The_token_is_asked_once_with_Metadata_true_and_sent_to_Key_Vault_as_Bearer()
        {
            using (var root = new TempAppsRoot())
            using (var standIn = StandInWithSecrets())
            using (var client = standIn.Client())
            {
                var node = RunOnNode(root, client, Fixtures.PathOf(Fixtures.KeyVaultFollower));

                Assert.Equal(0, node.Run.ExitCode);
                var tokenRequest = Assert.Single(standIn.Requests, request => request.IsTokenRequest);
                Assert.Equal("GET", tokenRequest.Method);
                Assert.Equal("true", tokenRequest.MetadataHeader);
                Assert.Null(tokenRequest.Authorization);
                var query = tokenRequest.Query.Split('&').Select(Uri.UnescapeDataString).ToArray();
                Assert.Equal(new[] { "api-version=2018-02-01", "resource=https://vault.azure.net", "client_id=" + NodeIdentity }, query);

                var secretRequests = standIn.Requests.Where(request => request.IsSecretRequest).ToList();
                Assert.Equal(
                    new[] { "/mxdev-kv.vault.azure.net/secrets/" + SqlSecret, "/mxdev-kv.vault.azure.net/secrets/" + StorageSecret, "/mxdev-kv.vault.azure.net/secrets/" + LicenseSecret },
                    secretRequests.Select(request => request.Path));
                Assert.All(secretRequests, request =>
                {
                    Assert.Equal("GET", request.Method);
                    Assert.Equal("Bearer " + AzureStandIn.Token, request.Authorization);
                    Assert.Equal("api-version=7.4", request.Query);
                    Assert.Null(request.MetadataHeader);
                });
                Assert.True(
                    standIn.Requests.ToList().IndexOf(tokenRequest) == 0,
                    "the token is asked before any secret");
            }
        }

        [Fact]
        public void The_same_reference_used_twice_is_read_once()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            using (var standIn = StandInWithSecrets())
            using (var client = standIn.Client())
            {
                var sqlReference = "\"@Microsoft.KeyVault(SecretUri=https://mxdev-kv.vault.azure.net/secrets/" + SqlSecret + ")\"";
                var first = Fixtures.Variant(blobs.Path, Fixtures.KeyVaultFollower, "  SessionTimeout: \"600000\"", "  MyModule.ReportingPassword: " + sqlReference, "first.yaml");
                var second = Fixtures.WriteBlob(blobs.Path, Fixtures.AsOtherApp(File.ReadAllText(first), "reports"), "second.yaml");

                var node = RunOnNode(root, client, first, second);

                Assert.Equal(0, node.Run.ExitCode);
                Assert.Single(standIn.Requests, request => request.IsTokenRequest);
                Assert.Equal(3, standIn.Requests.Count(request => request.IsSecretRequest));
                Assert.Single(standIn.Requests, request => request.Path.EndsWith(SqlSecret, StringComparison.Ordinal));
                foreach (var app in new[] { "app", "reports" })
                {
                    var console = Emulators.ServiceConsoleSettingsReader.Read(root.SettingsFile(app))!;
                    Assert.Equal(SqlValue, console.DatabasePassword);
                    Assert.Equal(SqlValue, console.Custom["MyModule.ReportingPassword"]);
                }

                AssertNoSecretIn(node.Run.AllText);
            }
        }

        [Theory]
        [InlineData(403, "Forbidden", "ForbiddenByRbac", "access denied (HTTP 403, Forbidden/ForbiddenByRbac) for 855 s (18 attempts): the node's identity 6f1c2a9e-0000-4000-8000-000000000001 needs the Key Vault Secrets User role on vault 'mxdev-kv'")]
        [InlineData(401, "Unauthorized", null, "access denied (HTTP 401, Unauthorized) for 855 s (18 attempts): the node's identity 6f1c2a9e-0000-4000-8000-000000000001 needs the Key Vault Secrets User role on vault 'mxdev-kv'")]
        [InlineData(403, "Forbidden", "ForbiddenByFirewall", "access denied (HTTP 403, Forbidden/ForbiddenByFirewall) for 855 s (18 attempts): the vault's network rules do not admit this node (identity 6f1c2a9e-0000-4000-8000-000000000001)")]
        public void Access_denied_for_15_minutes_exits_1_naming_file_key_identity_vault_secret_and_what_to_grant_and_touches_nothing(int status, string code, string? innerCode, string reason)
        {
            var clock = new FakeClock();
            using (var root = new TempAppsRoot())
            using (var standIn = StandInWithSecrets())
            using (var client = standIn.Client(clock: clock))
            {
                standIn.Vault = _ => StandInAnswer.VaultError(status, code, innerCode);

                var node = RunOnNode(root, client, Fixtures.PathOf(Fixtures.KeyVaultFollower));

                Assert.Equal(1, node.Run.ExitCode);
                Assert.Contains(
                    $"{Fixtures.PathOf(Fixtures.KeyVaultFollower)}: key 'runtimeSettings.DatabasePassword' refers to secret 'sql-password' (version 0123456789abcdef0123456789abcdef) in Key Vault 'mxdev-kv', which could not be read: {reason}",
                    node.Run.Output);
                Assert.StartsWith("error: ", node.Run.Errors);
                // 5, 10, 20, 40 s, then every 60 s while the next pause still ends within 15 minutes: 75 + 13 x 60 = 855 s.
                Assert.Equal(new[] { 5.0, 10, 20, 40 }.Concat(Enumerable.Repeat(60.0, 13)).ToArray(), clock.Pauses.Select(p => p.TotalSeconds).ToArray());
                Assert.True(clock.Elapsed <= TimeSpan.FromMinutes(15), "the retries end within 15 minutes: " + clock.Elapsed);
                Assert.Equal(18, standIn.Requests.Count(request => request.IsSecretRequest));
                Assert.Equal(17, node.Run.Output.Split('\n').Count(line => line.Contains("denied identity " + NodeIdentity + " access to secret 'sql-password'") && line.Contains("takes up to 10 minutes")));
                AssertNothingTouched(root, node);
                AssertNoSecretIn(node.Run.AllText);
            }
        }

        [Fact]
        public void A_grant_that_takes_effect_while_the_agent_retries_lets_the_run_succeed()
        {
            var clock = new FakeClock();
            using (var root = new TempAppsRoot())
            using (var standIn = StandInWithSecrets())
            using (var client = standIn.Client(clock: clock))
            {
                var vaultCalls = 0;
                var granted = standIn.Vault;
                standIn.Vault = request => ++vaultCalls <= 3 ? StandInAnswer.VaultError(403, "Forbidden", "ForbiddenByRbac") : granted(request);

                var node = RunOnNode(root, client, Fixtures.PathOf(Fixtures.KeyVaultFollower));

                Assert.Equal(0, node.Run.ExitCode);
                Assert.Equal(new[] { 5.0, 10, 20 }, clock.Pauses.Select(p => p.TotalSeconds).ToArray());
                Assert.Contains("Key Vault 'mxdev-kv' denied identity 6f1c2a9e-0000-4000-8000-000000000001 access to secret 'sql-password' (HTTP 403, Forbidden/ForbiddenByRbac); "
                    + "a new role assignment takes up to 10 minutes to take effect: retry 1 in 5 s (0 s of 900 s waited)", node.Run.Output);
                Assert.Contains("retry 3 in 20 s (15 s of 900 s waited)", node.Run.Output);
                Assert.Single(standIn.Requests, request => request.IsTokenRequest);
                Assert.Equal(SqlValue, Emulators.ServiceConsoleSettingsReader.Read(root.SettingsFile())!.DatabasePassword);
                AssertNoSecretIn(node.Run.AllText);
            }
        }

        [Fact]
        public void A_401_asks_for_a_new_token_before_the_next_try()
        {
            using (var root = new TempAppsRoot())
            using (var standIn = StandInWithSecrets())
            using (var client = standIn.Client())
            {
                var vaultCalls = 0;
                var granted = standIn.Vault;
                standIn.Vault = request => ++vaultCalls == 1 ? StandInAnswer.VaultError(401, "Unauthorized") : granted(request);

                var node = RunOnNode(root, client, Fixtures.PathOf(Fixtures.KeyVaultFollower));

                Assert.Equal(0, node.Run.ExitCode);
                Assert.Equal(2, standIn.Requests.Count(request => request.IsTokenRequest));
            }
        }

        [Fact]
        public void A_disabled_secret_is_not_retried()
        {
            var clock = new FakeClock();
            using (var root = new TempAppsRoot())
            using (var standIn = StandInWithSecrets())
            using (var client = standIn.Client(clock: clock))
            {
                standIn.Vault = _ => StandInAnswer.VaultError(403, "Forbidden", "SecretDisabled");

                var node = RunOnNode(root, client, Fixtures.PathOf(Fixtures.KeyVaultFollower));

                Assert.Equal(1, node.Run.ExitCode);
                Assert.Contains("which could not be read: access denied (HTTP 403, Forbidden/SecretDisabled): this version of the secret is disabled", node.Run.Output);
                Assert.Single(standIn.Requests, request => request.IsSecretRequest);
                Assert.Empty(clock.Pauses);
                AssertNothingTouched(root, node);
            }
        }

        [Fact]
        public void A_missing_secret_exits_1_naming_it_and_shows_no_value_read_before()
        {
            using (var root = new TempAppsRoot())
            using (var standIn = StandInWithSecrets())
            using (var client = standIn.Client())
            {
                standIn.Secrets.Remove(StorageSecret);

                var node = RunOnNode(root, client, Fixtures.PathOf(Fixtures.KeyVaultFollower));

                Assert.Equal(1, node.Run.ExitCode);
                Assert.Contains("key 'customSettings.com.mendix.storage.azure.AccountKey' refers to secret 'storage-key-app'", node.Run.Output);
                Assert.Contains("in Key Vault 'mxdev-kv', which could not be read: not found (HTTP 404, SecretNotFound)", node.Run.Output);
                Assert.Equal(2, standIn.Requests.Count(request => request.IsSecretRequest));
                AssertNothingTouched(root, node);
                AssertNoSecretIn(node.Run.AllText);
            }
        }

        [Fact]
        public void A_vault_that_does_not_answer_in_time_exits_1_after_the_request_timeout()
        {
            using (var root = new TempAppsRoot())
            using (var standIn = StandInWithSecrets())
            using (var client = standIn.Client(requestTimeout: TimeSpan.FromSeconds(1)))
            {
                standIn.Vault = _ => new StandInAnswer(200, "{\"value\":\"too-late\"}", TimeSpan.FromSeconds(10));
                var clock = Stopwatch.StartNew();

                var node = RunOnNode(root, client, Fixtures.PathOf(Fixtures.KeyVaultFollower));

                // The vault answers after 10 s: anything well short of that gave up at the 1 s timeout, even on a loaded machine.
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(9), "took " + clock.Elapsed);
                Assert.Equal(1, node.Run.ExitCode);
                Assert.Contains("'sql-password'", node.Run.Output);
                Assert.Contains("which could not be read: Key Vault did not answer within 1 s", node.Run.Output);
                Assert.Single(standIn.Requests, request => request.IsSecretRequest);
                AssertNothingTouched(root, node);
            }
        }

        [Fact]
        public void An_unreachable_metadata_service_exits_1_before_any_vault_request()
        {
            using (var root = new TempAppsRoot())
            using (var standIn = StandInWithSecrets())
            using (var client = standIn.Client(instanceMetadata: AzureStandIn.NothingListening()))
            {
                var node = RunOnNode(root, client, Fixtures.PathOf(Fixtures.KeyVaultFollower));

                Assert.Equal(1, node.Run.ExitCode);
                Assert.Contains("key 'runtimeSettings.DatabasePassword' refers to secret 'sql-password'", node.Run.Output);
                Assert.Contains("in Key Vault 'mxdev-kv', which could not be read: no managed identity token: the Instance Metadata Service at http://127.0.0.1:", node.Run.Output);
                Assert.Contains("could not be reached", node.Run.Output);
                Assert.Empty(standIn.Requests);
                AssertNothingTouched(root, node);
            }
        }

        [Fact]
        public void A_VM_without_managed_identity_exits_1_saying_so_without_retrying()
        {
            using (var root = new TempAppsRoot())
            using (var standIn = StandInWithSecrets())
            using (var client = standIn.Client())
            {
                standIn.Metadata = _ => new StandInAnswer(400, "{\"error\":\"invalid_request\",\"error_description\":\"Identity not found\"}");

                var node = RunOnNode(root, client, Fixtures.PathOf(Fixtures.KeyVaultFollower));

                Assert.Equal(1, node.Run.ExitCode);
                Assert.Contains("answered HTTP 400, invalid_request/Identity not found; the VM must hold the user-assigned managed identity with client id 6f1c2a9e-0000-4000-8000-000000000001 (node.identityClientId)", node.Run.Output);
                Assert.Single(standIn.Requests);
                AssertNothingTouched(root, node);
            }
        }

        [Fact]
        public void Throttled_and_failing_answers_are_retried_a_bounded_number_of_times()
        {
            using (var root = new TempAppsRoot())
            using (var standIn = StandInWithSecrets())
            using (var client = standIn.Client())
            {
                var metadataCalls = 0;
                var defaultMetadata = standIn.Metadata;
                standIn.Metadata = request => ++metadataCalls == 1 ? new StandInAnswer(429, "{}") : defaultMetadata(request);
                var vaultCalls = 0;
                var defaultVault = standIn.Vault;
                standIn.Vault = request => ++vaultCalls <= 2 ? StandInAnswer.VaultError(503, "ServiceUnavailable") : defaultVault(request);

                var node = RunOnNode(root, client, Fixtures.PathOf(Fixtures.KeyVaultFollower));

                Assert.Equal(0, node.Run.ExitCode);
                Assert.Equal(2, standIn.Requests.Count(request => request.IsTokenRequest));
                Assert.Equal(5, standIn.Requests.Count(request => request.IsSecretRequest));
                Assert.Equal(SqlValue, Emulators.ServiceConsoleSettingsReader.Read(root.SettingsFile())!.DatabasePassword);
            }

            using (var root = new TempAppsRoot())
            using (var standIn = StandInWithSecrets())
            using (var client = standIn.Client())
            {
                standIn.Vault = _ => StandInAnswer.VaultError(500, "InternalServerError");

                var node = RunOnNode(root, client, Fixtures.PathOf(Fixtures.KeyVaultFollower));

                Assert.Equal(1, node.Run.ExitCode);
                Assert.Contains("which could not be read: Key Vault answered HTTP 500, InternalServerError (after 3 attempts)", node.Run.Output);
                Assert.Equal(3, standIn.Requests.Count(request => request.IsSecretRequest));
                AssertNothingTouched(root, node);
            }
        }

        [Theory]
        [InlineData("{\"value\":\"\"}", "whose value is empty")]
        [InlineData("{\"id\":\"no value here\"}", "answered HTTP 200 without the secret's value")]
        [InlineData("not json", "answered HTTP 200 without the secret's value")]
        public void An_unusable_answer_exits_1_and_touches_nothing(string body, string expected)
        {
            using (var root = new TempAppsRoot())
            using (var standIn = StandInWithSecrets())
            using (var client = standIn.Client())
            {
                standIn.Vault = _ => new StandInAnswer(200, body);

                var node = RunOnNode(root, client, Fixtures.PathOf(Fixtures.KeyVaultFollower));

                Assert.Equal(1, node.Run.ExitCode);
                Assert.Contains("'runtimeSettings.DatabasePassword'", node.Run.Output);
                Assert.Contains(expected, node.Run.Output);
                AssertNothingTouched(root, node);
            }
        }
    }
}
