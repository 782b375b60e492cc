using System;
using System.IO;
using System.Linq;
using System.Runtime.Serialization;
using System.Runtime.Serialization.Json;
using System.Text;

namespace MendixNodeAgent.Logging
{
    /// <summary>
    /// The one rule that decides which setting values are secrets: docs/secret-settings.json, embedded
    /// in the agent when it is built (the stack's plan and policy pack read the same file). A secret
    /// value is never written to the log, standard output or an error message; only its key name is.
    /// </summary>
    internal static class SecretPolicy
    {
        public const string Mask = "[secret]";

        private const string RuleResource = "MendixNodeAgent.secret-settings.json";

        private static readonly SecretSettingsRule Rule = LoadRule();

        private static readonly string[] SecretEndings = Rule.SecretEndings!;

        private static readonly string[] Switches = (Rule.Switches ?? new string[0]).Select(Squashed).ToArray();

        /// <summary>The key's letters and digits, lower-cased, end with one of the rule's endings and with none of its switches.</summary>
        public static bool IsSecretKey(string key)
        {
            var squashed = Squashed(key);
            return SecretEndings.Any(ending => squashed.EndsWith(ending, StringComparison.Ordinal)) && !Switches.Any(setting => squashed.EndsWith(setting, StringComparison.Ordinal));
        }

        private static string Squashed(string key)
        {
            var letters = new StringBuilder(key.Length);
            foreach (var character in key)
            {
                if ((character >= 'a' && character <= 'z') || (character >= 'A' && character <= 'Z') || (character >= '0' && character <= '9'))
                {
                    letters.Append(char.ToLowerInvariant(character));
                }
            }

            return letters.ToString();
        }

        /// <summary>The value as it may be shown for the given key.</summary>
        public static string Shown(string key, string? value) => IsSecretKey(key) ? Mask : "'" + (value ?? string.Empty) + "'";

        private static SecretSettingsRule LoadRule()
        {
            using (var stream = typeof(SecretPolicy).Assembly.GetManifestResourceStream(RuleResource))
            {
                if (stream == null)
                {
                    throw new InvalidOperationException($"the agent was built without its secret-setting rule (resource {RuleResource} from docs/secret-settings.json)");
                }

                var rule = new DataContractJsonSerializer(typeof(SecretSettingsRule)).ReadObject(stream) as SecretSettingsRule;
                var endings = rule?.SecretEndings;
                if (endings == null || endings.Length == 0 || endings.Any(ending => string.IsNullOrEmpty(ending) || ending != ending.ToLowerInvariant()))
                {
                    throw new InvalidOperationException($"docs/secret-settings.json (resource {RuleResource}): secretEndings must be a non-empty list of lower-case words");
                }

                return rule!;
            }
        }

        [DataContract]
        internal sealed class SecretSettingsRule
        {
            [DataMember(Name = "secretEndings")]
            public string[]? SecretEndings { get; set; }

            [DataMember(Name = "switches")]
            public string[]? Switches { get; set; }
        }
    }
}
