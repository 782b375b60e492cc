using System;
using System.Net.Http;
using System.Net.Http.Headers;
using MendixNodeAgent.Identity;

namespace MendixNodeAgent.Storage
{
    /// <summary>
    /// Lists at most one blob of the app's files container as its identity, what the runtime's Blob Storage client does
    /// with it: a token for https://storage.azure.com/ from the instance metadata service, then List Blobs
    /// (GET &lt;container&gt;?restype=container&amp;comp=list&amp;maxresults=1 with "Authorization: Bearer" and
    /// "x-ms-version", Microsoft Learn, Blob service REST API, "List Blobs" and "Authorize with Microsoft Entra ID"),
    /// which Storage Blob Data Contributor allows. A 403 is what a grant not yet in effect gives (up to 10 minutes
    /// after it is made: "Troubleshoot Azure RBAC").
    /// </summary>
    internal sealed class BlobContainerProbe : IFilesProbe
    {
        public const string StorageResource = "https://storage.azure.com/";
        private const string ApiVersion = "2021-08-06";

        private readonly IManagedIdentityTokens tokens;
        private readonly RetryingHttp sender;
        private readonly HttpClient http = RetryingHttp.Client(useProxy: true);

        public BlobContainerProbe(IManagedIdentityTokens tokens, RetryingHttp sender)
        {
            this.tokens = tokens;
            this.sender = sender;
        }

        public void SignIn(FilesTarget target, TimeSpan timeout)
        {
            string token;
            try
            {
                token = tokens.Token(StorageResource, target.IdentityClientId, "app.identityClientId");
            }
            catch (ManagedIdentityTokenException e)
            {
                throw new FilesUnavailableException(e.Message);
            }

            var address = new Uri(target.ContainerAddress + "?restype=container&comp=list&maxresults=1");
            HttpAnswer answer;
            try
            {
                answer = sender.Send(
                    http,
                    () =>
                    {
                        var request = new HttpRequestMessage(HttpMethod.Get, address);
                        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                        request.Headers.Add("x-ms-version", ApiVersion);
                        return request;
                    },
                    status => status == 429 || status >= 500,
                    "Blob Storage");
            }
            catch (HttpUnansweredException e)
            {
                throw new FilesUnavailableException(e.Message);
            }

            if (answer.Status != 200)
            {
                var code = System.Text.RegularExpressions.Regex.Match(System.Text.Encoding.UTF8.GetString(answer.Body), "<Code>([^<]+)</Code>").Groups[1].Value;
                throw new FilesUnavailableException($"Blob Storage answered HTTP {answer.Status}" + (code.Length == 0 ? string.Empty : ", " + code) + answer.AttemptsNote);
            }
        }
    }
}
