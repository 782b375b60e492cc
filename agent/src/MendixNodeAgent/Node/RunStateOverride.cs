using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MendixNodeAgent.Blob;
using MendixNodeAgent.Logging;

namespace MendixNodeAgent.Node
{
    /// <summary>How long a <see cref="RunStateOverride"/> holds.</summary>
    internal enum RunStateUntil
    {
        /// <summary>Until the next 'apply' that completes (a stop before a new model, before a restore).</summary>
        NextRun,

        /// <summary>
        /// Until the next regional failover writes the app's override again: a failover's stop or start, which every later
        /// 'apply' honours over the settings blobs' <c>standby.serving</c> (during a region's loss the blobs, in the lost
        /// region's storage account, cannot be rewritten).
        /// </summary>
        NextFailover,
    }

    /// <summary>
    /// Whether an app should run, as something outside the agent's runs last decided it: a Run Command of the stack that
    /// stopped the app on purpose (before a new model with stopAll, before a restore, a failover's stop) or started it (a
    /// failover's start on a standby node). Kept beside the app's <see cref="CompletedApp"/> record as key=value lines
    /// (<c>&lt;appsRoot&gt;\node-agent\completed\&lt;app&gt;.override</c>: app, running, by, at, until), written by those
    /// scripts with the few lines of PowerShell <c>components/plan/runStateOverride.ts</c> renders, the one writer. The boot
    /// task's 'resume' honours it over the record. One held until the next run: the next 'apply' that completes removes
    /// every such override it found when it took the node lock (<see cref="Snapshot"/>, <see cref="RemoveSuperseded"/>),
    /// since that run decided each app's state itself, and keeps one written while it ran. One held until the next
    /// failover: every 'apply' runs the app as it says (<see cref="HeldByFailover"/>) and keeps it.
    /// </summary>
    internal sealed class RunStateOverride
    {
        public const string Extension = ".override";

        private const string NextRunWord = "next-run";
        private const string NextFailoverWord = "next-failover";

        public RunStateOverride(string appName, bool running, string by, string at, RunStateUntil until)
        {
            AppName = appName;
            Running = running;
            By = by;
            At = at;
            Until = until;
        }

        public string AppName { get; }

        public bool Running { get; }

        /// <summary>What set it: the Run Command's name (e.g. mendix-stop-1a2b3c4d) or the failover step.</summary>
        public string By { get; }

        /// <summary>When, as the script wrote it (UTC, ISO 8601).</summary>
        public string At { get; }

        public RunStateUntil Until { get; }

        public string Describe() => $"{(Running ? "started" : "stopped")} on purpose by {By} at {At}";

        /// <summary>How long it holds, in words.</summary>
        public string Holds() => Until == RunStateUntil.NextRun ? "until the next completed run of the extension" : "until the next regional failover";

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

            var until = Value("until") switch
            {
                NextRunWord => RunStateUntil.NextRun,
                NextFailoverWord => RunStateUntil.NextFailover,
                var other => throw new AgentFailureException($"{file} has until '{other}'; allowed: {NextRunWord} or {NextFailoverWord}"),
            };
            return new RunStateOverride(appName, running == "true", Value("by"), Value("at"), until);
        }

        /// <summary>Every override held until the next run there is now: file to its text.</summary>
        public static IReadOnlyDictionary<string, string> Snapshot(string appsRoot)
        {
            var folder = CompletedApp.Folder(appsRoot);
            return Directory.Exists(folder)
                ? Directory.GetFiles(folder, "*" + Extension)
                    .Where(file => Read(appsRoot, Path.GetFileNameWithoutExtension(file))?.Until == RunStateUntil.NextRun)
                    .ToDictionary(file => file, File.ReadAllText, StringComparer.OrdinalIgnoreCase)
                : new Dictionary<string, string>();
        }

        /// <summary>
        /// The blobs as a regional failover left each app: one whose override holds until the next failover runs or stands by
        /// as it says, whatever its blob's <c>standby.serving</c> (or its absence, on the stack region's nodes) says.
        /// </summary>
        public static IReadOnlyList<NodeSettings> HeldByFailover(IReadOnlyList<NodeSettings> blobs, string appsRoot, AgentLog log) =>
            blobs.Select(blob =>
            {
                var held = Read(appsRoot, blob.AppName);
                if (held == null || held.Until != RunStateUntil.NextFailover)
                {
                    return blob;
                }

                if (blob.StandsBy == held.Running)
                {
                    log.Info($"app '{blob.AppName}': {held.Describe()} ({FileOf(appsRoot, blob.AppName)}); that holds over what its settings blob says, {held.Holds()}");
                }

                return blob.WithRegionServing(held.Running);
            }).ToList();

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
