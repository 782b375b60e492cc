namespace MendixNodeAgent.Blob
{
    /// <summary>The blob's <c>app</c> section: which app, where IIS finds it, and which model it runs.</summary>
    internal sealed class AppSpec
    {
        public AppSpec(string name, string? hostName, int runtimePort, int adminPort, ModelSpec? model, string applicationRootUrl, string? identityClientId = null)
        {
            ApplicationRootUrl = applicationRootUrl;
            IdentityClientId = identityClientId;
            Name = name;
            HostName = hostName;
            RuntimePort = runtimePort;
            AdminPort = adminPort;
            Model = model;
        }

        /// <summary>^[a-z0-9]{1,20}$; the app's folder under the apps root and its Service Console name.</summary>
        public string Name { get; }

        /// <summary>The IIS site's host name in lower case, or null: the site answers any host name.</summary>
        public string? HostName { get; }

        public int RuntimePort { get; }

        public int AdminPort { get; }

        /// <summary>The model to deploy, or null: the app keeps the model it has.</summary>
        public ModelSpec? Model { get; }

        /// <summary>The app's public URL, such as https://app.example.com/: the runtime's ApplicationRootUrl.</summary>
        public string ApplicationRootUrl { get; }

        /// <summary>
        /// The client id (lower case) of the user-assigned managed identity the app's runtime signs in to its database and
        /// its files with (Mendix 10.10 and later), or null: it signs in with the SQL password and the storage key.
        /// </summary>
        public string? IdentityClientId { get; }
    }

    /// <summary>The MDA to deploy: its path relative to the agent's working directory (the extension's download folder), and its SHA-256.</summary>
    internal sealed class ModelSpec
    {
        public ModelSpec(string file, string sha256)
        {
            File = file;
            Sha256 = sha256;
        }

        /// <summary>A relative path with forward slashes, such as models/app/app-0123456789ab.mda.</summary>
        public string File { get; }

        /// <summary>64 lower-case hexadecimal characters.</summary>
        public string Sha256 { get; }
    }
}
