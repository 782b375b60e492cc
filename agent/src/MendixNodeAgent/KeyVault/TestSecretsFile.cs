using System;
using System.Collections.Generic;
using System.IO;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MendixNodeAgent.KeyVault
{
    /// <summary>
    /// Tests only (<c>--no-system --test-secrets FILE</c>): secret values from a local YAML mapping of secret URI
    /// (<c>https://&lt;vault&gt;.vault.azure.net/secrets/&lt;name&gt;/&lt;version&gt;</c>) to value, standing in for the Key Vault
    /// that only the node's identity can read, so that a file-only run goes through the same reference resolution.
    /// </summary>
    internal sealed class TestSecretsFile : IKeyVaultClient
    {
        private readonly string file;
        private readonly IReadOnlyDictionary<string, string> values;

        private TestSecretsFile(string file, IReadOnlyDictionary<string, string> values)
        {
            this.file = file;
            this.values = values;
        }

        public static TestSecretsFile Read(string file)
        {
            var stream = new YamlStream();
            try
            {
                using (var reader = new StreamReader(file))
                {
                    stream.Load(reader);
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is YamlException)
            {
                throw new BadInputException($"{file}: the --test-secrets file cannot be read as YAML ({e.Message})");
            }

            if (stream.Documents.Count != 1 || !(stream.Documents[0].RootNode is YamlMappingNode mapping))
            {
                throw new BadInputException($"{file}: the --test-secrets file must be one YAML mapping of secret URI to value");
            }

            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in mapping.Children)
            {
                if (!(entry.Key is YamlScalarNode key) || !(entry.Value is YamlScalarNode value) || key.Value == null)
                {
                    throw new BadInputException($"{file}: every entry of the --test-secrets file must map a secret URI to a string");
                }

                values[key.Value.ToLowerInvariant()] = value.Value ?? string.Empty;
            }

            return new TestSecretsFile(file, values);
        }

        public string ReadSecret(KeyVaultReference reference, string identityClientId, Action<string> onRetry) =>
            values.TryGetValue(reference.SecretUri.ToLowerInvariant(), out var value)
                ? value
                : throw new KeyVaultReadException($"the test secrets file {file} holds no value for {reference.SecretUri}");
    }
}
