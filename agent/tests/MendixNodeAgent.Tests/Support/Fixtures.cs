using System;
using System.IO;

namespace MendixNodeAgent.Tests.Support
{
    public static class Fixtures
    {
        public const string Leader = "leader-app.yaml";
        public const string Follower = "follower-app.yaml";
        public const string LicensedFollower = "licensed-follower-app.yaml";
        public const string ExistingSettings = "existing-settings.yaml";
        public const string ExistingManagedKeys = "existing-settings.agent-keys";
        public const string EarlierLayoutSettings = "earlier-layout-settings.yaml";
        public const string KeyVaultFollower = "keyvault-follower-app.yaml";
        public const string IdentityFollower = "identity-follower-app.yaml";

        /// <summary>app.identityClientId of the identity fixture: the app's own user-assigned identity.</summary>
        public const string AppClientId = "3d4c5b6a-0000-4000-8000-0000000000a1";

        public const string SqlPassword = "fixture-sql-password";
        public const string StorageKey = "fixture-storage-key";
        public const string LicenseSecret = "fixture-license-secret";

        public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

        public static string Text(string name) => File.ReadAllText(PathOf(name));

        /// <summary>Writes a variant of a fixture (text replaced) to a new file and returns its path.</summary>
        public static string Variant(string directory, string name, string from, string to, string? fileName = null)
        {
            var text = Text(name);
            if (!text.Contains(from))
            {
                throw new InvalidOperationException($"fixture {name} does not contain '{from}'");
            }

            return WriteBlob(directory, text.Replace(from, to), fileName);
        }

        public const string AppSection = "app:\n  name: app\n  runtimePort: 8080\n  adminPort: 8090\n  applicationRootUrl: http://mxdev-app.westeurope.cloudapp.azure.com/\n";

        /// <summary>A blob text turned into the blob of another app of the same node: its own name, host name and ports.</summary>
        public static string AsOtherApp(string text, string name, int runtimePort = 8081, int adminPort = 8091)
        {
            if (!text.Contains(AppSection))
            {
                throw new InvalidOperationException("the blob text does not hold the fixtures' app section");
            }

            return text.Replace(AppSection, $"app:\n  name: {name}\n  hostName: {name}.example.com\n  runtimePort: {runtimePort}\n  adminPort: {adminPort}\n  applicationRootUrl: http://{name}.example.com/\n");
        }

        public static string WriteBlob(string directory, string text, string? fileName = null)
        {
            Directory.CreateDirectory(directory);
            var path = Path.Combine(directory, fileName ?? Guid.NewGuid().ToString("N") + ".yaml");
            File.WriteAllText(path, text);
            return path;
        }
    }
}
