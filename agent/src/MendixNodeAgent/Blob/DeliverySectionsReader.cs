using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;

namespace MendixNodeAgent.Blob
{
    /// <summary>
    /// Reads the sections schema version 2 added to deliver the app (docs/node-settings-blob.md,
    /// "Schema version 2: delivering the app"): the app's ports, host name and model, the node's
    /// prerequisites and the IIS site. Every failure names the file, the key, the value and what is allowed.
    /// </summary>
    internal static class DeliverySectionsReader
    {
        public const int LowestPort = 1024;
        public const int HighestPort = 65535;

        public static readonly string[] InstallerKeys = { "urlRewrite", "applicationRequestRouting", "serviceConsole", "java" };

        private static readonly Regex HostNamePattern = new Regex(
            @"^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$",
            RegexOptions.CultureInvariant);

        // Segments that never start with '.', so neither '.' nor '..' (nor a hidden name); no drive, no leading '/', no '\\'.
        private static readonly Regex ModelFilePattern = new Regex(@"^([A-Za-z0-9_-][A-Za-z0-9._-]{0,127}/){0,8}[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}\.mda$", RegexOptions.CultureInvariant);
        private static readonly Regex Sha256Pattern = new Regex(@"^[0-9A-Fa-f]{64}$", RegexOptions.CultureInvariant);
        private static readonly Regex JavaMajorPattern = new Regex(@"^[1-9][0-9]?$", RegexOptions.CultureInvariant);
        private static readonly Regex HealthPathPattern = new Regex(@"^/[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*$", RegexOptions.CultureInvariant);

        private static readonly Regex CertificateSecretPattern = new Regex(
            @"^https://[A-Za-z0-9-]{3,24}\.vault\.azure\.net/secrets/[A-Za-z0-9-]{1,127}$",
            RegexOptions.CultureInvariant);

        public static AppSpec ReadApp(BlobMapping app, Regex appNamePattern)
        {
            app.RequireKeys(new[] { "name", "runtimePort", "adminPort", "applicationRootUrl" }, new[] { "hostName", "model", "identityClientId" });
            var name = app.String("name");
            if (!appNamePattern.IsMatch(name))
            {
                throw app.Fail("name", $"has value '{name}'; allowed: 1-20 lower-case letters or digits (pattern ^[a-z0-9]{{1,20}}$)");
            }

            string? hostName = null;
            if (app.Contains("hostName"))
            {
                var value = app.String("hostName");
                if (!HostNamePattern.IsMatch(value))
                {
                    throw app.Fail("hostName", $"has value '{value}'; allowed: a DNS name (labels of letters, digits and hyphens, at most 63 characters each, separated by dots), or leave the key out");
                }

                hostName = value.ToLowerInvariant();
            }

            var runtimePort = Port(app, "runtimePort");
            var adminPort = Port(app, "adminPort");
            if (runtimePort == adminPort)
            {
                throw app.Fail("adminPort", $"has value {adminPort}, the same as app.runtimePort; the two ports must differ");
            }

            ModelSpec? model = null;
            if (app.Contains("model"))
            {
                var section = app.Mapping("model");
                section.RequireExactlyKeys("file", "sha256");
                var file = section.String("file");
                if (!ModelFilePattern.IsMatch(file))
                {
                    throw section.Fail("file", $"has value '{file}'; allowed: a relative path in the download folder, with forward slashes, "
                        + "such as models/app/app-0123456789ab.mda (segments of letters, digits, '.', '_', '-', none starting with '.'; no drive, no leading '/', no '\\'), ending in .mda");
                }

                model = new ModelSpec(file, Sha256(section, "sha256"));
            }

            string? identityClientId = null;
            if (app.Contains("identityClientId"))
            {
                var value = app.String("identityClientId");
                if (!NodeSettingsBlobReader.GuidPattern.IsMatch(value))
                {
                    throw app.Fail("identityClientId", $"has value '{value}'; allowed: the client id (a GUID) of the user-assigned managed identity the app's runtime signs in with, or leave the key out");
                }

                identityClientId = value.ToLowerInvariant();
            }

            return new AppSpec(name, hostName, runtimePort, adminPort, model, ApplicationRootUrl(app), identityClientId);
        }

        /// <summary>
        /// The app's public URL, written to Settings.yaml as the console's own Runtime.ApplicationRootUrl, which it passes to
        /// the runtime (Service Console 4.7.1 binaries, Settings.LoadSettings and RuntimeRunner.GetCommonRuntimeSettings):
        /// an absolute http or https URL with its path, such as https://domain.example.com/ (mendix/docs,
        /// refguide10/runtime/custom-settings/_index.md, "ApplicationRootUrl").
        /// </summary>
        private static string ApplicationRootUrl(BlobMapping app)
        {
            var value = app.String("applicationRootUrl");
            if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
                || url.Host.Length == 0 || !value.EndsWith("/", StringComparison.Ordinal) || url.Query.Length > 0 || url.Fragment.Length > 0)
            {
                throw app.Fail("applicationRootUrl", $"has value '{value}'; allowed: the app's public URL, http or https with a path ending in '/', such as https://app.example.com/");
            }

            return value;
        }

