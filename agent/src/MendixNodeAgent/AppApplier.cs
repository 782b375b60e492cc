using System.IO;
using System.Linq;
using MendixNodeAgent.Blob;
using MendixNodeAgent.Logging;
using MendixNodeAgent.Settings;
using MendixNodeAgent.Windows;

namespace MendixNodeAgent
{
    /// <summary>Applies one app's blob: its Settings.yaml and, on a real node, its state in the Service Console.</summary>
    internal sealed class AppApplier
    {
        private readonly AgentLog log;
        private readonly SettingsFileWriter writer;
        private readonly IServiceConsole? serviceConsole;

        public AppApplier(AgentLog log, SettingsFileWriter writer, IServiceConsole? serviceConsole)
        {
            this.log = log;
            this.writer = writer;
            this.serviceConsole = serviceConsole;
        }

        /// <returns>the number of changes made (settings written, app created, started or restarted).</returns>
        public int Apply(NodeSettings blob, string appsRoot)
        {
            var app = blob.AppName;
            var changes = 0;

            // On a real node the console creates the app (folder and basic Settings.yaml) before we fill it in.
            var state = AppRunState.Missing;
            var created = false;
            if (serviceConsole != null)
            {
                state = serviceConsole.GetState(app);
                if (state == AppRunState.Missing)
                {
                    log.Info($"app '{app}': not known to the Service Console; creating it (New-MxApp)");
                    serviceConsole.CreateApp(app);
                    state = AppRunState.Stopped;
                    created = true;
                    changes++;
                }
            }

            var settingsChanged = WriteSettings(blob, appsRoot);
            if (settingsChanged)
            {
                changes++;
            }

            if (serviceConsole != null)
            {
                changes += BringToRunning(app, blob.Node.Leader, state, restartNeeded: created || settingsChanged);
            }

            return changes;
        }

        private bool WriteSettings(NodeSettings blob, string appsRoot)
        {
            var app = blob.AppName;
            var path = AppFolders.SettingsFile(appsRoot, app);
            var exists = File.Exists(path);
            var bytes = exists ? File.ReadAllBytes(path) : new byte[0];
            var hasByteOrderMark = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF;
            var text = exists ? File.ReadAllText(path) : string.Empty;

            var document = SettingsYamlDocument.Parse(text, path);
            var changes = SettingsYamlLayout.Apply(document, blob);
            if (changes.Count == 0)
            {
                log.Info($"app '{app}': {path} already up to date, not rewritten");
                return false;
            }

            foreach (var change in changes)
            {
                log.Info($"app '{app}': Settings.yaml: {change.Describe()}");
            }

            var backup = writer.Replace(path, document.Render(), hasByteOrderMark);
            log.Info(exists
                ? $"app '{app}': wrote {path} ({changes.Count} change(s)); previous version kept as {backup}"
                : $"app '{app}': created {path} ({changes.Count} setting(s))");
            return true;
        }

        private int BringToRunning(string app, bool leader, AppRunState state, bool restartNeeded)
        {
            var sync = leader ? " -SynchronizeDatabase (leader)" : " (follower: no database synchronisation)";
            if (state == AppRunState.Running && !restartNeeded)
            {
                log.Info($"app '{app}': running, settings unchanged, nothing to do");
                return 0;
            }

            if (state == AppRunState.Running)
            {
                log.Info($"app '{app}': settings changed; stopping (Stop-MxApp)");
                serviceConsole!.StopApp(app);
                log.Info($"app '{app}': starting (Start-MxApp{sync})");
                serviceConsole.StartApp(app, leader);
                log.Info($"app '{app}': restarted");
                return 1;
            }

            log.Info($"app '{app}': not running; starting (Start-MxApp{sync})");
            serviceConsole!.StartApp(app, leader);
            log.Info($"app '{app}': started");
            return 1;
        }
    }
}
