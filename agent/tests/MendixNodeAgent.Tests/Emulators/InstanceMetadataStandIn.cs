using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace MendixNodeAgent.Tests.Emulators
{
    /// <summary>
    /// The instance metadata service's token endpoint as a script on the VM calls it through Invoke-RestMethod (Microsoft
    /// Learn, "How to use managed identities for Azure resources on an Azure VM to acquire an access token"): GET
    /// http://169.254.169.254/metadata/identity/oauth2/token with api-version, resource and client_id; the header
    /// "Metadata: true" is required; a client_id the VM does not carry, or none on a VM with several user-assigned
    /// identities, is HTTP 400 invalid_request "Identity not found". Its tokens are <see cref="AzureSqlEmulator.TokenFor"/>.
    /// </summary>
    public sealed class InstanceMetadataStandIn
    {
        private readonly HashSet<string> identities;

        /// <param name="vmIdentities">the client ids of the user-assigned identities the VM carries.</param>
        public InstanceMetadataStandIn(params string[] vmIdentities)
        {
            identities = new HashSet<string>(vmIdentities, StringComparer.OrdinalIgnoreCase);
        }

        public List<string> Requests { get; } = new List<string>();

        /// <summary>Invoke-RestMethod's answer: the JSON body as an object whose access_token PowerShell reads.</summary>
        public Hashtable Token(string uri, IDictionary? headers)
        {
            Requests.Add(uri);
            if (headers == null || !headers.Contains("Metadata") || !string.Equals(headers["Metadata"]?.ToString(), "true", StringComparison.OrdinalIgnoreCase))
            {
                throw BadRequest("invalid_request", "Required metadata header not specified");
            }

            var address = new Uri(uri);
            if (address.GetLeftPart(UriPartial.Path) != "http://169.254.169.254/metadata/identity/oauth2/token")
            {
                throw new InvalidOperationException("the instance metadata stand-in answers the token endpoint alone; asked " + uri);
            }

            var query = address.Query.TrimStart('?').Split('&').Select(part => part.Split(new[] { '=' }, 2))
                .ToDictionary(pair => pair[0], pair => pair.Length > 1 ? Uri.UnescapeDataString(pair[1]) : string.Empty);
            if (!query.TryGetValue("api-version", out var version) || version.Length == 0 || !query.TryGetValue("resource", out var resource) || resource.Length == 0)
            {
                throw BadRequest("invalid_request", "Required query variable 'api-version' or 'resource' is missing");
            }

            var clientId = query.TryGetValue("client_id", out var named) ? named : identities.Count == 1 ? identities.Single() : null;
            if (clientId == null || !identities.Contains(clientId))
            {
                throw BadRequest("invalid_request", "Identity not found");
            }

            return new Hashtable { ["access_token"] = AzureSqlEmulator.TokenFor(resource, clientId.ToLowerInvariant()), ["token_type"] = "Bearer" };
        }

        private static InvalidOperationException BadRequest(string error, string description) =>
            new InvalidOperationException($"Response status code does not indicate success: 400 (Bad Request). {{\"error\":\"{error}\",\"error_description\":\"{description}\"}}");
    }
}
