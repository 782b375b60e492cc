using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MendixNodeAgent.Iis;
using MendixNodeAgent.Tests.Support;
using MendixNodeAgent.Windows;
using Xunit;

namespace MendixNodeAgent.Tests
{
    /// <summary>Each app's IIS site and web.config: created, already right, or drifted and repaired; and its certificate.</summary>
    public class SiteTests
    {
        private static AgentRun Run(TempAppsRoot root, TestNode node, params string[] blobs) =>
            AgentRun.Execute(AgentRun.OnSystem(root.Path, blobs), node.System("mxdev-1"));

        [Fact]
        public void A_missing_site_is_created_on_the_apps_web_folder_with_http_and_https_for_any_host_name()
        {
            using (var root = new TempAppsRoot())
            {
                var node = new TestNode();

                var run = Run(root, node, Fixtures.PathOf(Fixtures.Follower));

                Assert.Equal(0, run.ExitCode);
                var site = node.Iis.Sites["mendix-app"];
                Assert.Equal(Path.Combine(root.Path, "app", "Project", "Web"), site.PhysicalPath);
                Assert.Equal(new[] { "http *:80:", "https *:443:" }, site.Bindings.Select(b => b.ToString()));
                Assert.Equal(node.Certificates.SelfSigned.Values.Single(), site.Thumbprints["*:443:"]);
                Assert.Equal(WebConfig.Render("app", 8080, "/mendix-health", MendixNodeAgent.Rollout.DrainMarker.PathIn(root.Path)), File.ReadAllText(root.WebConfig()));
                Assert.Contains("IIS site 'mendix-app' does not exist; creating it", run.Output);
                Assert.Contains("IIS site 'mendix-app' created", run.Output);
                Assert.Contains("removed IIS's sample site 'Default Web Site'", run.Output);
            }
        }

        [Fact]
        public void A_site_that_is_already_right_is_left_alone()
        {
            using (var root = new TempAppsRoot())
            {
                var node = new TestNode();
                Run(root, node, Fixtures.PathOf(Fixtures.Follower));
                node.Iis.Applied.Clear();

                var run = Run(root, node, Fixtures.PathOf(Fixtures.Follower));

                Assert.Equal(0, run.ExitCode);
                Assert.Empty(node.Iis.Applied);
                Assert.Contains("IIS site 'mendix-app' already right", run.Output);
                Assert.Contains("reusing the node's self-signed certificate", run.Output);
                Assert.Contains("done: nothing changed", run.Output);
            }
        }

        public static IEnumerable<object[]> Drifts() => new[]
        {
            new object[] { "path", "physical path 'C:\\inetpub\\wwwroot' instead of" },
            new object[] { "extra-binding", "binding http *:8000: is not wanted" },
            new object[] { "missing-https", "binding https *:443: is missing" },
            new object[] { "certificate", "has certificate 'OLD' instead of" },
            new object[] { "stopped", "state 'Stopped' instead of Started" },
        };

        [Theory]
        [MemberData(nameof(Drifts))]
        public void A_drifted_site_is_repaired_and_the_drift_is_named(string drift, string named)
        {
            using (var root = new TempAppsRoot())
            {
                var node = new TestNode();
                Run(root, node, Fixtures.PathOf(Fixtures.Follower));
                var right = node.Iis.Sites["mendix-app"];
                var bindings = right.Bindings.ToList();
                var thumbprints = right.Thumbprints.ToDictionary(t => t.Key, t => t.Value);
                var path = right.PhysicalPath;
                var state = "Started";
                switch (drift)
                {
                    case "path": path = "C:\\inetpub\\wwwroot"; break;
                    case "extra-binding": bindings.Add(new SiteBinding("http", "*:8000:", 0)); break;
                    case "missing-https": bindings.RemoveAll(b => b.IsHttps); thumbprints.Clear(); break;
                    case "certificate": thumbprints["*:443:"] = "OLD"; break;
                    case "stopped": state = "Stopped"; break;
                }

                node.Iis.Sites["mendix-app"] = new SiteState(true, path, state, bindings, thumbprints);
                node.Iis.Applied.Clear();

                var run = Run(root, node, Fixtures.PathOf(Fixtures.Follower));

                Assert.Equal(0, run.ExitCode);
                Assert.Equal(new[] { "mendix-app" }, node.Iis.Applied);
                Assert.Contains("IIS site 'mendix-app' drifted (", run.Output);
                Assert.Contains(named, run.Output);
                Assert.Contains("IIS site 'mendix-app' repaired", run.Output);
                Assert.Empty(SiteReconciler.Drift(SitePlan.For(MendixNodeAgent.Blob.NodeSettingsBlobReader.Read(Fixtures.PathOf(Fixtures.Follower)), root.Path), node.Iis.Sites["mendix-app"], right.Thumbprints["*:443:"]));
            }
        }

