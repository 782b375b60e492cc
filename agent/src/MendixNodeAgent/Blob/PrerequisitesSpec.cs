using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace MendixNodeAgent.Blob
{
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

    /// <summary>
    /// The blob's <c>prerequisites</c> section; the same in every blob of one run. One of two modes, each a type:
    /// <see cref="InstallPrerequisites"/> (install what is missing) or <see cref="VerifyPrerequisites"/> (a prepared image).
    /// </summary>
    internal abstract class PrerequisitesSpec
    {
        public const string VersionPlaceholder = "{version}";

        protected PrerequisitesSpec(string serverDistributionUrl)
        {
            ServerDistributionUrl = serverDistributionUrl;
        }

        /// <summary>An https URL holding {version}, the MDA's RuntimeVersion.</summary>
        public string ServerDistributionUrl { get; }

        /// <summary>The mode's name as the blob spells it.</summary>
        public abstract string ModeName { get; }

        public string ServerDistributionFor(string runtimeVersion) => ServerDistributionUrl.Replace(VersionPlaceholder, runtimeVersion);

        /// <summary>The whole section as one text, to compare it across blobs (full) or show it (query strings hidden).</summary>
        public string Describe(bool full) =>
            $"mode={ModeName};installers={DescribeInstallers(full)};serverDistributionUrl={(full ? ServerDistributionUrl : MendixNodeAgent.Logging.UrlForLog.Of(ServerDistributionUrl))}";

        public override string ToString() => Describe(full: false);

        protected abstract string DescribeInstallers(bool full);
    }

    /// <summary>Mode install: whatever is missing is installed from these installers.</summary>
    internal sealed class InstallPrerequisites : PrerequisitesSpec
    {
        public InstallPrerequisites(InstallerSet installers, string serverDistributionUrl)
            : base(serverDistributionUrl)
        {
            Installers = installers;
        }

        public InstallerSet Installers { get; }

        public override string ModeName => "install";

        protected override string DescribeInstallers(bool full) => Installers.Describe(full);
    }

    /// <summary>Mode verify: a prepared image; nothing is installed, anything missing fails the run.</summary>
    internal sealed class VerifyPrerequisites : PrerequisitesSpec
    {
        public VerifyPrerequisites(string serverDistributionUrl)
            : base(serverDistributionUrl)
        {
        }

        public override string ModeName => "verify";

        protected override string DescribeInstallers(bool full) => "(none)";
    }
}
