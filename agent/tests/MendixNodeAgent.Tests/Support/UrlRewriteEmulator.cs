using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace MendixNodeAgent.Tests.Support
{
    /// <summary>What IIS's URL Rewrite decided for one request.</summary>
    public sealed class RewriteOutcome
    {
        private RewriteOutcome(string kind, string url, int status, string reason, string? rule)
        {
            Kind = kind;
            Url = url;
            Status = status;
            Reason = reason;
            Rule = rule;
        }

        /// <summary>"CustomResponse", "AbortRequest", "Redirect" (<see cref="Url"/> is the Location), or "Pass" (the request goes on to IIS with <see cref="Url"/>).</summary>
        public string Kind { get; }

        /// <summary>The URL after every rewrite (a path without its leading '/', or an absolute URL ARR proxies to).</summary>
        public string Url { get; }

        public int Status { get; }

        public string Reason { get; }

        /// <summary>The rule that ended the processing, if one did.</summary>
        public string? Rule { get; }

        public static RewriteOutcome Pass(string url, string? rule) => new RewriteOutcome("Pass", url, 0, string.Empty, rule);

        public static RewriteOutcome Custom(int status, string reason, string rule) => new RewriteOutcome("CustomResponse", string.Empty, status, reason, rule);

        public static RewriteOutcome Abort(string rule) => new RewriteOutcome("AbortRequest", string.Empty, 0, string.Empty, rule);

        /// <summary>An answer telling the client to go to <paramref name="location"/> (the Location header).</summary>
        public static RewriteOutcome Redirect(int status, string location, string rule) => new RewriteOutcome("Redirect", location, status, string.Empty, rule);
    }

    /// <summary>
    /// The distributed rules (&lt;rules&gt; of a site's web.config) as IIS's URL Rewrite module evaluates them, written
    /// from the URL Rewrite Module Configuration Reference (MicrosoftDocs/iis-docs,
    /// iis/extensions/url-rewrite-module/url-rewrite-module-configuration-reference.md):
    /// - "Rules Evaluation": rules in the order given; a rule whose pattern does not match is skipped; when the pattern
    ///   matches and its conditions hold, the action is performed and the rewritten URL is the next rule's input; with
    ///   stopProcessing no later rule is processed (default off);
    /// - "Rule pattern properties": case-insensitive unless ignoreCase="false"; negate inverts the match; the input is the
    ///   URL path relative to the web.config's folder, without the query string (for a site's root: no leading '/');
    /// - "Rule conditions": logicalGrouping MatchAll (default) or MatchAny; matchType IsFile / IsDirectory ("whether the
    ///   input string contains a physical path to a file" / "directory" on a file system), or Pattern (default) with
    ///   pattern and ignoreCase; negate inverts the result; the input is an arbitrary string that may hold server
    ///   variables ({NAME}), expanded from the request's (a variable the request does not give is refused);
    /// - "Rule action": Rewrite (url with {R:n} back-references), Redirect (url with {R:n} and server variables,
    ///   appendQueryString default true, redirectType Permanent 301 (default), Found 302, SeeOther 303, Temporary 307;
    ///   "no subsequent rules are evaluated"), CustomResponse (statusCode, subStatusCode, statusReason,
    ///   statusDescription; likewise), AbortRequest (likewise), None (nothing done).
    /// Server variables as "Accessing Server Variables" and the IIS server variables list name them: HTTPS ("on" or
    /// "off"), HTTP_HOST (the Host header), URL (the path with its leading '/', no query string).
    /// Rewrite maps and wildcard syntax are outside what the agent renders: refused.
    /// </summary>
    public static class UrlRewriteEmulator
    {
        /// <param name="serverVariables">the request's server variables (HTTPS, HTTP_HOST, URL, ...); null: none.</param>
        public static RewriteOutcome Evaluate(string webConfigXml, string urlPath, Func<string, bool> fileExists, Func<string, bool> directoryExists, IReadOnlyDictionary<string, string>? serverVariables = null)
        {
            var variables = serverVariables ?? new Dictionary<string, string>();
            var rules = XDocument.Parse(webConfigXml).Root?.Element("system.webServer")?.Element("rewrite")?.Element("rules");
            var url = urlPath;
            if (rules == null)
            {
                return RewriteOutcome.Pass(url, null);
            }

            foreach (var rule in rules.Elements("rule"))
            {
                var name = (string?)rule.Attribute("name") ?? "(unnamed)";
                if ((string?)rule.Attribute("patternSyntax") is string syntax && syntax != "ECMAScript")
                {
                    throw new NotSupportedException($"rule '{name}': patternSyntax {syntax} is not emulated");
                }

                var match = rule.Element("match") ?? throw new InvalidDataException($"rule '{name}' has no <match>");
                var pattern = (string?)match.Attribute("url") ?? throw new InvalidDataException($"rule '{name}': <match> has no url");
                var regex = new Regex(pattern, IgnoreCase(match) ? RegexOptions.IgnoreCase | RegexOptions.ECMAScript : RegexOptions.ECMAScript);
                var m = regex.Match(url);
                var matched = m.Success != Negate(match);
                if (!matched)
                {
                    continue;
                }

                if (!ConditionsHold(rule.Element("conditions"), name, fileExists, directoryExists, variables))
                {
                    continue;
                }

                var action = rule.Element("action") ?? throw new InvalidDataException($"rule '{name}' has no <action>");
                var type = (string?)action.Attribute("type") ?? throw new InvalidDataException($"rule '{name}': <action> has no type");
                switch (type)
                {
                    case "None":
                        break;
                    case "Rewrite":
                        var target = (string?)action.Attribute("url") ?? throw new InvalidDataException($"rule '{name}': Rewrite without url");
                        url = Regex.Replace(target, @"\{R:(\d)\}", r => m.Success ? m.Groups[int.Parse(r.Groups[1].Value)].Value : string.Empty);
                        if (url.Contains('{'))
                        {
                            throw new NotSupportedException($"rule '{name}': the rewrite URL '{target}' uses more than {{R:n}}");
                        }

                        break;
                    case "CustomResponse":
                        var status = int.Parse((string?)action.Attribute("statusCode") ?? throw new InvalidDataException($"rule '{name}': CustomResponse without statusCode"));
                        return RewriteOutcome.Custom(status, (string?)action.Attribute("statusReason") ?? string.Empty, name);
                    case "AbortRequest":
                        return RewriteOutcome.Abort(name);
                    case "Redirect":
                        var location = (string?)action.Attribute("url") ?? throw new InvalidDataException($"rule '{name}': Redirect without url");
                        location = Expand(Regex.Replace(location, @"\{R:(\d)\}", r => m.Success ? m.Groups[int.Parse(r.Groups[1].Value)].Value : string.Empty), name, variables);
                        var redirectType = (string?)action.Attribute("redirectType") ?? "Permanent";
                        var code = redirectType switch
                        {
                            "Permanent" => 301,
                            "Found" => 302,
                            "SeeOther" => 303,
                            "Temporary" => 307,
                            _ => throw new InvalidDataException($"rule '{name}': redirectType '{redirectType}' is not Permanent, Found, SeeOther or Temporary"),
                        };
                        return RewriteOutcome.Redirect(code, location, name);
                    default:
                        throw new NotSupportedException($"rule '{name}': action {type} is not emulated");
                }

                if (string.Equals((string?)rule.Attribute("stopProcessing"), "true", StringComparison.OrdinalIgnoreCase))
                {
                    return RewriteOutcome.Pass(url, name);
                }
            }

            return RewriteOutcome.Pass(url, null);
        }

        /// <summary>{NAME} replaced by the request's server variable; one the request does not give is refused.</summary>
        private static string Expand(string text, string rule, IReadOnlyDictionary<string, string> variables) =>
            Regex.Replace(text, @"\{([A-Z_]+)\}", v => variables.TryGetValue(v.Groups[1].Value, out var value)
                ? value
                : throw new NotSupportedException($"rule '{rule}': server variable {v.Value} is not one this request gives ({string.Join(", ", variables.Keys)})"));

        private static bool ConditionsHold(XElement? conditions, string rule, Func<string, bool> fileExists, Func<string, bool> directoryExists, IReadOnlyDictionary<string, string> variables)
        {
            if (conditions == null)
            {
                return true;
            }

            var grouping = (string?)conditions.Attribute("logicalGrouping") ?? "MatchAll";
            var results = new List<bool>();
            foreach (var condition in conditions.Elements("add"))
            {
                var input = Expand((string?)condition.Attribute("input") ?? throw new InvalidDataException($"rule '{rule}': a condition without input"), rule, variables);

                var matchType = (string?)condition.Attribute("matchType") ?? "Pattern";
                bool result;
                switch (matchType)
                {
                    case "IsFile":
                        result = fileExists(input);
                        break;
                    case "IsDirectory":
                        result = directoryExists(input);
                        break;
                    case "Pattern":
                        var pattern = (string?)condition.Attribute("pattern") ?? throw new InvalidDataException($"rule '{rule}': a Pattern condition without pattern");
                        result = new Regex(pattern, IgnoreCase(condition) ? RegexOptions.IgnoreCase | RegexOptions.ECMAScript : RegexOptions.ECMAScript).IsMatch(input);
                        break;
                    default:
                        throw new InvalidDataException($"rule '{rule}': matchType '{matchType}' is not one URL Rewrite knows (IsFile, IsDirectory, Pattern)");
                }

                results.Add(result != Negate(condition));
            }

            switch (grouping)
            {
                case "MatchAll":
                    return results.All(r => r);
                case "MatchAny":
                    return results.Any(r => r);
                default:
                    throw new InvalidDataException($"rule '{rule}': logicalGrouping '{grouping}' is not MatchAll or MatchAny");
            }
        }

        private static bool IgnoreCase(XElement element) => !string.Equals((string?)element.Attribute("ignoreCase"), "false", StringComparison.OrdinalIgnoreCase);

        private static bool Negate(XElement element) => string.Equals((string?)element.Attribute("negate"), "true", StringComparison.OrdinalIgnoreCase);
    }
}
