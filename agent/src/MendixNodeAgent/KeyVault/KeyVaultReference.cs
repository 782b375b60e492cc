using System;
using System.Text.RegularExpressions;

namespace MendixNodeAgent.KeyVault
{
    /// <summary>
    /// A blob value that stands for a Key Vault secret instead of holding it, in the syntax Azure App
    /// Service uses for its Key Vault references, narrowed to one form:
    /// <c>@Microsoft.KeyVault(SecretUri=https://&lt;vault&gt;.vault.azure.net/secrets/&lt;name&gt;/&lt;version&gt;)</c>.
    /// The version is required, so that a rotated secret changes the blob and the agent runs again.
    /// </summary>
    internal sealed class KeyVaultReference
    {
        public const string Syntax = "@Microsoft.KeyVault(SecretUri=https://<vault>.vault.azure.net/secrets/<name>/<version>)";

        public const string AllowedParts = "<vault> 3-24 letters, digits or hyphens; <name> 1-127 letters, digits or hyphens; <version> 32 hexadecimal characters";

        private const string Opening = "@Microsoft.KeyVault(SecretUri=";
        private const string VaultHostSuffix = ".vault.azure.net";

        // This pattern is also what keeps the managed identity's token from going anywhere but a
        // vault: the only host a reference can name is <vault>.vault.azure.net, over https.
        private static readonly Regex ExactForm = new Regex(
            @"^@Microsoft\.KeyVault\(SecretUri=https://(?<vault>[A-Za-z0-9-]{3,24})\.vault\.azure\.net/secrets/(?<name>[A-Za-z0-9-]{1,127})/(?<version>[0-9A-Fa-f]{32})\)$",
            RegexOptions.CultureInvariant);

        private static readonly Regex LatestForm = new Regex(
            @"^https://(?<vault>[A-Za-z0-9-]{3,24})\.vault\.azure\.net/secrets/(?<name>[A-Za-z0-9-]{1,127})$",
            RegexOptions.CultureInvariant);

        private static readonly Regex VaultNamePattern = new Regex(@"^[A-Za-z0-9-]{3,24}$", RegexOptions.CultureInvariant);
        private static readonly Regex SecretNamePattern = new Regex(@"^[A-Za-z0-9-]{1,127}$", RegexOptions.CultureInvariant);
        private static readonly Regex VersionPattern = new Regex(@"^[0-9A-Fa-f]{32}$", RegexOptions.CultureInvariant);

        private KeyVaultReference(string vaultName, string secretName, string version)
        {
            VaultName = vaultName;
            SecretName = secretName;
            Version = version;
        }

        public string VaultName { get; }

        public string SecretName { get; }

        public string Version { get; }

        /// <summary>The vault's address, https://&lt;vault&gt;.vault.azure.net/.</summary>
        public Uri VaultAddress => new Uri("https://" + VaultName + VaultHostSuffix + "/");

        /// <summary>The secret version's address, the same for every spelling of one reference.</summary>
        public string SecretUri => $"https://{VaultName.ToLowerInvariant()}{VaultHostSuffix}/secrets/{SecretName}" + (IsLatest ? string.Empty : "/" + Version.ToLowerInvariant());

        /// <summary>True for an address without a version: Key Vault answers with the secret's latest version.</summary>
        public bool IsLatest => Version.Length == 0;

        /// <summary>
        /// The latest version of a secret given as https://&lt;vault&gt;.vault.azure.net/secrets/&lt;name&gt; (the blob's
        /// site.certificate.secretUri, already validated), or null when the address is not of that form.
        /// </summary>
        public static KeyVaultReference? LatestFromUri(string secretUri)
        {
            var match = LatestForm.Match(secretUri);
            return match.Success ? new KeyVaultReference(match.Groups["vault"].Value, match.Groups["name"].Value, string.Empty) : null;
        }

        /// <summary>
        /// Whether a value means to be a reference. Broader than the exact form on purpose (any case,
        /// leading blanks), so that a near miss is refused instead of being written as the secret itself.
        /// </summary>
        public static bool LooksLikeReference(string value) =>
            value.TrimStart().StartsWith("@Microsoft.KeyVault", StringComparison.OrdinalIgnoreCase);

        /// <summary>The reference, or null with what is wrong with it; the problem never repeats the value.</summary>
        public static KeyVaultReference? Parse(string value, out string problem)
        {
            var match = ExactForm.Match(value);
            if (match.Success)
            {
                problem = string.Empty;
                return new KeyVaultReference(match.Groups["vault"].Value, match.Groups["name"].Value, match.Groups["version"].Value);
            }

            problem = Diagnose(value);
            return null;
        }

        private static string Diagnose(string value)
        {
            if (!value.StartsWith(Opening, StringComparison.Ordinal))
            {
                return "it must begin with exactly '" + Opening + "' (no blanks, this case; the VaultName=/SecretName= form is not supported)";
            }

            if (!value.EndsWith(")", StringComparison.Ordinal))
            {
                return "it must end with ')' right after the secret's version";
            }

            var uri = value.Substring(Opening.Length, value.Length - Opening.Length - 1);
            if (!uri.StartsWith("https://", StringComparison.Ordinal))
            {
                return "the SecretUri must begin with https://";
            }

            var rest = uri.Substring("https://".Length);
            var slash = rest.IndexOf('/');
            var host = slash < 0 ? rest : rest.Substring(0, slash);
            if (!host.EndsWith(VaultHostSuffix, StringComparison.Ordinal))
            {
                return "the SecretUri's host must be <vault>" + VaultHostSuffix;
            }

            if (!VaultNamePattern.IsMatch(host.Substring(0, host.Length - VaultHostSuffix.Length)))
            {
                return "the vault name must be 3-24 letters, digits or hyphens";
            }

            var segments = (slash < 0 ? string.Empty : rest.Substring(slash + 1)).Split('/');
            if (segments.Length < 2 || segments[0] != "secrets")
            {
                return "the SecretUri's path must be /secrets/<name>/<version>";
            }

            if (!SecretNamePattern.IsMatch(segments[1]))
            {
                return "the secret name must be 1-127 letters, digits or hyphens";
            }

            if (segments.Length == 2 || (segments.Length == 3 && segments[2].Length == 0))
            {
                return "the secret's version is missing; it is required (32 hexadecimal characters), so that a rotated secret changes the blob";
            }

            if (segments.Length > 3)
            {
                return "the SecretUri's path must be /secrets/<name>/<version>, with nothing after the version";
            }

            if (!VersionPattern.IsMatch(segments[2]))
            {
                return "the secret's version must be 32 hexadecimal characters";
            }

            return "it does not match the reference syntax";
        }
    }
}
