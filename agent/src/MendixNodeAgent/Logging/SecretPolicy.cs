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

        private static readonly string[] SecretEndings = LoadSecretEndings();

        /// <summary>The key's letters and digits, lower-cased, end with one of the rule's endings.</summary>
        public static bool IsSecretKey(string key)
        {
            var letters = new StringBuilder(key.Length);
            foreach (var character in key)
            {
                if ((character >= 'a' && character <= 'z') || (character >= 'A' && character <= 'Z') || (character >= '0' && character <= '9'))
                {
                    letters.Append(char.ToLowerInvariant(character));
                }
            }

            var squashed = letters.ToString();
            return SecretEndings.Any(ending => squashed.EndsWith(ending, StringComparison.Ordinal));
        }

        /// <summary>The value as it may be shown for the given key.</summary>
        public static string Shown(string key, string? value) => IsSecretKey(key) ? Mask : "'" + (value ?? string.Empty) + "'";

        private static string[] LoadSecretEndings()
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

                return endings;
            }
        }

        [DataContract]
        internal sealed class SecretSettingsRule
        {
            [DataMember(Name = "secretEndings")]
            public string[]? SecretEndings { get; set; }
        }
    }
}
