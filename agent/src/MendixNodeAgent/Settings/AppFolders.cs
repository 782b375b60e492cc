using System.IO;

namespace MendixNodeAgent.Settings
{
    /// <summary>Where an app's files and the agent's own log live under the apps root.</summary>
    internal static class AppFolders
    {
        public const string SettingsFileName = "Settings.yaml";

        // App names are ^[a-z0-9]{1,20}$, so a name with a hyphen can never collide with an app's folder.
        public const string AgentFolderName = "node-agent";

        public static string AppFolder(string appsRoot, string appName) => Path.Combine(appsRoot, appName);

        public static string SettingsFile(string appsRoot, string appName) => Path.Combine(AppFolder(appsRoot, appName), SettingsFileName);

        public static string AgentLogFile(string appsRoot) => Path.Combine(appsRoot, AgentFolderName, "agent.log");
    }
}
