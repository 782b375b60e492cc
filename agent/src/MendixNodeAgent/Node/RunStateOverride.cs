using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace MendixNodeAgent.Node
{
    /// <summary>
    /// Whether an app should run, as something outside the agent's runs last decided it: a Run Command of the stack that
    /// stopped the app on purpose (before a new model with stopAll, before a restore, a failover's stop) or started it (a
    /// failover's start on a standby node). Kept beside the app's <see cref="CompletedApp"/> record as key=value lines
    /// (<c>&lt;appsRoot&gt;\node-agent\completed\&lt;app&gt;.override</c>: app, running, by, at), written by those scripts
    /// with the few lines of PowerShell <c>components/plan/runStateOverride.ts</c> renders. The boot task's 'resume'
    /// honours it over the record; the next 'apply' that completes removes every override it found when it took the node
    /// lock (<see cref="Snapshot"/>, <see cref="RemoveSuperseded"/>), since that run decided each app's state itself, and
    /// keeps one written while it ran.
    /// </summary>
    internal sealed class RunStateOverride
    {
        public const string Extension = ".override";

        public RunStateOverride(string appName, bool running, string by, string at)
        {
            AppName = appName;
            Running = running;
            By = by;
            At = at;
        }

        public string AppName { get; }

        public bool Running { get; }

        /// <summary>What set it: the Run Command's name (e.g. mendix-stop-1a2b3c4d) or the failover step.</summary>
        public string By { get; }

        /// <summary>When, as the script wrote it (UTC, ISO 8601).</summary>
        public string At { get; }

        public string Describe() => $"{(Running ? "started" : "stopped")} on purpose by {By} at {At}";

        public static string FileOf(string appsRoot, string appName) => Path.Combine(CompletedApp.Folder(appsRoot), appName + Extension);

        /// <summary>The app's override, or null when it has none; one that cannot be read fails, naming its file.</summary>
        public static RunStateOverride? Read(string appsRoot, string appName)
        {
            var file = FileOf(appsRoot, appName);
            if (!File.Exists(file))
            {
                return null;
            }

            var values = KeyValueLines.Read(file);

            string Value(string key) => values.TryGetValue(key, out var value) && value.Length > 0
                ? value
                : throw new AgentFailureException($"{file} has no '{key}'; it was not written by the stack's Run Command: delete it, or run the command that stopped or started the app again");

            var running = Value("running");
            if (running != "true" && running != "false")
            {
                throw new AgentFailureException($"{file} has running '{running}'; allowed: true or false");
            }

            if (!string.Equals(Value("app"), appName, StringComparison.Ordinal))
            {
                throw new AgentFailureException($"{file} is for app '{values["app"]}', not '{appName}'; delete it");
            }

            return new RunStateOverride(appName, running == "true", Value("by"), Value("at"));
        }

        /// <summary>Every override there is now: file to its text.</summary>
        public static IReadOnlyDictionary<string, string> Snapshot(string appsRoot)
        {
            var folder = CompletedApp.Folder(appsRoot);
            return Directory.Exists(folder)
                ? Directory.GetFiles(folder, "*" + Extension).ToDictionary(file => file, File.ReadAllText, StringComparer.OrdinalIgnoreCase)
                : new Dictionary<string, string>();
        }

        /// <summary>Removes the overrides of <paramref name="snapshot"/> that are still as they were; returns their apps.</summary>
        public static IReadOnlyList<string> RemoveSuperseded(IReadOnlyDictionary<string, string> snapshot)
        {
            var removed = new List<string>();
            foreach (var entry in snapshot.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                if (File.Exists(entry.Key) && File.ReadAllText(entry.Key) == entry.Value)
                {
                    File.Delete(entry.Key);
                    removed.Add(Path.GetFileNameWithoutExtension(entry.Key));
                }
            }

            return removed;
        }
    }
}
