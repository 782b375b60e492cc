using System;
using System.Collections.Generic;
using System.Linq;

namespace MendixNodeAgent.Blob
{
    /// <summary>
    /// What a blob whose app signs in with its own managed identity (<c>app.identityClientId</c>) must say, so that the
    /// runtime really signs in as that identity and with nothing else (exit 2 on any breach, before anything is touched):
    /// - <c>DatabaseJdbcUrl</c> with <c>authentication=ActiveDirectoryManagedIdentity</c> (the stack's choice), its alias
    ///   <c>ActiveDirectoryMSI</c>, or <c>ActiveDirectoryDefault</c> (the one Mendix documents, mendix/docs refguide10
    ///   custom-settings, "Microsoft Azure SQL"), and <c>msiClientId</c> = the app's identity, and no user or password in
    ///   it: for all three the Microsoft JDBC Driver takes the user-assigned identity's client id from <c>user</c> when one
    ///   is set, else from <c>msiClientId</c> (ActiveDirectoryDefault hands it to DefaultAzureCredential as its managed
    ///   identity client id, mssql-jdbc 12.2 and later), and refuses a password (microsoft/mssql-jdbc,
    ///   SQLServerConnection.java, SQLServerSecurityUtility.getDefaultAzureCredAuthToken); <c>runtimeSettings</c> has no
    ///   user and no password;
    /// - <c>com.mendix.storage.azure.UseDefaultAzureCredential</c> 'true', and no account key or shared access signature
    ///   (mendix/docs, refguide10/runtime/custom-settings, "Microsoft Azure Blob Storage Settings").
    /// </summary>
    internal static class IdentitySignIn
    {
        public const string JdbcUrlSetting = "DatabaseJdbcUrl";
        public const string DefaultCredentialSetting = "com.mendix.storage.azure.UseDefaultAzureCredential";

        private static readonly string[] ManagedIdentityAuthentication = { "ActiveDirectoryManagedIdentity", "ActiveDirectoryMSI", "ActiveDirectoryDefault" };
        private static readonly string[] CredentialProperties = { "user", "userName", "password" };
        private static readonly string[] SecretStorageSettings = { "com.mendix.storage.azure.AccountKey", "com.mendix.storage.azure.SharedAccessSignature" };

        public static void Check(BlobMapping custom, IReadOnlyList<KeyValuePair<string, string>> settings, string clientId)
        {
            string? Setting(string key) => settings.Where(s => s.Key == key).Select(s => s.Value).FirstOrDefault();
            var why = $"app.identityClientId is {clientId}, so the app's runtime signs in as that managed identity";

            var url = Setting(JdbcUrlSetting);
            if (url == null)
            {
                throw custom.Fail(JdbcUrlSetting, $"is missing; {why}: it must be a JDBC URL with authentication=ActiveDirectoryManagedIdentity;msiClientId={clientId}");
            }

            var properties = JdbcProperties(url);
            if (!properties.TryGetValue("authentication", out var authentication) || !ManagedIdentityAuthentication.Contains(authentication, StringComparer.OrdinalIgnoreCase))
            {
                throw custom.Fail(JdbcUrlSetting, $"does not set authentication=ActiveDirectoryManagedIdentity (or ActiveDirectoryMSI, or ActiveDirectoryDefault); {why}");
            }

            if (!properties.TryGetValue("msiClientId", out var msiClientId) || !string.Equals(msiClientId, clientId, StringComparison.OrdinalIgnoreCase))
            {
                throw custom.Fail(JdbcUrlSetting, $"names msiClientId '{msiClientId}'; {why}: msiClientId={clientId}");
            }

            var credential = CredentialProperties.FirstOrDefault(properties.ContainsKey);
            if (credential != null)
            {
                throw custom.Fail(JdbcUrlSetting, $"sets the property '{credential}'; {why}, with no user or password (the JDBC driver takes a user as the identity's client id, and refuses a password)");
            }

            if (Setting(DefaultCredentialSetting) != "true")
            {
                throw custom.Fail(DefaultCredentialSetting, $"must be 'true'; {why} to Azure Blob Storage too");
            }

            var secret = SecretStorageSettings.FirstOrDefault(key => Setting(key) != null);
            if (secret != null)
            {
                throw custom.Fail(secret, $"is set; {why}, with no key or shared access signature: remove it");
            }
        }

        /// <summary>The properties of a JDBC URL <c>jdbc:sqlserver://host:port;key=value;...</c>, keys in any case.</summary>
        private static Dictionary<string, string> JdbcProperties(string url)
        {
            var properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var part in url.Split(';').Skip(1))
            {
                var equals = part.IndexOf('=');
                if (equals > 0)
                {
                    properties[part.Substring(0, equals).Trim()] = part.Substring(equals + 1).Trim();
                }
            }

            return properties;
        }
    }
}
