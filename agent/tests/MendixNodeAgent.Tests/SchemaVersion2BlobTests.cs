using System.Collections.Generic;
using System.IO;
using MendixNodeAgent.Blob;
using MendixNodeAgent.Tests.Support;
using Xunit;

namespace MendixNodeAgent.Tests
{
    /// <summary>The rules schema version 2 adds: every breach exits 2, names file, key and rule, and writes nothing.</summary>
    public class SchemaVersion2BlobTests
    {
        private const string Installers = "  installers:\n    urlRewrite:\n";

        public static IEnumerable<object[]> BadVariants() => new[]
        {
            new object[] { "  runtimePort: 8080", "  runtimePort: 80", "app.runtimePort", "from 1024 to 65535" },
            new object[] { "  runtimePort: 8080", "  runtimePort: 70000", "app.runtimePort", "from 1024 to 65535" },
            new object[] { "  runtimePort: 8080", "  runtimePort: '8080'", "app.runtimePort", "must be an integer" },
            new object[] { "  adminPort: 8090", "  adminPort: 8080", "app.adminPort", "the same as app.runtimePort" },
            new object[] { "  adminPort: 8090\n", "", "app.adminPort", "is missing" },
            new object[] { "  adminPort: 8090\n", "  adminPort: 8090\n  hostName: not_a_host\n", "app.hostName", "a DNS name" },
            new object[] { "  adminPort: 8090\n", "  adminPort: 8090\n  hostName: -app.example.com\n", "app.hostName", "a DNS name" },
            new object[] { "  adminPort: 8090\n", "  adminPort: 8090\n  model:\n    file: ..\\app.mda\n    sha256: " + Sha('a') + "\n", "app.model.file", "a relative path in the download folder" },
            new object[] { "  adminPort: 8090\n", "  adminPort: 8090\n  model:\n    file: app.zip\n    sha256: " + Sha('a') + "\n", "app.model.file", "ending in .mda" },
            new object[] { "  adminPort: 8090\n", "  adminPort: 8090\n  model:\n    file: app.mda\n    sha256: abc\n", "app.model.sha256", "64 hexadecimal" },
            new object[] { "  adminPort: 8090\n", "  adminPort: 8090\n  zone: 1\n", "app.zone", "is not a known key" },
            new object[] { "  applicationRootUrl: http://mxdev-app.westeurope.cloudapp.azure.com/\n", "", "app.applicationRootUrl", "is missing" },
            new object[] { "  applicationRootUrl: http://mxdev-app.westeurope.cloudapp.azure.com/", "  applicationRootUrl: ftp://mxdev-app.example.com/", "app.applicationRootUrl", "the app's public URL, http or https" },
            new object[] { "  applicationRootUrl: http://mxdev-app.westeurope.cloudapp.azure.com/", "  applicationRootUrl: https://mxdev-app.example.com", "app.applicationRootUrl", "a path ending in '/'" },
            new object[] { "  mode: install", "  mode: auto", "prerequisites.mode", "allowed: install" },
            new object[] { Installers, "  installers:\n    extra:\n      url: https://x.example.com/a.msi\n      sha256: " + Sha('b') + "\n    urlRewrite:\n", "prerequisites.installers.extra", "is not a known key" },
            new object[] { "      url: https://installers.example.com/iis/rewrite_amd64_en-US.msi", "      url: http://installers.example.com/iis/rewrite_amd64_en-US.msi", "prerequisites.installers.urlRewrite.url", "an absolute https:// URL" },
            new object[] { "      url: https://installers.example.com/iis/rewrite_amd64_en-US.msi", "      url: https://user:pass@installers.example.com/r.msi", "prerequisites.installers.urlRewrite.url", "no user name or password" },
            new object[] { "      sha256: cc9e9cccfb2aadb2628786b6a0e65fe60df97170cca4415010dd23c9474c2769", "      sha256: zz9e9cccfb2aadb2628786b6a0e65fe60df97170cca4415010dd23c9474c2769", "prerequisites.installers.urlRewrite.sha256", "64 hexadecimal" },
            new object[] { "      \"21\":", "      latest:", "prerequisites.installers.java.latest", "not a Java major version" },
            new object[] { "    serviceConsole:\n      url: https://installers.example.com/mendix/Mendix-Service-Console-4.7.4.msi\n      sha256: 61571c0a8886041d9bd6c02bc326007221d13048a957c5419ba7e6779632b1b7\n", "", "prerequisites.installers.serviceConsole", "is missing" },
            new object[] { "  mode: install", "  mode: verify", "prerequisites.installers", "is given with mode verify" },
            new object[] { "  serverDistributionUrl: https://cdn.mendix.com/runtime/mendix-{version}.tar.gz", "  serverDistributionUrl: https://cdn.mendix.com/runtime/mendix.tar.gz", "prerequisites.serverDistributionUrl", "must hold {version}" },
            new object[] { "  serverDistributionUrl: https://cdn.mendix.com/runtime/mendix-{version}.tar.gz", "  serverDistributionUrl: http://cdn.mendix.com/runtime/mendix-{version}.tar.gz", "prerequisites.serverDistributionUrl", "an absolute https:// URL" },
            new object[] { "  healthPath: /mendix-health", "  healthPath: mendix-health", "site.healthPath", "a path starting with '/'" },
            new object[] { "  healthPath: /mendix-health", "  healthPath: /", "site.healthPath", "a path starting with '/'" },
            new object[] { "  healthPath: /mendix-health", "  healthPath: /health?x=1", "site.healthPath", "a path starting with '/'" },
            new object[] { "    source: selfSigned", "    source: acme", "site.certificate.source", "allowed: selfSigned or keyVault" },
            new object[] { "    source: selfSigned", "    source: keyVault", "site.certificate.secretUri", "is missing" },
            new object[] { "    source: selfSigned", "    source: selfSigned\n    secretUri: https://mxdev-kv.vault.azure.net/secrets/tls", "site.certificate.secretUri", "only source keyVault" },
            new object[] { "    source: selfSigned", "    source: keyVault\n    secretUri: https://mxdev-kv.vault.azure.net/secrets/tls/0123456789abcdef0123456789abcdef", "site.certificate.secretUri", "no version" },
        };

