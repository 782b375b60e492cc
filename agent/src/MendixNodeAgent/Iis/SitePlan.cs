using System.Collections.Generic;
using MendixNodeAgent.Blob;
using MendixNodeAgent.Settings;

namespace MendixNodeAgent.Iis
{
    /// <summary>What an app's IIS site must be. Pure: from the blob and the apps root.</summary>
    internal sealed class SitePlan
    {
        public const string SiteNamePrefix = "mendix-";

        private SitePlan(string appName, string siteName, string physicalPath, IReadOnlyList<SiteBinding> bindings, string webConfig)
        {
            AppName = appName;
            SiteName = siteName;
            PhysicalPath = physicalPath;
            Bindings = bindings;
            WebConfig = webConfig;
        }

        public string AppName { get; }

        public string SiteName { get; }

        /// <summary>The app's Project\Web folder.</summary>
        public string PhysicalPath { get; }

        /// <summary>http on 80 and https on 443; with the app's host name (https then with SNI), or for any host name.</summary>
        public IReadOnlyList<SiteBinding> Bindings { get; }

        public string WebConfig { get; }

        public static SitePlan For(NodeSettings blob, string appsRoot)
        {
            var host = blob.App.HostName ?? string.Empty;
            var bindings = new[]
            {
                new SiteBinding("http", "*:80:" + host, 0),
                new SiteBinding("https", "*:443:" + host, host.Length == 0 ? 0 : 1),
            };
            return new SitePlan(
                blob.AppName,
                SiteNamePrefix + blob.AppName,
                AppFolders.WebFolder(appsRoot, blob.AppName),
                bindings,
                Iis.WebConfig.Render(blob.AppName, blob.App.RuntimePort, blob.Site.HealthPath, host.Length == 0 ? Rollout.DrainMarker.PathIn(appsRoot) : null,
                    redirectToHttps: blob.Site.CertificateSource == CertificateSource.KeyVault));
        }
    }
}
