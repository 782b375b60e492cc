using System;
using System.IO;
using System.Linq;

namespace MendixNodeAgent.Tests.Support
{
    /// <summary>
    /// A temporary folder laid out as a node's apps root: the Apps folder of the Service Console's
    /// "location of apps and server files" (its parent).
    /// </summary>
    public sealed class TempAppsRoot : IDisposable
    {
        private readonly string location;

        public TempAppsRoot()
        {
            location = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mendix-node-agent-tests", Guid.NewGuid().ToString("N"));
            Path = System.IO.Path.Combine(location, "Apps");
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        /// <summary>The Service Console's location of apps and server files, which holds this apps root.</summary>
        public string Location => location;

        public string SettingsFile(string app = "app") => System.IO.Path.Combine(Path, app, "Settings.yaml");

        public string AppFolder(string app = "app") => System.IO.Path.Combine(Path, app);

        public string WebConfig(string app = "app") => System.IO.Path.Combine(Path, app, "Project", "Web", "web.config");

        public string DeployedModelFile(string app = "app") => System.IO.Path.Combine(Path, "node-agent", "models", app + ".deployed");

        public string LogFile => System.IO.Path.Combine(Path, "node-agent", "agent.log");

        public string[] AllFiles() => Directory.Exists(Path)
            ? Directory.GetFiles(Path, "*", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal).ToArray()
            : new string[0];

        public bool IsEmpty => !Directory.EnumerateFileSystemEntries(Path).Any();

        public string[] Backups(string app = "app") =>
            Directory.GetFiles(AppFolder(app), "Settings.yaml.bak-*").OrderBy(f => f, StringComparer.Ordinal).ToArray();

        public void PlaceExistingSettings(string fixtureName, string app = "app")
        {
            Directory.CreateDirectory(AppFolder(app));
            File.Copy(Fixtures.PathOf(fixtureName), SettingsFile(app));
        }

        public string ManagedKeysFile(string app = "app") => System.IO.Path.Combine(Path, app, "Settings.yaml.agent-keys");

        /// <summary>The record of the custom settings an earlier run of the agent wrote.</summary>
        public void PlaceManagedKeys(string fixtureName, string app = "app")
        {
            Directory.CreateDirectory(AppFolder(app));
            File.Copy(Fixtures.PathOf(fixtureName), ManagedKeysFile(app));
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(location, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
