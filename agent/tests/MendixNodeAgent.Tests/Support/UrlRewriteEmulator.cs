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

        /// <summary>"CustomResponse", "AbortRequest", or "Pass" (the request goes on to IIS with <see cref="Url"/>).</summary>
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
    ///   variables ({NAME}), which this emulator does not expand: an input holding '{' is refused;
    /// - "Rule action": Rewrite (url with {R:n} back-references), CustomResponse (statusCode, subStatusCode, statusReason,
    ///   statusDescription; "no subsequent rules are evaluated"), AbortRequest (likewise), None (nothing done).
    /// Redirect, rewrite maps, wildcard syntax and server variables are outside what the agent renders: refused.
    /// </summary>
    public static class UrlRewriteEmulator
    {
        public static RewriteOutcome Evaluate(string webConfigXml, string urlPath, Func<string, bool> fileExists, Func<string, bool> directoryExists)
        {
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

                if (!ConditionsHold(rule.Element("conditions"), name, fileExists, directoryExists))
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

        private static bool ConditionsHold(XElement? conditions, string rule, Func<string, bool> fileExists, Func<string, bool> directoryExists)
        {
            if (conditions == null)
            {
                return true;
            }

            var grouping = (string?)conditions.Attribute("logicalGrouping") ?? "MatchAll";
            var results = new List<bool>();
            foreach (var condition in conditions.Elements("add"))
            {
                var input = (string?)condition.Attribute("input") ?? throw new InvalidDataException($"rule '{rule}': a condition without input");
                if (input.Contains('{'))
                {
                    throw new NotSupportedException($"rule '{rule}': condition input '{input}' uses server variables, which this emulator does not expand");
                }

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
