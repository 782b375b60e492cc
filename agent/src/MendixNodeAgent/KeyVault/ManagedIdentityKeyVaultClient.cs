using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Net.Http.Headers;
using MendixNodeAgent.Identity;
using MendixNodeAgent.Timing;

namespace MendixNodeAgent.KeyVault
{
    /// <summary>
    /// Reads Key Vault secrets as the node's user-assigned managed identity, with Azure's documented
    /// REST flow and no Azure SDK:
    /// - a token for the resource https://vault.azure.net from the Instance Metadata Service (<see cref="InstanceMetadataTokens"/>);
    /// - the secret, GET {vault}/secrets/{name}/{version}?api-version=7.4 with "Authorization: Bearer
    ///   &lt;token&gt;", answer JSON "value" (Microsoft Learn, Key Vault REST API, "Get Secret":
    ///   learn.microsoft.com/rest/api/keyvault/secrets/get-secret/get-secret).
    /// One token per identity and instance (one run); every request has its own timeout; retries of 404/410/429/5xx are
    /// few and short. Access denied (401, or 403 but for a disabled secret) is retried with a growing pause for up to
    /// <see cref="DefaultAccessDeniedPatience"/>: "it can take up to 10 minutes for changes to take effect" after a role
    /// assignment (Microsoft Learn, "Troubleshoot Azure RBAC", "Role assignment changes are not being detected"), and a
    /// node's first run follows its grant closely.
    /// </summary>
    internal sealed class ManagedIdentityKeyVaultClient : IKeyVaultClient, IDisposable
    {
        public static readonly Uri InstanceMetadataAddress = InstanceMetadataTokens.InstanceMetadataAddress;
        public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(20);
        public static readonly IReadOnlyList<TimeSpan> DefaultRetryDelays = new[] { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2) };
        public static readonly TimeSpan DefaultAccessDeniedPatience = TimeSpan.FromMinutes(15);

        private const string VaultResource = "https://vault.azure.net";
        private const string IdentitySetting = "node.identityClientId";
        private const string SecretsApiVersion = "7.4";

        private readonly Func<Uri, Uri> vaultAddress;
        private readonly RetryingHttp sender;
        private readonly InstanceMetadataTokens tokens;
        private readonly HttpClient vaultHttp = RetryingHttp.Client(useProxy: true);
        private readonly IClock clock;
        private readonly TimeSpan accessDeniedPatience;

        /// <param name="instanceMetadata">the Instance Metadata Service's address (production: <see cref="InstanceMetadataAddress"/>).</param>
        /// <param name="vaultAddress">maps a vault's https://&lt;vault&gt;.vault.azure.net/ to the address actually called (production: itself).</param>
        /// <param name="requestTimeout">the longest one HTTP request may take.</param>
        /// <param name="retryDelays">the pauses before each retry of a retryable answer; their count is the number of retries.</param>
        /// <param name="clock">the time and the pauses between retries.</param>
        /// <param name="accessDeniedPatience">how long access denied answers are retried.</param>
        public ManagedIdentityKeyVaultClient(Uri instanceMetadata, Func<Uri, Uri> vaultAddress, TimeSpan requestTimeout, IReadOnlyList<TimeSpan> retryDelays, IClock clock, TimeSpan accessDeniedPatience)
        {
            this.clock = clock;
            this.accessDeniedPatience = accessDeniedPatience;
            this.vaultAddress = vaultAddress;
            sender = new RetryingHttp(requestTimeout, retryDelays);
            tokens = new InstanceMetadataTokens(instanceMetadata, sender);
        }

        public static ManagedIdentityKeyVaultClient ForThisVm(IClock clock) =>
            new ManagedIdentityKeyVaultClient(InstanceMetadataAddress, vault => vault, DefaultRequestTimeout, DefaultRetryDelays, clock, DefaultAccessDeniedPatience);

        /// <summary>The pause before the n-th retry (1-based) of an access denied answer: 5, 10, 20, 40 s, then every 60 s.</summary>
        public static TimeSpan AccessDeniedPause(int retry) => TimeSpan.FromSeconds(Math.Min(60, 5 * Math.Pow(2, Math.Min(retry - 1, 4))));

