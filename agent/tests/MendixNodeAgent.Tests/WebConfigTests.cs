using System.IO;
using System.Linq;
using System.Xml.Linq;
using MendixNodeAgent.Iis;
using MendixNodeAgent.Tests.Support;
using Xunit;

namespace MendixNodeAgent.Tests
{
    /// <summary>The web.config in front of the runtime: a committed snapshot, and its meaning read back as XML.</summary>
    public class WebConfigTests
    {
        private const string SnapshotFixture = "expected-web.config";

        /// <summary>The drain marker of a node whose apps root is M:\Mendix\Apps, as the probed site's web.config names it.</summary>
        private const string ProbedSiteMarker = @"M:\Mendix\Apps\node-agent\drain";

        private static XElement Rules(string text) =>
            XDocument.Parse(text).Root!.Element("system.webServer")!.Element("rewrite")!.Element("rules")!;

        [Fact]
        public void The_rendered_web_config_is_exactly_the_committed_snapshot()
        {
            var rendered = WebConfig.Render("app", 8080, "/mendix-health", ProbedSiteMarker);

            Assert.Equal(Fixtures.Text(SnapshotFixture), rendered);
        }

        [Fact]
        public void The_forwarded_proto_rule_comes_first_then_the_drain_and_health_rules_then_the_guides_rules_in_its_order()
        {
            var names = Rules(WebConfig.Render("app", 8080, "/mendix-health", ProbedSiteMarker)).Elements("rule").Select(r => (string)r.Attribute("name")!).ToArray();

            Assert.Equal(
                new[] { "add x-forwarded-proto header", "drain", "health", "xas", "ws", "ws-doc", "file", "link", "rest", "rest-doc", "debugger", "oauth", "p", "manifest" },
                names);
        }

        [Fact]
        public void A_site_with_the_users_certificate_redirects_http_to_https_first_but_not_the_health_probe()
        {
            var webConfig = WebConfig.Render("app", 8080, "/mendix-health", ProbedSiteMarker, redirectToHttps: true);

            var names = Rules(webConfig).Elements("rule").Select(r => (string)r.Attribute("name")!).ToArray();
            var page = Request(webConfig, "link/orders", https: false);
            var onHttps = Request(webConfig, "link/orders", https: true);
            var probe = Request(webConfig, "mendix-health", https: false);

            Assert.Equal(new[] { "Redirect to HTTPS", "add x-forwarded-proto header", "drain", "health" }, names.Take(4));
            Assert.Equal(("Redirect", 301, "https://app.example.com/link/orders"), (page.Kind, page.Status, page.Url));
            Assert.Equal(("Pass", "http://localhost:8080/link/orders"), (onHttps.Kind, onHttps.Url));
            Assert.Equal(("Pass", "http://localhost:8080/"), (probe.Kind, probe.Url));
        }

        [Fact]
        public void The_site_plan_redirects_only_where_the_certificate_is_the_users_from_key_vault()
        {
            using (var blobs = new TempAppsRoot())
            {
                var selfSigned = MendixNodeAgent.Blob.NodeSettingsBlobReader.Read(Fixtures.PathOf(Fixtures.Follower));
                var keyVault = MendixNodeAgent.Blob.NodeSettingsBlobReader.Read(Fixtures.WriteBlob(blobs.Path, Fixtures.Text(Fixtures.Follower)
                    .Replace("    source: selfSigned", "    source: keyVault\n    secretUri: https://mxdev-kv.vault.azure.net/secrets/mendix-site")));

                Assert.DoesNotContain(Rules(SitePlan.For(selfSigned, @"M:\Mendix\Apps").WebConfig).Elements("rule"), r => (string)r.Attribute("name")! == "Redirect to HTTPS");
                Assert.Equal("Redirect to HTTPS", (string)Rules(SitePlan.For(keyVault, @"M:\Mendix\Apps").WebConfig).Elements("rule").First().Attribute("name")!);
            }
        }

        [Fact]
        public void A_site_with_a_self_signed_certificate_does_not_redirect()
        {
            var outcome = Request(WebConfig.Render("app", 8080, "/mendix-health", null), "link/orders", https: false);

            Assert.Equal(("Pass", "http://localhost:8080/link/orders"), (outcome.Kind, outcome.Url));
        }

        [Fact]
        public void Iis_passes_the_runtimes_error_answers_through_untouched()
        {
            var httpErrors = XDocument.Parse(WebConfig.Render("app", 8080, "/mendix-health", null)).Root!.Element("system.webServer")!.Element("httpErrors")!;

            Assert.Equal("PassThrough", (string)httpErrors.Attribute("existingResponse")!);
        }

