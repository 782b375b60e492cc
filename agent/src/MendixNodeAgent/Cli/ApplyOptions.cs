using System.Collections.Generic;

namespace MendixNodeAgent.Cli
{
    internal sealed class ApplyOptions
    {
        public ApplyOptions(IReadOnlyList<string> settingsFiles, string? appsRootOverride, bool noSystem, string? testSecretsFile = null)
        {
            TestSecretsFile = testSecretsFile;
            SettingsFiles = settingsFiles;
            AppsRootOverride = appsRootOverride;
            NoSystem = noSystem;
        }

        public IReadOnlyList<string> SettingsFiles { get; }

        public string? AppsRootOverride { get; }

        /// <summary>Only validate and write Settings.yaml: no disk, no cmdlets, no computer-name check.</summary>
        public bool NoSystem { get; }

        /// <summary>
        /// Tests only, with --no-system: a local file of secret values by Key Vault reference, standing in for the vault
        /// that only the node's identity can read. Null on a node: references are read from Key Vault.
        /// </summary>
        public string? TestSecretsFile { get; }
    }
}
