namespace MendixNodeAgent.Blob
{
    internal enum CertificateSource
    {
        /// <summary>Made on the node (New-SelfSignedCertificate), once, and reused.</summary>
        SelfSigned,

        /// <summary>A PFX read from Key Vault with the VM's managed identity.</summary>
        KeyVault,
    }

    /// <summary>The blob's <c>site</c> section; the same in every blob of one run.</summary>
    internal sealed class SiteSpec
    {
        public SiteSpec(string healthPath, CertificateSource certificateSource, string? certificateSecretUri)
        {
            HealthPath = healthPath;
            CertificateSource = certificateSource;
            CertificateSecretUri = certificateSecretUri;
        }

        /// <summary>The path the load balancer probes, with its leading '/'.</summary>
        public string HealthPath { get; }

        public CertificateSource CertificateSource { get; }

        /// <summary>keyVault only: https://&lt;vault&gt;.vault.azure.net/secrets/&lt;name&gt; (the latest version).</summary>
        public string? CertificateSecretUri { get; }

        /// <summary>A canonical text, to compare the section across blobs.</summary>
        public override string ToString() => $"healthPath={HealthPath};certificate={CertificateSource};secretUri={CertificateSecretUri ?? "(none)"}";
    }
}
