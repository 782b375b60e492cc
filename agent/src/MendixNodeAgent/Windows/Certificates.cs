using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MendixNodeAgent.Windows
{
    /// <summary>The HTTPS certificate the sites use: its thumbprint, and whether this run made or imported it.</summary>
    internal sealed class CertificateResult
    {
        public CertificateResult(string thumbprint, bool changed)
        {
            Thumbprint = thumbprint;
            Changed = changed;
        }

        public string Thumbprint { get; }

        public bool Changed { get; }
    }

    /// <summary>Certificates in the machine's personal store (Cert:\LocalMachine\My).</summary>
    internal interface ICertificates
    {
        CertificateResult EnsureSelfSigned(string friendlyName, IReadOnlyList<string> dnsNames);

        /// <summary>Imports a PFX (no password) unless the store already holds it. The PFX never enters a script or a log.</summary>
        CertificateResult ImportPfx(byte[] pfx);
    }

    /// <summary>
    /// Self-signed certificates through New-SelfSignedCertificate in Windows PowerShell; a PFX from Key Vault
    /// imported in this process with the .NET certificate store, so the private key is never on a command line.
    /// </summary>
    internal sealed class WindowsCertificates : ICertificates
    {
        private readonly IPowerShellRunner powerShell;

        public WindowsCertificates(IPowerShellRunner powerShell)
        {
            this.powerShell = powerShell;
        }

        public CertificateResult EnsureSelfSigned(string friendlyName, IReadOnlyList<string> dnsNames)
        {
            var result = ScriptOutput.RunChecked(powerShell, PowerShellScript.EnsureSelfSignedCertificate(friendlyName, dnsNames), "make or find the node's self-signed certificate");
            var lines = ScriptOutput.Lines(result.Output);
            var created = ScriptOutput.Flag(lines, "created");
            var thumbprint = ScriptOutput.Value(lines, "thumbprint");
            if (created == null || string.IsNullOrWhiteSpace(thumbprint))
            {
                throw new AgentFailureException($"unexpected answer while making the self-signed certificate: '{result.Output.Trim()}'");
            }

            return new CertificateResult(thumbprint!.Trim(), created.Value);
        }

        public CertificateResult ImportPfx(byte[] pfx)
        {
            try
            {
                string thumbprint;
                using (var probe = LoadPfx(pfx, X509KeyStorageFlags.EphemeralKeySet))
                {
                    thumbprint = probe.Thumbprint;
                }

                using (var store = new X509Store(StoreName.My, StoreLocation.LocalMachine))
                {
                    store.Open(OpenFlags.ReadWrite);
                    if (store.Certificates.Find(X509FindType.FindByThumbprint, thumbprint, validOnly: false).Count > 0)
                    {
                        return new CertificateResult(thumbprint, false);
                    }

                    using (var certificate = LoadPfx(pfx, X509KeyStorageFlags.MachineKeySet | X509KeyStorageFlags.PersistKeySet))
                    {
                        store.Add(certificate);
                    }
                }

                return new CertificateResult(thumbprint, true);
            }
            catch (CryptographicException e)
            {
                throw new AgentFailureException($"the certificate from Key Vault cannot be imported into Cert:\\LocalMachine\\My: {e.Message}");
            }
        }

        /// <summary>A PFX without password (how Key Vault hands out a certificate's secret).</summary>
        private static X509Certificate2 LoadPfx(byte[] pfx, X509KeyStorageFlags flags)
        {
#if NETFRAMEWORK
            return new X509Certificate2(pfx, (string?)null, flags);
#else
            return X509CertificateLoader.LoadPkcs12(pfx, null, flags);
#endif
        }
    }
}
