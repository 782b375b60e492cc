using System;

namespace MendixNodeAgent.Logging
{
    /// <summary>
    /// The one rule that decides which setting values are secrets. A secret value is never written
    /// to the log, standard output or an error message; only its key name is.
    /// </summary>
    internal static class SecretPolicy
    {
        public const string Mask = "[secret]";

        // Matched case-insensitively against the whole key, so both DatabasePassword and
        // com.mendix.storage.azure.AccountKey / License.SubscriptionSecret are covered.
        private static readonly string[] SecretWords =
        {
            "password",
            "secret",
            "accountkey",
            "sharedaccesssignature",
            "accesskey",
            "apikey",
            "privatekey",
            "token",
            "credential",
            "connectionstring",
        };

        public static bool IsSecretKey(string key)
        {
            foreach (var word in SecretWords)
            {
                if (key.IndexOf(word, StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The value as it may be shown for the given key.</summary>
        public static string Shown(string key, string? value) => IsSecretKey(key) ? Mask : "'" + (value ?? string.Empty) + "'";
    }
}