        private static RewriteOutcome Request(string webConfig, string path, bool https) =>
            UrlRewriteEmulator.Evaluate(webConfig, path, _ => false, _ => false, new System.Collections.Generic.Dictionary<string, string>
            {
                ["HTTPS"] = https ? "on" : "off",
                ["HTTP_HOST"] = "app.example.com",
                ["URL"] = "/" + path,
            });

        [Fact]
        public void A_site_the_load_balancer_does_not_probe_has_no_drain_rule()
        {
            var names = Rules(WebConfig.Render("crm", 8081, "/mendix-health", null)).Elements("rule").Select(r => (string)r.Attribute("name")!).ToArray();

            Assert.Equal(new[] { "add x-forwarded-proto header", "health" }, names.Take(2).ToArray());
            Assert.DoesNotContain("drain", names);
        }

        [Fact]
        public void The_forwarded_proto_rule_sets_https_and_lets_the_other_rules_run()
        {
            var rule = Rules(WebConfig.Render("app", 8080, "/mendix-health", null)).Elements("rule").First();

            Assert.Equal(".*", (string)rule.Element("match")!.Attribute("url")!);
            var set = Assert.Single(rule.Element("serverVariables")!.Elements("set"));
            Assert.Equal("HTTP_X_FORWARDED_PROTO", (string)set.Attribute("name")!);
            Assert.Equal("https", (string)set.Attribute("value")!);
            Assert.Equal("None", (string)rule.Element("action")!.Attribute("type")!);
            Assert.Null(rule.Attribute("stopProcessing"));
        }

        [Theory]
        [InlineData(8080)]
        [InlineData(8123)]
        public void Every_mendix_rule_rewrites_to_the_apps_runtime_port_with_both_captures_and_stops(int port)
        {
            var rules = Rules(WebConfig.Render("app", port, "/mendix-health", null)).Elements("rule").Skip(2).ToList();

            Assert.Equal(11, rules.Count);
            foreach (var rule in rules)
            {
                var action = rule.Element("action")!;
                Assert.Equal("Rewrite", (string)action.Attribute("type")!);
                Assert.Equal($"http://localhost:{port}/{{R:1}}{{R:2}}", (string)action.Attribute("url")!);
                Assert.Equal("true", (string)rule.Attribute("stopProcessing")!);
                Assert.Null(action.Attribute("appendQueryString"));
            }

            var patterns = rules.ToDictionary(r => (string)r.Attribute("name")!, r => (string)r.Element("match")!.Attribute("url")!);
            Assert.Equal("^(xas/)(.*)", patterns["xas"]);
            Assert.Equal("^(file)(.*)", patterns["file"]);
            Assert.Equal("^(manifest.webmanifest)(.*)", patterns["manifest"]);
        }

        [Theory]
        [InlineData("/mendix-health", "^mendix-health$")]
        [InlineData("/probe/v1.health", "^probe/v1\\.health$")]
        public void The_health_rule_proxies_the_health_path_to_the_runtimes_root(string healthPath, string pattern)
        {
            var rule = Rules(WebConfig.Render("app", 8085, healthPath, null)).Elements("rule").Single(r => (string)r.Attribute("name")! == "health");

            Assert.Equal(pattern, (string)rule.Element("match")!.Attribute("url")!);
            Assert.Equal("http://localhost:8085/", (string)rule.Element("action")!.Attribute("url")!);
            Assert.Equal("false", (string)rule.Element("action")!.Attribute("appendQueryString")!);
            Assert.Equal("true", (string)rule.Attribute("stopProcessing")!);
            Assert.Matches(pattern, healthPath.TrimStart('/'));
        }

        [Fact]
        public void The_mime_types_are_mapped_after_a_remove_and_the_client_cache_is_off()
        {
            var staticContent = XDocument.Parse(WebConfig.Render("app", 8080, "/mendix-health", null)).Root!.Element("system.webServer")!.Element("staticContent")!;

            var maps = staticContent.Elements("mimeMap").ToDictionary(m => (string)m.Attribute("fileExtension")!, m => (string)m.Attribute("mimeType")!);
            Assert.Equal("text/xml", maps[".mxf"]);
            Assert.Equal("application/json", maps[".json"]);
            foreach (var extension in maps.Keys)
            {
                var remove = staticContent.Elements("remove").Single(r => (string)r.Attribute("fileExtension")! == extension);
                Assert.True(remove.IsBefore(staticContent.Elements("mimeMap").Single(m => (string)m.Attribute("fileExtension")! == extension)));
            }

            Assert.Equal("DisableCache", (string)staticContent.Element("clientCache")!.Attribute("cacheControlMode")!);
        }

        [Fact]
        public void The_snapshot_file_is_committed_next_to_the_blob_examples()
        {
            Assert.True(File.Exists(Fixtures.PathOf(SnapshotFixture)));
        }
    }
}
