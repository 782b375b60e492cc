using System;
using System.Collections.Generic;
using System.Globalization;
using MendixNodeAgent.Iis;

namespace MendixNodeAgent.Windows
{
    /// <summary>A site as IIS has it now.</summary>
    internal sealed class SiteState
    {
        public SiteState(bool exists, string physicalPath, string state, IReadOnlyList<SiteBinding> bindings, IReadOnlyDictionary<string, string> thumbprints)
        {
            Exists = exists;
            PhysicalPath = physicalPath;
            State = state;
            Bindings = bindings;
            Thumbprints = thumbprints;
        }

        public bool Exists { get; }

        public string PhysicalPath { get; }

        public string State { get; }

        public IReadOnlyList<SiteBinding> Bindings { get; }

        /// <summary>The certificate thumbprint of each https binding, by its binding information.</summary>
        public IReadOnlyDictionary<string, string> Thumbprints { get; }

        public static SiteState Missing() => new SiteState(false, string.Empty, string.Empty, new SiteBinding[0], new Dictionary<string, string>());

        public static SiteState Parse(string output, string siteName)
        {
            var lines = ScriptOutput.Lines(output);
            var exists = ScriptOutput.Flag(lines, "exists")
                ?? throw new AgentFailureException($"site '{siteName}': unexpected answer while inspecting it: '{output.Trim()}'");
            if (!exists)
            {
                return Missing();
            }

            var bindings = new List<SiteBinding>();
            var thumbprints = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var line in lines)
            {
                if (line.Key != "binding")
                {
                    continue;
                }

                var parts = line.Value.Split('|');
                if (parts.Length < 3)
                {
                    throw new AgentFailureException($"site '{siteName}': unexpected binding in the inspection: '{line.Value}'");
                }

                int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var sslFlags);
                var binding = new SiteBinding(parts[0], parts[1], sslFlags);
                bindings.Add(binding);
                if (binding.IsHttps && parts.Length > 3 && parts[3].Trim().Length > 0)
                {
                    thumbprints[binding.BindingInformation] = parts[3].Trim();
                }
            }

            return new SiteState(true, ScriptOutput.Value(lines, "physicalPath") ?? string.Empty, ScriptOutput.Value(lines, "state") ?? string.Empty, bindings, thumbprints);
        }
    }

    /// <summary>The IIS sites that serve the apps.</summary>
    internal interface IIisSites
    {
        SiteState Inspect(string siteName);

        /// <summary>Creates the site or repairs it to exactly this.</summary>
        void Apply(string siteName, string physicalPath, IReadOnlyList<SiteBinding> bindings, string thumbprint);

        /// <returns>whether IIS's sample site was there and is now removed.</returns>
        bool RemoveSampleSite();
    }

    /// <summary>IIS through the WebAdministration module in Windows PowerShell.</summary>
    internal sealed class WindowsIisSites : IIisSites
    {
        private readonly IPowerShellRunner powerShell;

        public WindowsIisSites(IPowerShellRunner powerShell)
        {
            this.powerShell = powerShell;
        }

        public SiteState Inspect(string siteName) =>
            SiteState.Parse(ScriptOutput.RunChecked(powerShell, PowerShellScript.InspectSite(siteName), $"inspect IIS site '{siteName}'").Output, siteName);

        public void Apply(string siteName, string physicalPath, IReadOnlyList<SiteBinding> bindings, string thumbprint) =>
            ScriptOutput.RunChecked(powerShell, PowerShellScript.ApplySite(siteName, physicalPath, bindings, thumbprint), $"create or repair IIS site '{siteName}'");

        public bool RemoveSampleSite()
        {
            var result = ScriptOutput.RunChecked(powerShell, PowerShellScript.RemoveSampleSite(), $"remove IIS's sample site '{PowerShellScript.SampleSiteName}'");
            return ScriptOutput.Flag(ScriptOutput.Lines(result.Output), "removed")
                ?? throw new AgentFailureException($"unexpected answer while removing IIS's sample site: '{result.Output.Trim()}'");
        }
    }
}
