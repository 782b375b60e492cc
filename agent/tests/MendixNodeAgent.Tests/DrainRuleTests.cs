using System.IO;
using MendixNodeAgent.Iis;
using MendixNodeAgent.Tests.Support;
using Xunit;

namespace MendixNodeAgent.Tests
{
    /// <summary>The rendered web.config's drain rule, evaluated as URL Rewrite evaluates it (<see cref="UrlRewriteEmulator"/>).</summary>
    public class DrainRuleTests
    {
        private static RewriteOutcome Request(string webConfig, string path, bool markerExists, string marker) =>
            UrlRewriteEmulator.Evaluate(webConfig, path, file => markerExists && file == marker, _ => false);

        [Fact]
        public void While_the_marker_exists_the_health_path_answers_503_and_nothing_else_changes()
        {
            const string marker = @"M:\Mendix\Apps\node-agent\drain";
            var webConfig = WebConfig.Render("app", 8080, "/mendix-health", marker);

            var drained = Request(webConfig, "mendix-health", true, marker);
            var serving = Request(webConfig, "mendix-health", false, marker);
            var page = Request(webConfig, "xas/", true, marker);
            var upperCase = Request(webConfig, "MENDIX-HEALTH", true, marker);

            Assert.Equal(("CustomResponse", 503, "Draining", "drain"), (drained.Kind, drained.Status, drained.Reason, drained.Rule));
            Assert.Equal(("Pass", "http://localhost:8080/", "health"), (serving.Kind, serving.Url, serving.Rule));
            Assert.Equal(("Pass", "http://localhost:8080/xas/", "xas"), (page.Kind, page.Url, page.Rule));
            Assert.Equal(("CustomResponse", 503), (upperCase.Kind, upperCase.Status));
        }

        [Fact]
        public void A_site_without_the_drain_rule_ignores_the_marker()
        {
            const string marker = @"M:\Mendix\Apps\node-agent\drain";
            var webConfig = WebConfig.Render("crm", 8081, "/mendix-health", null);

            var outcome = Request(webConfig, "mendix-health", true, marker);

            Assert.Equal(("Pass", "http://localhost:8081/", "health"), (outcome.Kind, outcome.Url, outcome.Rule));
        }

        [Fact]
        public void The_emulator_goes_on_after_a_rule_without_stopProcessing_and_stops_after_one_with_it()
        {
            const string webConfig = "<configuration><system.webServer><rewrite><rules>"
                + "<rule name=\"a\"><match url=\"^(x)$\" /><action type=\"Rewrite\" url=\"y\" /></rule>"
                + "<rule name=\"b\" stopProcessing=\"true\"><match url=\"^y$\" /><conditions logicalGrouping=\"MatchAny\"><add input=\"/no/such\" matchType=\"IsFile\" /><add input=\"abc\" pattern=\"^A\" /></conditions><action type=\"Rewrite\" url=\"http://localhost:1/{R:0}\" /></rule>"
                + "<rule name=\"c\"><match url=\".*\" /><action type=\"CustomResponse\" statusCode=\"500\" /></rule>"
                + "</rules></rewrite></system.webServer></configuration>";

            var outcome = UrlRewriteEmulator.Evaluate(webConfig, "x", File.Exists, Directory.Exists);

            Assert.Equal(("Pass", "http://localhost:1/y", "b"), (outcome.Kind, outcome.Url, outcome.Rule));
        }
    }
}