        [Theory]
        [MemberData(nameof(BadVariants))]
        public void A_bad_schema_2_blob_exits_2_naming_file_key_and_rule_and_writes_nothing(string from, string to, string key, string rule)
            => RefusedBlobRun.AssertFollowerVariantRefused(from, to, key, rule);

        [Fact]
        public void A_blob_without_the_site_section_exits_2()
            => RefusedBlobRun.AssertFollowerWithoutSectionRefused("site");

        [Fact]
        public void Verify_mode_without_installers_is_valid()
        {
            using (var blobs = new TempAppsRoot())
            {
                var text = Fixtures.Text(Fixtures.Follower);
                var start = text.IndexOf(Installers, System.StringComparison.Ordinal);
                var end = text.IndexOf("  serverDistributionUrl:", System.StringComparison.Ordinal);
                var verify = text.Substring(0, start) + text.Substring(end);
                var blob = Fixtures.WriteBlob(blobs.Path, verify.Replace("  mode: install", "  mode: verify"));

                var settings = NodeSettingsBlobReader.Read(blob);

                Assert.IsType<VerifyPrerequisites>(settings.Prerequisites);
            }
        }

        [Fact]
        public void The_example_blob_reads_with_every_schema_2_key()
        {
            var settings = NodeSettingsBlobReader.Read(Fixtures.PathOf(Fixtures.Follower));

            Assert.Equal(8080, settings.App.RuntimePort);
            Assert.Equal(8090, settings.App.AdminPort);
            Assert.Null(settings.App.HostName);
            Assert.Null(settings.App.Model);
            var install = Assert.IsType<InstallPrerequisites>(settings.Prerequisites);
            Assert.Equal(new[] { 21 }, install.Installers.Java.Keys);
            Assert.Equal("https://installers.example.com/iis/rewrite_amd64_en-US.msi", install.Installers.UrlRewrite.Url);
            Assert.Equal("https://cdn.mendix.com/runtime/mendix-10.12.4.41735.tar.gz", settings.Prerequisites.ServerDistributionFor("10.12.4.41735"));
            Assert.Equal("/mendix-health", settings.Site.HealthPath);
            Assert.Equal(CertificateSource.SelfSigned, settings.Site.CertificateSource);
        }

