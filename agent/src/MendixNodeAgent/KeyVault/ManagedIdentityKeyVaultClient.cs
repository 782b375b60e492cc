using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using MendixNodeAgent.Timing;

namespace MendixNodeAgent.KeyVault
{
    /// <summary>
    /// Reads Key Vault secrets as the node's user-assigned managed identity, with Azure's documented
    /// REST flow and no Azure SDK:
    /// - a token for the resource https://vault.azure.net from the Instance Metadata Service,
    ///   GET http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&amp;resource=...&amp;client_id=...
    ///   with the header "Metadata: true", answer JSON "access_token"; retry on 404, 410, 429 and 5xx; client_id names
    ///   the user-assigned identity the token is for ("client_id (Optional) ... the client_id of the managed identity you
    ///   would like the token for. Required, if your VM has multiple user-assigned managed identities", same page);
    ///   never through a proxy (Microsoft Learn, "How to use managed identities for Azure resources on
    ///   an Azure VM to acquire an access token", sections "Get a token using HTTP", "Error handling"
    ///   and "Retry guidance": learn.microsoft.com/entra/identity/managed-identities-azure-resources/how-to-use-vm-token;
    ///   "Azure Instance Metadata Service": learn.microsoft.com/azure/virtual-machines/instance-metadata-service);
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
        public static readonly Uri InstanceMetadataAddress = new Uri("http://169.254.169.254/");
        public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(20);
        public static readonly IReadOnlyList<TimeSpan> DefaultRetryDelays = new[] { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2) };
        public static readonly TimeSpan DefaultAccessDeniedPatience = TimeSpan.FromMinutes(15);

        private const string TokenRequest = "metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net";
        private const string SecretsApiVersion = "7.4";

        private readonly Uri instanceMetadata;
        private readonly Func<Uri, Uri> vaultAddress;
        private readonly TimeSpan requestTimeout;
        private readonly IReadOnlyList<TimeSpan> retryDelays;
        private readonly HttpClient metadataHttp;
        private readonly HttpClient vaultHttp;
        private readonly IClock clock;
        private readonly TimeSpan accessDeniedPatience;
        private readonly Dictionary<string, string> accessTokens = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

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
            this.instanceMetadata = instanceMetadata;
            this.vaultAddress = vaultAddress;
            this.requestTimeout = requestTimeout;
            this.retryDelays = retryDelays;

            // The timeout is applied per request below, with a cancellation that tells it apart from other failures.
            metadataHttp = new HttpClient(new HttpClientHandler { UseProxy = false }) { Timeout = Timeout.InfiniteTimeSpan };
            vaultHttp = new HttpClient(new HttpClientHandler()) { Timeout = Timeout.InfiniteTimeSpan };
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
                var codes = ErrorCodes(error?.Code, error?.InnerError?.Code);
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
                            accessTokens.Remove(identityClientId);
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
                        throw new KeyVaultReadException($"Key Vault answered HTTP {answer.Status}{codes}{Attempts(answer)}");
                }
            }
        }

        public void Dispose()
        {
            metadataHttp.Dispose();
            vaultHttp.Dispose();
        }

        private HttpAnswer ReadOnce(KeyVaultReference reference, string identityClientId)
        {
            if (!accessTokens.TryGetValue(identityClientId, out var token))
            {
                token = RequestToken(identityClientId);
                accessTokens[identityClientId] = token;
            }

            // Without a version, Get Secret answers with the latest one.
            var path = reference.IsLatest ? $"secrets/{reference.SecretName}" : $"secrets/{reference.SecretName}/{reference.Version}";
            var address = new Uri(vaultAddress(reference.VaultAddress), $"{path}?api-version={SecretsApiVersion}");
            return Send(
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

        private string RequestToken(string identityClientId)
        {
            var address = new Uri(instanceMetadata, TokenRequest + "&client_id=" + Uri.EscapeDataString(identityClientId));
            const string service = "the Instance Metadata Service";
            HttpAnswer answer;
            try
            {
                answer = Send(
                    metadataHttp,
                    () =>
                    {
                        var request = new HttpRequestMessage(HttpMethod.Get, address);
                        request.Headers.Add("Metadata", "true");
                        return request;
                    },
                    status => status == 404 || status == 410 || status == 429 || status >= 500,
                    service + " at " + instanceMetadata);
            }
            catch (KeyVaultReadException e)
            {
                throw new KeyVaultReadException("no managed identity token: " + e.Message + $"; the agent must run on an Azure VM that holds the user-assigned managed identity {identityClientId}");
            }

            if (answer.Status == 200)
            {
                var token = JsonAnswer.Read<TokenAnswer>(answer.Body)?.AccessToken;
                if (string.IsNullOrEmpty(token))
                {
                    throw new KeyVaultReadException($"no managed identity token: {service} answered HTTP 200 without a JSON 'access_token'");
                }

                return token!;
            }

            var error = JsonAnswer.Read<MetadataErrorAnswer>(answer.Body);
            var detail = ErrorCodes(error?.Error, error?.Description);
            var hint = answer.Status == 400 ? $"; the VM must hold the user-assigned managed identity with client id {identityClientId} (node.identityClientId)" : string.Empty;
            throw new KeyVaultReadException($"no managed identity token: {service} answered HTTP {answer.Status}{detail}{Attempts(answer)}{hint}");
        }

        /// <summary>Sends a request, again after a pause while the answer is retryable and retries are left.</summary>
        private HttpAnswer Send(HttpClient http, Func<HttpRequestMessage> newRequest, Func<int, bool> retryable, string target)
        {
            for (var attempt = 1; ; attempt++)
            {
                using (var timeout = new CancellationTokenSource(requestTimeout))
                using (var request = newRequest())
                {
                    int status;
                    byte[] body;
                    try
                    {
                        using (var response = http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).GetAwaiter().GetResult())
                        {
                            status = (int)response.StatusCode;
                            body = response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
                        }
                    }
                    catch (Exception e) when (timeout.IsCancellationRequested && (e is OperationCanceledException || e is HttpRequestException || e is IOException))
                    {
                        throw new KeyVaultReadException($"{target} did not answer within {Seconds.Of(requestTimeout)} s");
                    }
                    catch (Exception e) when (e is HttpRequestException || e is IOException)
                    {
                        throw new KeyVaultReadException($"{target} could not be reached ({Innermost(e).Message.Trim()})");
                    }

                    if (retryable(status) && attempt <= retryDelays.Count)
                    {
                        Thread.Sleep(retryDelays[attempt - 1]);
                        continue;
                    }

                    return new HttpAnswer(status, body, attempt);
                }
            }
        }

        private static bool Mentions(VaultError? error, string code) =>
            string.Equals(error?.Code, code, StringComparison.OrdinalIgnoreCase)
            || string.Equals(error?.InnerError?.Code, code, StringComparison.OrdinalIgnoreCase);

        private static string ErrorCodes(string? code, string? detail)
        {
            var parts = new List<string>();
            if (!string.IsNullOrWhiteSpace(code)) parts.Add(code!.Trim());
            if (!string.IsNullOrWhiteSpace(detail)) parts.Add(detail!.Trim());
            return parts.Count == 0 ? string.Empty : ", " + string.Join("/", parts);
        }

        private static string Attempts(HttpAnswer answer) => answer.Attempts > 1 ? $" (after {answer.Attempts} attempts)" : string.Empty;

        private static Exception Innermost(Exception e)
        {
            while (e.InnerException != null)
            {
                e = e.InnerException;
            }

            return e;
        }

        private sealed class HttpAnswer
        {
            public HttpAnswer(int status, byte[] body, int attempts)
            {
                Status = status;
                Body = body;
                Attempts = attempts;
            }

            public int Status { get; }

            public byte[] Body { get; }

            public int Attempts { get; }
        }
    }
}