        public static PrerequisitesSpec ReadPrerequisites(BlobMapping prerequisites)
        {
            prerequisites.RequireKeys(new[] { "mode", "serverDistributionUrl" }, new[] { "installers" });
            var modeText = prerequisites.String("mode");
            if (modeText != "install" && modeText != "verify")
            {
                throw prerequisites.Fail("mode", $"has value '{modeText}'; allowed: install (install what is missing) or verify (a prepared image: only check)");
            }

            InstallerSet? installers = null;
            if (modeText == "install")
            {
                if (!prerequisites.Contains("installers"))
                {
                    throw prerequisites.Fail("installers", $"is missing; mode install needs every installer: {string.Join(", ", InstallerKeys)}");
                }

                installers = ReadInstallers(prerequisites.Mapping("installers"));
            }
            else if (prerequisites.Contains("installers"))
            {
                throw prerequisites.Fail("installers", "is given with mode verify; a prepared image installs nothing, so leave installers out (or use mode install)");
            }

            var distribution = HttpsUrl(prerequisites, "serverDistributionUrl");
            if (distribution.IndexOf(PrerequisitesSpec.VersionPlaceholder, StringComparison.Ordinal) < 0)
            {
                throw prerequisites.Fail("serverDistributionUrl", $"has value '{distribution}'; it must hold {PrerequisitesSpec.VersionPlaceholder}, which the agent replaces by the MDA's RuntimeVersion");
            }

            return installers != null ? new InstallPrerequisites(installers, distribution) : (PrerequisitesSpec)new VerifyPrerequisites(distribution);
        }

        public static SiteSpec ReadSite(BlobMapping site)
        {
            site.RequireExactlyKeys("healthPath", "certificate");
            var healthPath = site.String("healthPath");
            if (!HealthPathPattern.IsMatch(healthPath))
            {
                throw site.Fail("healthPath", $"has value '{healthPath}'; allowed: a path starting with '/', of letters, digits, '.', '_', '~', '-' and '/' between segments, such as /mendix-health");
            }

            var certificate = site.Mapping("certificate");
            certificate.RequireKeys(new[] { "source" }, new[] { "secretUri" });
            var source = certificate.String("source");
            switch (source)
            {
                case "selfSigned":
                    if (certificate.Contains("secretUri"))
                    {
                        throw certificate.Fail("secretUri", "is given with source selfSigned; only source keyVault reads a certificate from Key Vault");
                    }

                    return new SiteSpec(healthPath, CertificateSource.SelfSigned, null);
                case "keyVault":
                    if (!certificate.Contains("secretUri"))
                    {
                        throw certificate.Fail("secretUri", "is missing; source keyVault needs https://<vault>.vault.azure.net/secrets/<certificate name>");
                    }

                    var uri = certificate.String("secretUri");
                    if (!CertificateSecretPattern.IsMatch(uri))
                    {
                        throw certificate.Fail("secretUri", $"has value '{uri}'; allowed: https://<vault>.vault.azure.net/secrets/<certificate name> (vault 3-24 letters, digits or hyphens; name 1-127; no version: the latest is read)");
                    }

                    return new SiteSpec(healthPath, CertificateSource.KeyVault, uri);
                default:
                    throw certificate.Fail("source", $"has value '{source}'; allowed: selfSigned or keyVault");
            }
        }

        private static InstallerSet ReadInstallers(BlobMapping installers)
        {
            installers.RequireExactlyKeys(InstallerKeys);
            var java = installers.Mapping("java");
            var javaInstallers = new SortedDictionary<int, InstallerSpec>();
            foreach (var entry in java.Entries())
            {
                if (!JavaMajorPattern.IsMatch(entry.Key))
                {
                    throw java.Fail(entry.Key, "is not a Java major version; allowed keys: a Java major version such as \"21\" (quoted)");
                }

                javaInstallers.Add(int.Parse(entry.Key, CultureInfo.InvariantCulture), Installer(java, entry.Key));
            }

            if (javaInstallers.Count == 0)
            {
                throw installers.Fail("java", "is empty; give at least one Java installer, keyed by its major version (\"21\": { url: ..., sha256: ... })");
            }

            return new InstallerSet(
                Installer(installers, "urlRewrite"),
                Installer(installers, "applicationRequestRouting"),
                Installer(installers, "serviceConsole"),
                javaInstallers);
        }

        private static InstallerSpec Installer(BlobMapping parent, string key)
        {
            var installer = parent.Mapping(key);
            installer.RequireExactlyKeys("url", "sha256");
            return new InstallerSpec(HttpsUrl(installer, "url"), Sha256(installer, "sha256"));
        }

        private static int Port(BlobMapping app, string key)
        {
            var port = app.Integer(key);
            if (port < LowestPort || port > HighestPort)
            {
                throw app.Fail(key, $"has value {port}; allowed: an integer from {LowestPort} to {HighestPort}");
            }

            return (int)port;
        }

        private static string Sha256(BlobMapping mapping, string key)
        {
            var value = mapping.String(key);
            if (!Sha256Pattern.IsMatch(value))
            {
                throw mapping.Fail(key, $"has value '{value}'; allowed: a SHA-256 of 64 hexadecimal characters");
            }

            return value.ToLowerInvariant();
        }

        private static string HttpsUrl(BlobMapping mapping, string key)
        {
            var value = mapping.String(key);
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || uri.Host.Length == 0 || uri.UserInfo.Length > 0)
            {
                throw mapping.Fail(key, $"has value '{value}'; allowed: an absolute https:// URL (no user name or password in it)");
            }

            return value;
        }
    }
}
