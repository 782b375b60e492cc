using System;
using System.Linq;
using MendixNodeAgent.Blob;

namespace MendixNodeAgent.Storage
{
    /// <summary>An app's files container as its runtime signs in to it with its own identity.</summary>
    internal sealed class FilesTarget
    {
        public const string BlobEndpointSetting = "com.mendix.storage.azure.BlobEndpoint";
        public const string ContainerSetting = "com.mendix.storage.azure.Container";

        internal FilesTarget(Uri containerAddress, string container, string identityClientId)
        {
            ContainerAddress = containerAddress;
            Container = container;
            IdentityClientId = identityClientId;
        }

        /// <summary>https://&lt;account&gt;.blob.core.windows.net/&lt;container&gt;</summary>
        public Uri ContainerAddress { get; }

        public string Container { get; }

        public string IdentityClientId { get; }

        public string Describe() => $"files container {ContainerAddress} as managed identity {IdentityClientId}";

        /// <summary>The app's container, when the app signs in to it with its identity; null otherwise.</summary>
        public static FilesTarget? Of(NodeSettings blob)
        {
            var clientId = blob.App.IdentityClientId;
            string? Setting(string key) => blob.CustomSettings.Where(s => s.Key == key).Select(s => s.Value).FirstOrDefault();
            var endpoint = Setting(BlobEndpointSetting);
            var container = Setting(ContainerSetting);
            if (clientId == null || endpoint == null || container == null
                || !Uri.TryCreate(endpoint.TrimEnd('/') + "/" + container, UriKind.Absolute, out var address) || address.Scheme != Uri.UriSchemeHttps)
            {
                return null;
            }

            return new FilesTarget(address, container, clientId);
        }
    }

    /// <summary>Tries one request to an app's files container as its identity.</summary>
    internal interface IFilesProbe
    {
        /// <exception cref="FilesUnavailableException">the container did not let the identity in; the reason says why.</exception>
        void SignIn(FilesTarget target, TimeSpan timeout);
    }

    internal sealed class FilesUnavailableException : Exception
    {
        public FilesUnavailableException(string reason) : base(reason) { }
    }
}
