using System;
using System.Globalization;
using System.IO;
using MendixNodeAgent.Settings;

namespace MendixNodeAgent.Rollout
{
    /// <summary>
    /// The node's drain marker: while this file exists, the site the load balancer probes answers 503 on its health
    /// path (the drain rule of <see cref="Iis.WebConfig"/>), so the load balancer takes the node out of its pool while
    /// the apps still serve the requests in flight. It lives in the agent's folder on the data disk, outside every web
    /// folder (Update-MxApp may empty an app's web folder), and holds only when and why it was made.
    /// </summary>
    internal sealed class DrainMarker
    {
        public const string FileName = "drain";

        public DrainMarker(string appsRoot)
        {
            FilePath = PathIn(appsRoot);
        }

        public string FilePath { get; }

        public bool Exists => File.Exists(FilePath);

        /// <summary>
        /// The marker's path, which the web.config names literally as a URL Rewrite condition input; braces would read
        /// as server variables there ("Condition input is an arbitrary string that can include server variables",
        /// URL Rewrite Module Configuration Reference, "Rule conditions"), so an apps root holding one is refused.
        /// </summary>
        public static string PathIn(string appsRoot)
        {
            if (appsRoot.IndexOfAny(new[] { '{', '}' }) >= 0)
            {
                throw new BadInputException($"the apps root '{appsRoot}' holds '{{' or '}}', which IIS's URL Rewrite would read as a server variable in the drain rule; use an apps root without braces");
            }

            return Path.Combine(AppFolders.AgentFolder(appsRoot), FileName);
        }

        public void Create(string reason, DateTime now)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
            AtomicFile.WriteAllText(FilePath, "drained " + now.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) + " by mendix-node-agent: " + reason + "\n");
        }

        /// <summary>What the marker says about when and why it was made, for the log.</summary>
        public string Describe()
        {
            try
            {
                var text = File.ReadAllText(FilePath).Trim();
                return text.Length == 0 ? "(empty)" : text.Length > 200 ? text.Substring(0, 200) : text;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return "(unreadable: " + e.Message + ")";
            }
        }

        public void Remove() => File.Delete(FilePath);
    }
}
