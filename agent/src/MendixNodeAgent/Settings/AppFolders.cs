using System.Collections.Generic;
using System.IO;

namespace MendixNodeAgent.Settings
{
    /// <summary>Where an app's files and the agent's own files live under the apps root.</summary>
    internal static class AppFolders
    {
        public const string SettingsFileName = "Settings.yaml";

        // App names are ^[a-z0-9]{1,20}$, so a name with a hyphen can never collide with an app's folder.
        public const string AgentFolderName = "node-agent";

        public static string AppFolder(string appsRoot, string appName) => Path.Combine(appsRoot, appName);

        public static string SettingsFile(string appsRoot, string appName) => Path.Combine(AppFolder(appsRoot, appName), SettingsFileName);

        /// <summary>Which custom runtime settings the agent wrote to the app's Settings.yaml (one key a line), kept beside it.</summary>
        public static string ManagedSettingsFile(string appsRoot, string appName) => Path.Combine(AppFolder(appsRoot, appName), SettingsFileName + ".agent-keys");

        /// <summary>The folder IIS serves: the app's Project\Web (mendix/docs, deployment/on-premises-design/ms-windows/_index.md, "Creating a Website").</summary>
        public static string WebFolder(string appsRoot, string appName) => Path.Combine(AppFolder(appsRoot, appName), "Project", "Web");

        public static string WebConfigFile(string appsRoot, string appName) => Path.Combine(WebFolder(appsRoot, appName), "web.config");

        /// <summary>The unpacked model's metadata: an app has a model to run once it exists, whoever put it there.</summary>
        public static string ModelMetadataFile(string appsRoot, string appName) => Path.Combine(AppFolder(appsRoot, appName), "Project", "model", "metadata.json");

        public static string AgentFolder(string appsRoot) => Path.Combine(appsRoot, AgentFolderName);

        public static string AgentLogFile(string appsRoot) => Path.Combine(AgentFolder(appsRoot), "agent.log");

        /// <summary>What the agent last deployed to the app.</summary>
        public static string DeployedModelFile(string appsRoot, string appName) => Path.Combine(AgentFolder(appsRoot), "models", appName + ".deployed");

        /// <summary>
        /// The generated password of the app's service account. Its folder is readable by SYSTEM and Administrators only
        /// (the agent sets that access list, without inheritance, before it writes the file).
        /// </summary>
        public static string ServiceAccountSecretFile(string appsRoot, string appName) => Path.Combine(AgentFolder(appsRoot), "accounts", appName + ".password");

        /// <summary>
        /// The folders of the app that its service account must be able to use, with the right it needs on each; the
        /// console's cmdlets grant none (Update-MxApp sets no file access rights: mendix/docs,
        /// content/en/docs/releasenotes/studio-pro/windows-service.md, 4.6.1). The runtime reads its model under Project,
        /// writes uploaded files, temporary files, model uploads and its cache under Project\data, and its logs under Log
        /// (the app folder's Backup, Log, Project, Service: mendix/docs, deployment/on-premises-design/ms-windows/_index.md).
        /// </summary>
        public static IReadOnlyList<FolderGrant> ServiceAccountFolders(string appsRoot, string appName)
        {
            var app = AppFolder(appsRoot, appName);
            return new[]
            {
                new FolderGrant(Path.Combine(app, "Project"), FolderRight.ReadAndExecute),
                new FolderGrant(Path.Combine(app, "Project", "data"), FolderRight.Modify),
                new FolderGrant(Path.Combine(app, "Log"), FolderRight.Modify),
                // The runtime runs from its server distribution (mendix/docs, deployment/on-premises-design/ms-windows/
                // updating-a-mendix-application.md: the service account needs Read & Execute on the Servers folder).
                new FolderGrant(ServersFolder(appsRoot), FolderRight.ReadAndExecute),
            };
        }

        /// <summary>
        /// The Service Console's server distributions: ApplicationManagerSettings.ServersPath, FilesPath\Servers beside the
        /// apps' FilesPath\Apps (Service Console 4.7.1 binaries, Mendix.Service.Management.dll).
        /// </summary>
        public static string ServersFolder(string appsRoot) => Path.Combine(ServiceConsoleFilesLocation(appsRoot), "Servers");

        /// <summary>
        /// What IIS's worker processes (IIS_IUSRS) must read for the app's site: every folder from the drive down to the web
        /// folder, each on itself only, so that they can pass through it without reading what the app folder holds (its
        /// Settings.yaml has the database password), then the web folder and everything in it; and the agent's folder on
        /// itself, where the drain rule's IsFile looks for the drain marker ("the IIS user must be able to read all the
        /// folders in the hierarchy": mendix/docs, deployment/on-premises-design/ms-windows/troubleshooting-iis.md, "IIS
        /// Access Permission Error").
        /// </summary>
        public static IReadOnlyList<FolderGrant> IisReadFolders(string appsRoot, string appName)
        {
            var web = WebFolder(appsRoot, appName);
            var grants = new List<FolderGrant>();
            for (var folder = Path.GetDirectoryName(web); folder != null && Path.GetDirectoryName(folder) != null; folder = Path.GetDirectoryName(folder))
            {
                grants.Insert(0, new FolderGrant(folder, FolderRight.ReadAndExecute, inherited: false));
            }

            grants.Add(new FolderGrant(web, FolderRight.ReadAndExecute));
            grants.Add(new FolderGrant(AgentFolder(appsRoot), FolderRight.ReadAndExecute, inherited: false));
            return grants;
        }

        /// <summary>Where installers and server distributions are downloaded to, on the data disk.</summary>
        public static string DownloadFolder(string appsRoot) => Path.Combine(AgentFolder(appsRoot), "downloads");

        /// <summary>
        /// The Service Console's "location of apps and server files": the folder that holds the apps root
        /// (M:\Mendix for M:\Mendix\Apps; mendix/docs, deployment/on-premises-design/ms-windows/_index.md).
        /// </summary>
        public static string ServiceConsoleFilesLocation(string appsRoot)
        {
            var trimmed = appsRoot.TrimEnd('\\', '/');
            var cut = trimmed.LastIndexOfAny(new[] { '\\', '/' });
            if (cut < 0)
            {
                return trimmed;
            }

            // M:\Apps: the location is the drive's root, M:\
            return cut == 2 && trimmed[1] == ':' ? trimmed.Substring(0, 3) : trimmed.Substring(0, cut);
        }
    }
}