        public string ReadSecret(KeyVaultReference reference, string identityClientId, Action<string> onRetry)
        {
            var started = clock.UtcNow;
            for (var retry = 1; ; retry++)
            {
                var answer = ReadOnce(reference, identityClientId);
                if (answer.Status == 200)
                {
                    var value = JsonAnswer.Read<SecretAnswer>(answer.Body)?.Value;
                    if (value == null)
                    {
                        throw new KeyVaultReadException("Key Vault answered HTTP 200 without the secret's value (no JSON 'value')");
                    }

                    return value;
                }

                var error = JsonAnswer.Read<VaultErrorAnswer>(answer.Body)?.Error;
                var codes = JsonAnswer.Codes(error?.Code, error?.InnerError?.Code);
                var accessDenied = answer.Status == 401 || (answer.Status == 403 && !Mentions(error, "SecretDisabled"));
                if (accessDenied)
                {
                    var waited = clock.UtcNow - started;
                    var pause = AccessDeniedPause(retry);
                    if (waited + pause <= accessDeniedPatience)
                    {
                        onRetry($"Key Vault '{reference.VaultName}' denied identity {identityClientId} access to secret '{reference.SecretName}' (HTTP {answer.Status}{codes}); "
                            + $"a new role assignment takes up to 10 minutes to take effect: retry {retry} in {Seconds.Of(pause)} s ({Seconds.Of(waited)} s of {Seconds.Of(accessDeniedPatience)} s waited)");
                        if (answer.Status == 401)
                        {
                            tokens.Forget(VaultResource, identityClientId);
                        }

                        clock.Sleep(pause);
                        continue;
                    }

                    var tried = retry > 1 ? $" for {Seconds.Of(waited)} s ({retry} attempts)" : string.Empty;
                    throw new KeyVaultReadException(answer.Status == 403 && Mentions(error, "ForbiddenByFirewall")
                        ? $"access denied (HTTP 403{codes}){tried}: the vault's network rules do not admit this node (identity {identityClientId})"
                        : $"access denied (HTTP {answer.Status}{codes}){tried}: the node's identity {identityClientId} needs the Key Vault Secrets User role on vault '{reference.VaultName}'");
                }

                switch (answer.Status)
                {
                    case 403:
                        throw new KeyVaultReadException($"access denied (HTTP 403{codes}): this version of the secret is disabled");
                    case 404:
                        throw new KeyVaultReadException(reference.IsLatest
                            ? $"not found (HTTP 404{codes}): the vault holds no secret '{reference.SecretName}'"
                            : $"not found (HTTP 404{codes}): the vault holds no secret '{reference.SecretName}' with version '{reference.Version}'");
                    default:
                        throw new KeyVaultReadException($"Key Vault answered HTTP {answer.Status}{codes}{answer.AttemptsNote}");
                }
            }
        }

        public void Dispose()
        {
            tokens.Dispose();
            vaultHttp.Dispose();
        }

        private HttpAnswer ReadOnce(KeyVaultReference reference, string identityClientId)
        {
            string token;
            try
            {
                token = tokens.Token(VaultResource, identityClientId, IdentitySetting);
            }
            catch (ManagedIdentityTokenException e)
            {
                throw new KeyVaultReadException(e.Message);
            }

            // Without a version, Get Secret answers with the latest one.
            var path = reference.IsLatest ? $"secrets/{reference.SecretName}" : $"secrets/{reference.SecretName}/{reference.Version}";
            var address = new Uri(vaultAddress(reference.VaultAddress), $"{path}?api-version={SecretsApiVersion}");
            try
            {
                return sender.Send(
                    vaultHttp,
                    () =>
                    {
                        var request = new HttpRequestMessage(HttpMethod.Get, address);
                        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                        return request;
                    },
                    status => status == 429 || status >= 500,
                    "Key Vault");
            }
            catch (HttpUnansweredException e)
            {
                throw new KeyVaultReadException(e.Message);
            }
        }

        private static bool Mentions(VaultError? error, string code) =>
            string.Equals(error?.Code, code, StringComparison.OrdinalIgnoreCase)
            || string.Equals(error?.InnerError?.Code, code, StringComparison.OrdinalIgnoreCase);
    }
}