        [Fact]
        public void A_changed_web_config_is_rewritten()
        {
            using (var root = new TempAppsRoot())
            {
                var node = new TestNode();
                Run(root, node, Fixtures.PathOf(Fixtures.Follower));
                File.WriteAllText(root.WebConfig(), "<configuration />");

                var run = Run(root, node, Fixtures.PathOf(Fixtures.Follower));

                Assert.Equal(0, run.ExitCode);
                Assert.Equal(WebConfig.Render("app", 8080, "/mendix-health", MendixNodeAgent.Rollout.DrainMarker.PathIn(root.Path)), File.ReadAllText(root.WebConfig()));
                Assert.Contains("web.config differed from what it must be; rewritten", run.Output);
            }
        }

        [Fact]
        public void An_app_with_a_host_name_is_bound_to_it_with_server_name_indication_on_https()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var node = new TestNode();
                var billing = Fixtures.WriteBlob(blobs.Path, Fixtures.AsOtherApp(Fixtures.Text(Fixtures.Follower), "billing"));

                var run = Run(root, node, Fixtures.PathOf(Fixtures.Follower), billing);

                Assert.Equal(0, run.ExitCode);
                var site = node.Iis.Sites["mendix-billing"];
                Assert.Equal(new[] { "http *:80:billing.example.com", "https *:443:billing.example.com (SNI)" }, site.Bindings.Select(b => b.ToString()));
                Assert.Equal(1, site.Bindings.Single(b => b.IsHttps).SslFlags);
                Assert.Contains("http://localhost:8081/{R:1}{R:2}", File.ReadAllText(root.WebConfig("billing")));
                Assert.Equal(new[] { "mxdev-1", "billing.example.com" }, node.Certificates.SelfSignedRequests.Single());
            }
        }

        [Fact]
        public void A_certificate_from_key_vault_is_read_as_its_latest_version_imported_once_and_never_shown()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            using (var standIn = new AzureStandIn())
            using (var client = standIn.Client())
            {
                var pfx = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes("a pfx with its private key"));
                standIn.Vault = request => request.Path.EndsWith("/secrets/tls-cert", StringComparison.Ordinal)
                    ? StandInAnswer.Secret(pfx)
                    : StandInAnswer.VaultError(404, "SecretNotFound");
                var blob = Fixtures.Variant(blobs.Path, Fixtures.Follower, "    source: selfSigned", "    source: keyVault\n    secretUri: https://mxdev-kv.vault.azure.net/secrets/tls-cert");
                var node = new TestNode();

                var first = AgentRun.Execute(AgentRun.OnSystem(root.Path, blob), node.System("mxdev-1", client));
                var second = AgentRun.Execute(AgentRun.OnSystem(root.Path, blob), node.System("mxdev-1", client));

                Assert.Equal(0, first.ExitCode);
                Assert.Equal(0, second.ExitCode);
                var thumbprint = FakeCertificates.ThumbprintOf(Convert.FromBase64String(pfx));
                Assert.Equal(new[] { thumbprint }, node.Certificates.Imported);
                Assert.Equal(thumbprint, node.Iis.Sites["mendix-app"].Thumbprints["*:443:"]);
                Assert.Empty(node.Certificates.SelfSigned);
                Assert.Contains("imported the certificate from https://mxdev-kv.vault.azure.net/secrets/tls-cert", first.Output);
                Assert.Contains("is already in Cert:\\LocalMachine\\My", second.Output);
                var secretRequest = standIn.Requests.First(r => r.IsSecretRequest);
                Assert.Equal("/mxdev-kv.vault.azure.net/secrets/tls-cert", secretRequest.Path);
                Assert.DoesNotContain(pfx, first.AllText + second.AllText + File.ReadAllText(root.LogFile));
            }
        }

        [Fact]
        public void A_key_vault_certificate_that_cannot_be_read_fails_with_exit_1_before_the_disk_is_touched()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            using (var standIn = new AzureStandIn())
            using (var client = standIn.Client())
            {
                var blob = Fixtures.Variant(blobs.Path, Fixtures.Follower, "    source: selfSigned", "    source: keyVault\n    secretUri: https://mxdev-kv.vault.azure.net/secrets/tls-cert");
                var node = new TestNode(FakeDataDisk.Raw());

                var run = AgentRun.Execute(AgentRun.OnSystem(root.Path, blob), node.System("mxdev-1", client));

                Assert.Equal(1, run.ExitCode);
                Assert.Contains("key 'site.certificate.secretUri' names certificate secret 'tls-cert' in Key Vault 'mxdev-kv', which could not be read: not found (HTTP 404", run.Output);
                Assert.Empty(node.Disk.InspectedLuns);
                Assert.True(root.IsEmpty);
            }
        }

        [Fact]
        public void The_sample_site_is_removed_once()
        {
            using (var root = new TempAppsRoot())
            {
                var node = new TestNode();

                Run(root, node, Fixtures.PathOf(Fixtures.Follower));
                var again = Run(root, node, Fixtures.PathOf(Fixtures.Follower));

                Assert.False(node.Iis.SampleSite);
                Assert.DoesNotContain("removed IIS's sample site", again.Output);
            }
        }
    }
}
