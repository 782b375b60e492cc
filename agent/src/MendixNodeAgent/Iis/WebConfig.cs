using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace MendixNodeAgent.Iis
{
    /// <summary>
    /// Renders an app's web.config, the one place that decides what IIS does in front of the runtime. Pure.
    ///
    /// Everything follows the Mendix guide (mendix/docs, content/en/docs/deployment/on-premises-design/ms-windows/_index.md,
    /// "Configuring the Microsoft Internet Information Services Server"):
    /// - first the rule "add x-forwarded-proto header" (match .*, server variable HTTP_X_FORWARDED_PROTO = https,
    ///   action None, processing continues), which "has to be the first rule"; additional rules come after it;
    /// - the reverse proxy inbound rules of the guide's table, in its order (xas, ws, ws-doc, file, link, rest,
    ///   rest-doc, debugger, oauth, p, manifest), each rewriting to http://localhost:&lt;runtime port&gt;/{R:1}{R:2}
    ///   with the query string appended and further processing stopped;
    /// - the MIME types .mxf (text/xml) and .json (application/json), each after a remove, so the file is valid
    ///   whether or not the server already maps the extension ("Configuring the MIME Types");
    /// - the client cache off (clientCache cacheControlMode DisableCache, "Disabling the Client Cache");
    /// - IIS's own error pages never replace the runtime's answers (httpErrors existingResponse PassThrough: "leaves the
    ///   response untouched if an existing response exists", Microsoft Learn, IIS configuration reference, HTTP Errors
    ///   &lt;httpErrors&gt;): a failed sign-in is a 4xx whose JSON body the client shows ("Mendix cannot work if IIS is hiding
    ///   detailed error messages", mendix/docs, deployment/on-premises-design/ms-windows/troubleshooting-iis.md).
    /// Added here: the load balancer's health path, right after the header rule, rewritten to the runtime's root,
    /// http://localhost:&lt;runtime port&gt;/. The runtime serves the app's start page there itself, once it has started
    /// (Mendix's Cloud Foundry buildpack proxies every request for "/" to the runtime port,
    /// mendix/cf-mendix-buildpack etc/nginx/conf/nginx.conf.j2); while the runtime is down nothing listens on its
    /// port and ARR answers 502, so the probe fails exactly when the runtime cannot serve.
    /// On the site the load balancer probes (the app without a host name), the drain rule comes between the two: while
    /// the node's drain marker exists the health path answers 503 and nothing else changes, so the load balancer takes
    /// the node out of its pool while requests in flight are still served. It follows the URL Rewrite Module
    /// Configuration Reference (MicrosoftDocs/iis-docs, iis/extensions/url-rewrite-module/url-rewrite-module-configuration-reference.md):
    /// rules are evaluated in order; a condition's input "is an arbitrary string", and matchType IsFile tells "whether the
    /// input string contains a physical path to a file on a file system" (distributed rules only, as these are); a
    /// CustomResponse action answers with statusCode, subStatusCode, statusReason and statusDescription and "implies that
    /// no subsequent rules are evaluated".
    /// </summary>
    internal static class WebConfig
    {
        public const string RedirectToHttpsRuleName = "Redirect to HTTPS";
        public const string ForwardedProtoRuleName = "add x-forwarded-proto header";
        public const string HealthRuleName = "health";
        public const string DrainRuleName = "drain";
        public const int DrainStatus = 503;

        /// <summary>The guide's rules: name and pattern, in the guide's order.</summary>
        public static readonly IReadOnlyList<KeyValuePair<string, string>> MendixRules = new[]
        {
            Rule("xas", "^(xas/)(.*)"),
            Rule("ws", "^(ws/)(.*)"),
            Rule("ws-doc", "^(ws-doc/)(.*)"),
            Rule("file", "^(file)(.*)"),
            Rule("link", "^(link/)(.*)"),
            Rule("rest", "^(rest/)(.*)"),
            Rule("rest-doc", "^(rest-doc/)(.*)"),
            Rule("debugger", "^(debugger/)(.*)"),
            Rule("oauth", "^(oauth/)(.*)"),
            Rule("p", "^(p/)(.*)"),
            Rule("manifest", "^(manifest.webmanifest)(.*)"),
        };

        /// <param name="drainMarkerPath">the node's drain marker, on the site the load balancer probes; null on every other site.</param>
        /// <param name="redirectToHttps">
        /// whether the site carries the user's certificate: then the guide's rule "Redirect to HTTPS" comes first ("If HTTPS
        /// was configured ... it is recommended to redirect all unencrypted HTTP traffic to HTTPS": {HTTPS} off, Redirect
        /// https://{HTTP_HOST}/{R:1}, query string appended, Permanent (301), moved "even above the previously created add
        /// x-forwarded-proto header rule"; guide, "Redirect HTTP to HTTPS (optional)"), except for the health path, which
        /// the load balancer's HTTP probe asks on port 80 and which must answer 200. A self-signed certificate makes every
        /// browser warn, so a site with one keeps serving http.
        /// </param>
        public static string Render(string appName, int runtimePort, string healthPath, string? drainMarkerPath, bool redirectToHttps = false)
        {
            var runtime = "http://localhost:" + runtimePort.ToString(CultureInfo.InvariantCulture) + "/";
            var rules = new XElement("rules");
            if (redirectToHttps)
            {
                rules.Add(new XElement("rule",
                    new XAttribute("name", RedirectToHttpsRuleName),
                    new XElement("match", new XAttribute("url", "(.*)")),
                    new XElement("conditions",
                        new XAttribute("logicalGrouping", "MatchAll"),
                        new XElement("add", new XAttribute("input", "{HTTPS}"), new XAttribute("pattern", "off")),
                        new XElement("add", new XAttribute("input", "{URL}"), new XAttribute("pattern", "^" + Regex.Escape(healthPath) + "$"), new XAttribute("negate", "true"))),
                    new XElement("action",
                        new XAttribute("type", "Redirect"),
                        new XAttribute("url", "https://{HTTP_HOST}/{R:1}"),
                        new XAttribute("appendQueryString", "true"),
                        new XAttribute("redirectType", "Permanent"))));
            }

            rules.Add(
                new XElement("rule",
                    new XAttribute("name", ForwardedProtoRuleName),
                    new XElement("match", new XAttribute("url", ".*")),
                    new XElement("serverVariables",
                        new XElement("set", new XAttribute("name", "HTTP_X_FORWARDED_PROTO"), new XAttribute("value", "https"))),
                    new XElement("action", new XAttribute("type", "None"))));
            if (drainMarkerPath != null)
            {
                rules.Add(new XElement("rule",
                    new XAttribute("name", DrainRuleName),
                    new XAttribute("stopProcessing", "true"),
                    new XElement("match", new XAttribute("url", HealthPattern(healthPath))),
                    new XElement("conditions",
                        new XAttribute("logicalGrouping", "MatchAll"),
                        new XElement("add", new XAttribute("input", drainMarkerPath), new XAttribute("matchType", "IsFile"))),
                    new XElement("action",
                        new XAttribute("type", "CustomResponse"),
                        new XAttribute("statusCode", DrainStatus.ToString(CultureInfo.InvariantCulture)),
                        new XAttribute("subStatusCode", "0"),
                        new XAttribute("statusReason", "Draining"),
                        new XAttribute("statusDescription", "This node is draining for a rollout: the load balancer takes it out of its pool."))));
            }

            rules.Add(new XElement("rule",
                    new XAttribute("name", HealthRuleName),
                    new XAttribute("stopProcessing", "true"),
                    new XElement("match", new XAttribute("url", HealthPattern(healthPath))),
                    new XElement("action", new XAttribute("type", "Rewrite"), new XAttribute("url", runtime), new XAttribute("appendQueryString", "false"))));
            foreach (var rule in MendixRules)
            {
                rules.Add(new XElement("rule",
                    new XAttribute("name", rule.Key),
                    new XAttribute("stopProcessing", "true"),
                    new XElement("match", new XAttribute("url", rule.Value)),
                    new XElement("action", new XAttribute("type", "Rewrite"), new XAttribute("url", runtime + "{R:1}{R:2}"))));
            }

            var document = new XDocument(
                new XComment($" Made by mendix-node-agent for app '{appName}'; the agent rewrites it on every run. "),
                new XElement("configuration",
                    new XElement("system.webServer",
                        new XElement("rewrite", rules),
                        new XElement("staticContent",
                            new XElement("remove", new XAttribute("fileExtension", ".mxf")),
                            new XElement("mimeMap", new XAttribute("fileExtension", ".mxf"), new XAttribute("mimeType", "text/xml")),
                            new XElement("remove", new XAttribute("fileExtension", ".json")),
                            new XElement("mimeMap", new XAttribute("fileExtension", ".json"), new XAttribute("mimeType", "application/json")),
                            new XElement("clientCache", new XAttribute("cacheControlMode", "DisableCache"))),
                        new XElement("httpErrors", new XAttribute("existingResponse", "PassThrough")))));

            var settings = new XmlWriterSettings
            {
                Encoding = new UTF8Encoding(false),
                Indent = true,
                IndentChars = "  ",
                NewLineChars = "\n",
                NewLineHandling = NewLineHandling.Replace,
            };
            using (var buffer = new MemoryStream())
            {
                using (var writer = XmlWriter.Create(buffer, settings))
                {
                    document.Save(writer);
                }

                return new UTF8Encoding(false).GetString(buffer.ToArray()) + "\n";
            }
        }

        /// <summary>URL Rewrite matches the path without its leading '/': /mendix-health is ^mendix-health$.</summary>
        public static string HealthPattern(string healthPath) => "^" + Regex.Escape(healthPath.TrimStart('/')) + "$";

        private static KeyValuePair<string, string> Rule(string name, string pattern) => new KeyValuePair<string, string>(name, pattern);
    }
}
