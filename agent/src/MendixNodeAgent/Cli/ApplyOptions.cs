using System.Collections.Generic;

namespace MendixNodeAgent.Cli
{
    internal sealed class ApplyOptions
    {
        public ApplyOptions(IReadOnlyList<string> settingsFiles, string? appsRootOverride, bool noSystem)
        {
            SettingsFiles = settingsFiles;
            AppsRootOverride = appsRootOverride;
            NoSystem = noSystem;
        }

        public IReadOnlyList<string> SettingsFiles { get; }

        public string? AppsRootOverride { get; }

        /// <summary>Only validate and write Settings.yaml: no disk, no cmdlets, no computer-name check.</summary>
        public bool NoSystem { get; }
    }
}
