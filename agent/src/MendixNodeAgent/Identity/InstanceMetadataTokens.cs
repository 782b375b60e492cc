using System;
using System.Collections.Generic;
using System.Net.Http;
using MendixNodeAgent.KeyVault;

namespace MendixNodeAgent.Identity
{
    /// <summary>Access tokens of the VM's user-assigned managed identities, for one resource each.</summary>
    internal interface IManagedIdentityTokens
    {
        /// <param name="resource">the resource the token is for, such as https://vault.azure.net or https://database.windows.net/.</param>
        /// <param name="clientId">the client id of the user-assigned identity: a VM with several gives no token to a request that names none.</param>
        /// <param name="setting">the blob key that names the identity, for the error message.</param>
        /// <exception cref="ManagedIdentityTokenException">no token; the message says why and what to check.</exception>
        string Token(string resource, string clientId, string setting);

        /// <summary>Forgets a token that was refused, so that the next one is asked for afresh.</summary>
        void Forget(string resource, string clientId);
    }

    internal sealed class ManagedIdentityTokenException : Exception
    {
        public ManagedIdentityTokenException(string reason) : base(reason) { }
    }

    /// <summary>
    /// Tokens from the Instance Metadata Service, with Azure's documented REST flow and no Azure SDK:
    /// GET http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&amp;resource=...&amp;client_id=...
    /// with the header "Metadata: true", answer JSON "access_token"; retry on 404, 410, 429 and 5xx; client_id names the
    /// user-assigned identity the token is for ("Required, if your VM has multiple user-assigned managed identities");
    /// never through a proxy (Microsoft Learn, "How to use managed identities for Azure resources on an Azure VM to
    /// acquire an access token", sections "Get a token using HTTP", "Error handling" and "Retry guidance":
    /// learn.microsoft.com/entra/identity/managed-identities-azure-resources/how-to-use-vm-token). One token per
    /// resource and identity for the life of the instance (one run).
    /// </summary>
    internal sealed class InstanceMetadataTokens : IManagedIdentityTokens, IDisposable
    {
        public static readonly Uri InstanceMetadataAddress = new Uri("http://169.254.169.254/");

        private const string Service = "the Instance Metadata Service";
        private readonly Uri instanceMetadata;
        private readonly RetryingHttp sender;
        private readonly HttpClient http = RetryingHttp.Client(useProxy: false);
        private readonly Dictionary<string, string> tokens = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        public InstanceMetadataTokens(Uri instanceMetadata, RetryingHttp sender)
        {
            this.instanceMetadata = instanceMetadata;
            this.sender = sender;
        }

        public string Token(string resource, string clientId, string setting)
        {
            var key = resource + " " + clientId;
            if (!tokens.TryGetValue(key, out var token))
            {
                token = Request(resource, clientId, setting);
                tokens[key] = token;
            }

            return token;
        }

        public void Forget(string resource, string clientId) => tokens.Remove(resource + " " + clientId);

        public void Dispose() => http.Dispose();

        private string Request(string resource, string clientId, string setting)
        {
            var address = new Uri(instanceMetadata, "metadata/identity/oauth2/token?api-version=2018-02-01&resource=" + Uri.EscapeDataString(resource) + "&client_id=" + Uri.EscapeDataString(clientId));
            HttpAnswer answer;
            try
            {
                answer = sender.Send(
                    http,
                    () =>
                    {
                        var request = new HttpRequestMessage(HttpMethod.Get, address);
                        request.Headers.Add("Metadata", "true");
                        return request;
                    },
                    status => status == 404 || status == 410 || status == 429 || status >= 500,
                    Service + " at " + instanceMetadata);
            }
            catch (HttpUnansweredException e)
            {
                throw new ManagedIdentityTokenException("no managed identity token: " + e.Message + $"; the agent must run on an Azure VM that holds the user-assigned managed identity {clientId}");
            }

            if (answer.Status == 200)
            {
                var token = JsonAnswer.Read<TokenAnswer>(answer.Body)?.AccessToken;
                if (string.IsNullOrEmpty(token))
                {
                    throw new ManagedIdentityTokenException($"no managed identity token: {Service} answered HTTP 200 without a JSON 'access_token'");
                }

                return token!;
            }

            var error = JsonAnswer.Read<MetadataErrorAnswer>(answer.Body);
            var detail = JsonAnswer.Codes(error?.Error, error?.Description);
            var hint = answer.Status == 400 ? $"; the VM must hold the user-assigned managed identity with client id {clientId} ({setting})" : string.Empty;
            throw new ManagedIdentityTokenException($"no managed identity token: {Service} answered HTTP {answer.Status}{detail}{answer.AttemptsNote}{hint}");
        }
    }
}
