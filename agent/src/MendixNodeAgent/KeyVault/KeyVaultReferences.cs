using System.Collections.Generic;
using System.Linq;
using MendixNodeAgent.Blob;
using MendixNodeAgent.Logging;

namespace MendixNodeAgent.KeyVault
{
    /// <summary>Finds the Key Vault references of validated blobs and replaces them by the secrets' values.</summary>
    internal static class KeyVaultReferences
    {
        public static IReadOnlyList<ReferencedSetting> In(IEnumerable<NodeSettings> blobs)
        {
            var found = new List<ReferencedSetting>();
            foreach (var blob in blobs)
            {
                Collect(blob, "runtimeSettings", blob.RuntimeSettings, found);
                Collect(blob, "customSettings", blob.CustomSettings, found);
            }

            return found;
        }

        /// <summary>
        /// The blobs with every reference replaced by its secret's value. Each distinct secret version is
        /// read once; every value read is registered with the log's masking before anything else happens.
        /// </summary>
        /// <exception cref="AgentFailureException">a secret could not be read; names the blob, key, vault and secret.</exception>
        public static IReadOnlyList<NodeSettings> Resolve(IReadOnlyList<NodeSettings> blobs, IKeyVaultClient client, AgentLog log)
        {
            var values = new Dictionary<string, string>();
            foreach (var setting in In(blobs))
            {
                var reference = setting.Reference;
                if (values.ContainsKey(reference.SecretUri))
                {
                    continue;
                }

                string value;
                try
                {
                    value = client.ReadSecret(reference, setting.Blob.Node.IdentityClientId, log.Info);
                }
                catch (KeyVaultReadException e)
                {
                    throw new AgentFailureException(
                        $"{setting.Blob.SourceFile}: key '{setting.Key}' refers to secret '{reference.SecretName}' (version {reference.Version}) in Key Vault '{reference.VaultName}', which could not be read: {e.Message}");
                }

                log.RegisterSecretValue(value);
                if (value.Length == 0)
                {
                    throw new AgentFailureException(
                        $"{setting.Blob.SourceFile}: key '{setting.Key}' refers to secret '{reference.SecretName}' (version {reference.Version}) in Key Vault '{reference.VaultName}', whose value is empty; store the setting's value in that secret");
                }

                values.Add(reference.SecretUri, value);
                log.Info($"{setting.Blob.SourceFile}: key '{setting.Key}': read secret '{reference.SecretName}' from Key Vault '{reference.VaultName}'");
            }

            return blobs.Select(blob => blob.WithSettings(Resolved(blob.RuntimeSettings, values), Resolved(blob.CustomSettings, values))).ToList();
        }

        private static void Collect(NodeSettings blob, string section, IEnumerable<KeyValuePair<string, string>> settings, List<ReferencedSetting> found)
        {
            foreach (var setting in settings)
            {
                if (!KeyVaultReference.LooksLikeReference(setting.Value))
                {
                    continue;
                }

                // The blob reader has refused every malformed reference already.
                var reference = KeyVaultReference.Parse(setting.Value, out _)
                    ?? throw new BadInputException($"{blob.SourceFile}: key '{section}.{setting.Key}' is not a valid Key Vault reference; allowed: {KeyVaultReference.Syntax}");
                found.Add(new ReferencedSetting(blob, section + "." + setting.Key, reference));
            }
        }

        private static IReadOnlyList<KeyValuePair<string, string>> Resolved(IEnumerable<KeyValuePair<string, string>> settings, IReadOnlyDictionary<string, string> values) =>
            settings.Select(setting =>
                {
                    var reference = KeyVaultReference.LooksLikeReference(setting.Value) ? KeyVaultReference.Parse(setting.Value, out _) : null;
                    return reference == null ? setting : new KeyValuePair<string, string>(setting.Key, values[reference.SecretUri]);
                })
                .ToList();
    }
}
