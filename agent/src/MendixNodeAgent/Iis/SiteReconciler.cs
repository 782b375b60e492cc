using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MendixNodeAgent.Blob;
using MendixNodeAgent.Logging;
using MendixNodeAgent.Settings;
using MendixNodeAgent.Windows;

namespace MendixNodeAgent.Iis
{
    /// <summary>
    /// Makes every app's IIS site what its plan says: the HTTPS certificate first (made or imported once), then
    /// per app its web.config and its site, each found created, already right, or drifted and repaired.
    /// </summary>
    internal sealed class SiteReconciler
    {
        private readonly IIisSites iis;
        private readonly ICertificates certificates;
        private readonly AgentLog log;

        public SiteReconciler(IIisSites iis, ICertificates certificates, AgentLog log)
        {
            this.iis = iis;
            this.certificates = certificates;
            this.log = log;
        }

        /// <param name="pfx">the PFX read from Key Vault when site.certificate.source is keyVault.</param>
        /// <returns>the number of changes made.</returns>
        public int Ensure(IReadOnlyList<NodeSettings> blobs, string appsRoot, string computerName, byte[]? pfx)
        {
            var changes = 0;
            var certificate = Certificate(blobs, computerName, pfx);
            if (certificate.Changed)
            {
                changes++;
            }

            if (iis.RemoveSampleSite())
            {
                log.Info($"sites: removed IIS's sample site '{PowerShellScript.SampleSiteName}', which holds port 80 for any host name");
                changes++;
            }

            foreach (var blob in blobs)
            {
                changes += EnsureSite(SitePlan.For(blob, appsRoot), certificate.Thumbprint);
            }

            return changes;
        }

        private CertificateResult Certificate(IReadOnlyList<NodeSettings> blobs, string computerName, byte[]? pfx)
        {
            var site = blobs[0].Site;
            if (site.CertificateSource == CertificateSource.KeyVault)
            {
                var imported = certificates.ImportPfx(pfx ?? throw new InvalidOperationException("the Key Vault certificate was not read"));
                log.Info(imported.Changed
                    ? $"sites: imported the certificate from {site.CertificateSecretUri} into Cert:\\LocalMachine\\My (thumbprint {imported.Thumbprint})"
                    : $"sites: the certificate from {site.CertificateSecretUri} is already in Cert:\\LocalMachine\\My (thumbprint {imported.Thumbprint})");
                return imported;
            }

            var names = new[] { computerName.ToLowerInvariant() }
                .Concat(blobs.Select(b => b.App.HostName).Where(h => h != null).Select(h => h!))
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .ToList();
            var made = certificates.EnsureSelfSigned(SelfSignedFriendlyName(computerName), names);
            log.Info(made.Changed
                ? $"sites: made a self-signed certificate for {string.Join(", ", names)} (thumbprint {made.Thumbprint})"
                : $"sites: reusing the node's self-signed certificate (thumbprint {made.Thumbprint})");
            return made;
        }

        public static string SelfSignedFriendlyName(string computerName) => "Mendix node " + computerName.ToLowerInvariant();

        private int EnsureSite(SitePlan plan, string thumbprint)
        {
            var changes = 0;
            var app = plan.AppName;
            Directory.CreateDirectory(plan.PhysicalPath);
            var webConfig = Path.Combine(plan.PhysicalPath, "web.config");
            var current = File.Exists(webConfig) ? File.ReadAllText(webConfig) : null;
            if (current != plan.WebConfig)
            {
                AtomicFile.WriteAllText(webConfig, plan.WebConfig);
                log.Info(current == null ? $"app '{app}': wrote {webConfig}" : $"app '{app}': {webConfig} differed from what it must be; rewritten");
                changes++;
            }

            var state = iis.Inspect(plan.SiteName);
            if (!state.Exists)
            {
                log.Info($"app '{app}': IIS site '{plan.SiteName}' does not exist; creating it ({string.Join(", ", plan.Bindings)}, {plan.PhysicalPath})");
                iis.Apply(plan.SiteName, plan.PhysicalPath, plan.Bindings, thumbprint);
                log.Info($"app '{app}': IIS site '{plan.SiteName}' created");
                return changes + 1;
            }

            var drift = Drift(plan, state, thumbprint);
            if (drift.Count == 0)
            {
                log.Info($"app '{app}': IIS site '{plan.SiteName}' already right");
                return changes;
            }

            log.Info($"app '{app}': IIS site '{plan.SiteName}' drifted ({string.Join("; ", drift)}); repairing");
            iis.Apply(plan.SiteName, plan.PhysicalPath, plan.Bindings, thumbprint);
            log.Info($"app '{app}': IIS site '{plan.SiteName}' repaired");
            return changes + 1;
        }

        /// <summary>Every way the site differs from its plan, as text for the log; empty when it is right.</summary>
        public static IReadOnlyList<string> Drift(SitePlan plan, SiteState state, string thumbprint)
        {
            var drift = new List<string>();
            if (!string.Equals(state.PhysicalPath.TrimEnd('\\'), plan.PhysicalPath.TrimEnd('\\'), StringComparison.OrdinalIgnoreCase))
            {
                drift.Add($"physical path '{state.PhysicalPath}' instead of '{plan.PhysicalPath}'");
            }

            foreach (var extra in state.Bindings.Where(b => !plan.Bindings.Contains(b)))
            {
                drift.Add($"binding {extra} is not wanted");
            }

            foreach (var missing in plan.Bindings.Where(b => !state.Bindings.Contains(b)))
            {
                drift.Add($"binding {missing} is missing");
            }

            foreach (var https in plan.Bindings.Where(b => b.IsHttps && state.Bindings.Contains(b)))
            {
                state.Thumbprints.TryGetValue(https.BindingInformation, out var actual);
                if (!string.Equals(actual, thumbprint, StringComparison.OrdinalIgnoreCase))
                {
                    drift.Add($"binding {https} has certificate '{actual ?? "(none)"}' instead of {thumbprint}");
                }
            }

            if (!string.Equals(state.State, "Started", StringComparison.OrdinalIgnoreCase))
            {
                drift.Add($"state '{state.State}' instead of Started");
            }

            return drift;
        }
    }
}
