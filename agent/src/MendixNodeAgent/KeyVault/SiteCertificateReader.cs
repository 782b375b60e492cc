using System;
using MendixNodeAgent.Blob;
using MendixNodeAgent.Logging;

namespace MendixNodeAgent.KeyVault
{
    /// <summary>
    /// The HTTPS certificate's PFX when it comes from Key Vault, read with the node's identity and masked in every
    /// output. A Key Vault certificate's addressable secret of the same name holds it with its private key, as PFX
    /// or PEM as its policy says (Microsoft Learn, "About Azure Key Vault certificates", "Composition of a
    /// certificate"); Get Secret without a version answers with the latest one (Key Vault REST API, "Get Secret").
    /// </summary>
    internal static class SiteCertificateReader
    {
        public static byte[]? Read(NodeSettings blob, IKeyVaultClient keyVault, AgentLog log)
        {
            var site = blob.Site;
            if (site.CertificateSource != CertificateSource.KeyVault)
            {
                return null;
            }

            var reference = KeyVaultReference.LatestFromUri(site.CertificateSecretUri!)
                ?? throw new BadInputException($"{blob.SourceFile}: key 'site.certificate.secretUri' is not https://<vault>.vault.azure.net/secrets/<name>");
            string value;
            try
            {
                value = keyVault.ReadSecret(reference, blob.Node.IdentityClientId, log.Info);
            }
            catch (KeyVaultReadException e)
            {
                throw new AgentFailureException(
                    $"{blob.SourceFile}: key 'site.certificate.secretUri' names certificate secret '{reference.SecretName}' in Key Vault '{reference.VaultName}', which could not be read: {e.Message}");
            }

            log.RegisterSecretValue(value);
            try
            {
                var pfx = Convert.FromBase64String(value.Trim());
                log.Info($"{blob.SourceFile}: key 'site.certificate.secretUri': read certificate '{reference.SecretName}' (latest version) from Key Vault '{reference.VaultName}'");
                return pfx;
            }
            catch (FormatException)
            {
                throw new AgentFailureException(
                    $"{blob.SourceFile}: key 'site.certificate.secretUri' names secret '{reference.SecretName}' in Key Vault '{reference.VaultName}', whose value is not a base64 PFX; give the certificate's policy the content type application/x-pkcs12 (PFX), not PEM");
            }
        }
    }
}
