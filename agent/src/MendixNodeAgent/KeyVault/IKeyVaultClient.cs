using System;

namespace MendixNodeAgent.KeyVault
{
    /// <summary>Reads secrets from Azure Key Vault; tests hand in a client aimed at a local stand-in.</summary>
    internal interface IKeyVaultClient
    {
        /// <summary>The secret's value, read as the user-assigned managed identity with this client id.</summary>
        /// <param name="onRetry">told each retry of an access denied answer, as a line for the log.</param>
        /// <exception cref="KeyVaultReadException">the secret could not be read; the reason never holds a secret value.</exception>
        string ReadSecret(KeyVaultReference reference, string identityClientId, Action<string> onRetry);
    }

    /// <summary>Why a secret could not be read (identity, access, missing secret, network), for the operator.</summary>
    internal sealed class KeyVaultReadException : Exception
    {
        public KeyVaultReadException(string reason) : base(reason) { }
    }
}
