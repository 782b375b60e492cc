using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using MendixNodeAgent.Settings;

namespace MendixNodeAgent.Node
{
    /// <summary>
    /// What the last completed 'apply' left an app as, kept on the data disk as key=value lines
    /// (<c>&lt;appsRoot&gt;\node-agent\completed\&lt;app&gt;.completed</c>): whether it runs, on the leader or a follower,
    /// with which model (SHA-256 of the MDA) and which Settings.yaml (its SHA-256), and the rollout's ready timeout. The
    /// boot task ('resume') brings the app back to exactly this. It holds no secret.
    /// </summary>
    internal sealed class CompletedApp
    {
        public const string FolderName = "completed";
        private const string Extension = ".completed";

        public CompletedApp(string appName, bool leader, bool running, string? modelSha256, string settingsSha256, int readyTimeoutSeconds)
        {
            AppName = appName;
            Leader = leader;
            Running = running;
            ModelSha256 = modelSha256;
            SettingsSha256 = settingsSha256;
            ReadyTimeoutSeconds = readyTimeoutSeconds;
        }

        public string AppName { get; }

        public bool Leader { get; }

        /// <summary>Whether the run left the app started (an app without any model is not).</summary>
        public bool Running { get; }

        /// <summary>The deployed model's SHA-256, or null when the app has none.</summary>
        public string? ModelSha256 { get; }

        public string SettingsSha256 { get; }

        public int ReadyTimeoutSeconds { get; }

        public static string Folder(string appsRoot) => Path.Combine(AppFolders.AgentFolder(appsRoot), FolderName);

        public static string FileOf(string appsRoot, string appName) => Path.Combine(Folder(appsRoot), appName + Extension);

        public void Write(string appsRoot)
        {
            Directory.CreateDirectory(Folder(appsRoot));
            var text = new StringBuilder()
                .Append("app=").Append(AppName).Append('\n')
                .Append("leader=").Append(Leader ? "true" : "false").Append('\n')
                .Append("running=").Append(Running ? "true" : "false").Append('\n')
                .Append("modelSha256=").Append(ModelSha256 ?? "none").Append('\n')
                .Append("settingsSha256=").Append(SettingsSha256).Append('\n')
                .Append("readyTimeoutSeconds=").Append(ReadyTimeoutSeconds.ToString(CultureInfo.InvariantCulture)).Append('\n')
                .ToString();
            AtomicFile.WriteAllText(FileOf(appsRoot, AppName), text);
        }

        /// <summary>Every app's record, in name order; a record that cannot be read stops the resume, naming its file.</summary>
        public static IReadOnlyList<CompletedApp> ReadAll(string appsRoot)
        {
            var folder = Folder(appsRoot);
            if (!Directory.Exists(folder))
            {
                return new CompletedApp[0];
            }

            return Directory.GetFiles(folder, "*" + Extension).OrderBy(f => f, StringComparer.Ordinal).Select(Read).ToList();
        }

        private static CompletedApp Read(string file)
        {
            var values = KeyValueLines.Read(file);

            string Value(string key) => values.TryGetValue(key, out var value) && value.Length > 0
                ? value
                : throw new AgentFailureException($"resume: {file} has no '{key}'; it was not written by the agent: delete it and run the extension again");

            if (!int.TryParse(Value("readyTimeoutSeconds"), NumberStyles.None, CultureInfo.InvariantCulture, out var ready))
            {
                throw new AgentFailureException($"resume: {file} has readyTimeoutSeconds '{values["readyTimeoutSeconds"]}', which is not a number; delete it and run the extension again");
            }

            var model = Value("modelSha256");
            return new CompletedApp(Value("app"), Value("leader") == "true", Value("running") == "true", model == "none" ? null : model, Value("settingsSha256"), ready);
        }
    }
}