        [Fact]
        public void Host_names_and_hashes_are_read_in_lower_case()
        {
            using (var blobs = new TempAppsRoot())
            {
                var blob = Fixtures.Variant(blobs.Path, Fixtures.Follower, "  adminPort: 8090\n", "  adminPort: 8090\n  hostName: App.Example.COM\n  model:\n    file: app.mda\n    sha256: " + Sha('A') + "\n");

                var settings = NodeSettingsBlobReader.Read(blob);

                Assert.Equal("app.example.com", settings.App.HostName);
                Assert.Equal(Sha('a'), settings.App.Model!.Sha256);
            }
        }

        [Fact]
        public void Two_apps_on_one_port_exit_2()
        {
            using (var refused = new RefusedBlobRun())
            {
                var second = refused.Write(Fixtures.AsOtherApp(Fixtures.Text(Fixtures.Follower), "billing", runtimePort: 8090, adminPort: 8091));

                var run = refused.Apply(Fixtures.PathOf(Fixtures.Follower), second);

                Assert.Contains($"{second}: key 'app.runtimePort' has value 8090, which app.adminPort of {Fixtures.PathOf(Fixtures.Follower)} (app 'app') already uses", run.Output);
            }
        }

        [Fact]
        public void Two_apps_without_a_host_name_exit_2()
        {
            using (var refused = new RefusedBlobRun())
            {
                var second = refused.Write(Fixtures.AsOtherApp(Fixtures.Text(Fixtures.Follower), "billing").Replace("  hostName: billing.example.com\n", string.Empty));

                var run = refused.Apply(Fixtures.PathOf(Fixtures.Follower), second);

                Assert.Contains($"{second}: key 'app.hostName' is missing", run.Output);
                Assert.Contains("exactly one app of a node answers any host name", run.Output);
            }
        }

        [Fact]
        public void Every_app_with_a_host_name_exits_2_because_no_site_would_answer_the_probes()
        {
            using (var refused = new RefusedBlobRun())
            {
                var only = refused.Variant(Fixtures.Follower, "  adminPort: 8090\n", "  adminPort: 8090\n  hostName: app.example.com\n");

                var run = refused.Apply(only);

                Assert.Contains("key 'app.hostName' is given for every app of node node-1", run.Output);
                Assert.Contains("health probes carry no host name", run.Output);
            }
        }

        [Fact]
        public void The_same_host_name_twice_exits_2()
        {
            using (var refused = new RefusedBlobRun())
            {
                var second = refused.Write(Fixtures.AsOtherApp(Fixtures.Text(Fixtures.Follower), "billing"));
                var third = refused.Write(Fixtures.AsOtherApp(Fixtures.Text(Fixtures.Follower), "reports", 8082, 8092).Replace("reports.example.com", "Billing.example.com"));

                var run = refused.Apply(Fixtures.PathOf(Fixtures.Follower), second, third);

                Assert.Contains($"{third}: key 'app.hostName' has value 'billing.example.com', which {second} (app 'billing') already uses", run.Output);
            }
        }

        [Theory]
        [InlineData("prerequisites", "      \"21\":", "      \"17\":")]
        [InlineData("prerequisites", "  serverDistributionUrl: https://cdn.mendix.com/", "  serverDistributionUrl: https://mirror.example.com/")]
        [InlineData("site", "  healthPath: /mendix-health", "  healthPath: /other-health")]
        [InlineData("site", "    source: selfSigned", "    source: keyVault\n    secretUri: https://mxdev-kv.vault.azure.net/secrets/tls")]
        public void Blobs_of_one_node_with_different_prerequisites_or_site_sections_exit_2(string section, string from, string to)
        {
            using (var refused = new RefusedBlobRun())
            {
                var second = refused.Write(Fixtures.AsOtherApp(Fixtures.Text(Fixtures.Follower), "billing").Replace(from, to));

                var run = refused.Apply(Fixtures.PathOf(Fixtures.Follower), second);

                Assert.Contains($"{second}: key '{section}' differs from {Fixtures.PathOf(Fixtures.Follower)}", run.Output);
                Assert.Contains($"every blob of one node must carry the same {section} section", run.Output);
            }
        }

        private static string Sha(char c) => new string(c, 64);
    }
}
