using MendixNodeAgent.Blob;

namespace MendixNodeAgent.KeyVault
{
    /// <summary>One setting of one blob whose value is a Key Vault reference.</summary>
    internal sealed class ReferencedSetting
    {
        public ReferencedSetting(NodeSettings blob, string key, KeyVaultReference reference)
        {
            Blob = blob;
            Key = key;
            Reference = reference;
        }

        public NodeSettings Blob { get; }

        /// <summary>The key as the blob names it, e.g. runtimeSettings.DatabasePassword.</summary>
        public string Key { get; }

        public KeyVaultReference Reference { get; }
    }
}
