using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace MendixNodeAgent.Blob
{
    internal enum PrerequisiteMode
    {
        /// <summary>Install what is missing, from the blob's installers.</summary>
        Install,

        /// <summary>A prepared image: install nothing, only check that everything is there.</summary>
        Verify,
    }

    /// <summary>One installer: an https URL and the SHA-256 the downloaded file must have.</summary>
    internal sealed class InstallerSpec
    {
        public InstallerSpec(string url, string sha256)
        {
            Url = url;
            Sha256 = sha256;
        }

        public string Url { get; }

        /// <summary>64 lower-case hexadecimal characters.</summary>
        public string Sha256 { get; }

        /// <summary>The installer as text; the URL's query string hidden unless <paramref name="full"/>.</summary>
        public string Describe(bool full) => (full ? Url : MendixNodeAgent.Logging.UrlForLog.Of(Url)) + " sha256 " + Sha256;

        public override string ToString() => Describe(full: false);
    }

    /// <summary>The installers of <c>prerequisites.installers</c> (install mode only).</summary>
    internal sealed class InstallerSet
    {
        public InstallerSet(InstallerSpec urlRewrite, InstallerSpec applicationRequestRouting, InstallerSpec serviceConsole, IReadOnlyDictionary<int, InstallerSpec> java)
        {
            UrlRewrite = urlRewrite;
            ApplicationRequestRouting = applicationRequestRouting;
            ServiceConsole = serviceConsole;
            Java = java;
        }

        public InstallerSpec UrlRewrite { get; }

        public InstallerSpec ApplicationRequestRouting { get; }

        public InstallerSpec ServiceConsole { get; }

        /// <summary>Java major version to its installer.</summary>
        public IReadOnlyDictionary<int, InstallerSpec> Java { get; }

        public string Describe(bool full) =>
            $"urlRewrite={UrlRewrite.Describe(full)};applicationRequestRouting={ApplicationRequestRouting.Describe(full)};serviceConsole={ServiceConsole.Describe(full)};java="
            + string.Join(",", Java.OrderBy(j => j.Key).Select(j => j.Key.ToString(CultureInfo.InvariantCulture) + ":" + j.Value.Describe(full)));

        public override string ToString() => Describe(full: false);
    }

    /// <summary>The blob's <c>prerequisites</c> section; the same in every blob of one run.</summary>
    internal sealed class PrerequisitesSpec
    {
        public const string VersionPlaceholder = "{version}";

        public PrerequisitesSpec(PrerequisiteMode mode, InstallerSet? installers, string serverDistributionUrl)
        {
            Mode = mode;
            Installers = installers;
            ServerDistributionUrl = serverDistributionUrl;
        }

        public PrerequisiteMode Mode { get; }

        /// <summary>Present exactly in install mode.</summary>
        public InstallerSet? Installers { get; }

        /// <summary>An https URL holding {version}, the MDA's RuntimeVersion.</summary>
        public string ServerDistributionUrl { get; }

        public string ServerDistributionFor(string runtimeVersion) => ServerDistributionUrl.Replace(VersionPlaceholder, runtimeVersion);

        /// <summary>The whole section as one text, to compare it across blobs (full) or show it (query strings hidden).</summary>
        public string Describe(bool full) =>
            $"mode={Mode};installers={Installers?.Describe(full) ?? "(none)"};serverDistributionUrl={(full ? ServerDistributionUrl : MendixNodeAgent.Logging.UrlForLog.Of(ServerDistributionUrl))}";

        public override string ToString() => Describe(full: false);
    }
}
