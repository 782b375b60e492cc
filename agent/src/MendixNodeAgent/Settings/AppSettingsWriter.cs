using System.IO;
using System.Linq;
using MendixNodeAgent.Blob;
using MendixNodeAgent.Logging;

namespace MendixNodeAgent.Settings
{
    /// <summary>What writing an app's Settings.yaml did.</summary>
    internal enum SettingsWrite
    {
        Unchanged,

        /// <summary>Written, but only what the console reads (Service.StartMode): the running app needs no restart.</summary>
        ConsoleOnly,

        /// <summary>Written, with something the runtime reads at its start.</summary>
        RestartNeeded,
    }

    /// <summary>Writes one app's Settings.yaml in the layout the Service Console reads, only when something changed.</summary>
    internal sealed class AppSettingsWriter
    {
        private readonly AgentLog log;
        private readonly SettingsFileWriter writer;

        public AppSettingsWriter(AgentLog log, SettingsFileWriter writer)
        {
            this.log = log;
            this.writer = writer;
        }

        /// <param name="javaPath">the folder of the app's Java, or null when it is not known in this run.</param>
        public SettingsWrite Write(NodeSettings blob, string appsRoot, string? javaPath)
        {
            var app = blob.AppName;
            var path = AppFolders.SettingsFile(appsRoot, app);
            var statePath = AppFolders.ManagedSettingsFile(appsRoot, app);
            var exists = File.Exists(path);
            var bytes = exists ? File.ReadAllBytes(path) : new byte[0];
            var hasByteOrderMark = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF;
            var text = exists ? File.ReadAllText(path) : string.Empty;

            var document = SettingsYamlDocument.Parse(text, path);
            var managedBefore = ManagedSettingsState.Read(statePath);
            var result = SettingsYamlLayout.Apply(document, blob, javaPath, managedBefore, path);
            if (result.Changes.Count == 0)
            {
                ManagedSettingsState.Write(statePath, result.ManagedCustomSettings);
                log.Info($"app '{app}': {path} already up to date, not rewritten");
                return SettingsWrite.Unchanged;
            }

            foreach (var change in result.Changes)
            {
                log.Info($"app '{app}': Settings.yaml: {change.Describe()}");
            }

            // Recorded before the file is written, so a key in the file is always in the record, even after a crash in between.
            ManagedSettingsState.Write(statePath, managedBefore.Concat(result.ManagedCustomSettings));
            var backup = writer.Replace(path, document.Render(), hasByteOrderMark);
            ManagedSettingsState.Write(statePath, result.ManagedCustomSettings);
            log.Info(exists
                ? $"app '{app}': wrote {path} ({result.Changes.Count} change(s)); previous version kept as {backup}"
                : $"app '{app}': created {path} ({result.Changes.Count} setting(s))");
            return result.Changes.Any(change => change.ReadByRuntime) ? SettingsWrite.RestartNeeded : SettingsWrite.ConsoleOnly;
        }
    }
}
