using System.Text.RegularExpressions;

namespace MendixNodeAgent.Settings
{
    /// <summary>
    /// How the client id of the app's identity reaches its runtime's JVM: <c>-DAZURE_CLIENT_ID=&lt;client id&gt;</c> in the
    /// Service Console's <c>Runtime.OtherVMArguments</c>, which the console appends to the java command line (Service
    /// Console 4.7.1 binaries, facts sheet "Database and environment as the console passes them"). azure-identity's
    /// DefaultAzureCredential, which the runtime uses for Blob Storage with
    /// <c>com.mendix.storage.azure.UseDefaultAzureCredential</c>, signs in as the user-assigned identity named by
    /// AZURE_CLIENT_ID (Azure/azure-sdk-for-java, DefaultAzureCredentialBuilder: <c>managedIdentityClientId =
    /// configuration.get(PROPERTY_AZURE_CLIENT_ID)</c>), and azure-core's configuration reads a JVM system property before
    /// the environment (EnvironmentConfiguration). A VM with several user-assigned identities gives no token to a request
    /// that names none. The database's JDBC URL names the identity itself (msiClientId).
    /// Anything else in OtherVMArguments is the operator's and stays as it is.
    /// </summary>
    internal static class JvmArguments
    {
        public const string ClientIdProperty = "AZURE_CLIENT_ID";

        private static readonly Regex ClientIdArgument = new Regex(@"(^|\s+)-D" + ClientIdProperty + @"=\S*", RegexOptions.CultureInvariant);

        /// <summary>OtherVMArguments naming <paramref name="clientId"/> (none: naming no identity); null when nothing is left.</summary>
        public static string? WithClientId(string? arguments, string? clientId)
        {
            var others = ClientIdArgument.Replace(arguments ?? string.Empty, string.Empty).Trim();
            var own = clientId == null ? string.Empty : ClientIdArgumentFor(clientId);
            var result = (others + " " + own).Trim();
            return result.Length == 0 ? null : result;
        }

        public static string ClientIdArgumentFor(string clientId) => "-D" + ClientIdProperty + "=" + clientId;
    }
}
