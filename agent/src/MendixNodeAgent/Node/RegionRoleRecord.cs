using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MendixNodeAgent.Blob;
using MendixNodeAgent.Logging;
using MendixNodeAgent.Settings;

namespace MendixNodeAgent.Node
{
    /// <summary>What a regional failover last told the node: to serve, or to stand by.</summary>
    internal enum RegionRole
    {
        Serving,
        StandingBy,
    }

    /// <summary>
    /// The node's region role as the last regional failover left it, one word in <c>&lt;appsRoot&gt;\node-agent\region-role</c>:
    /// <c>serving</c> or <c>standing-by</c>, written by the 'serve' and 'stand-by' commands that <c>npm run failover</c> runs on
    /// each node it starts or stops. It overrides the settings blobs' <c>standby.serving</c> (or its absence, on the stack
    /// region's nodes) in every later 'apply': during a region's loss the blobs, kept in the lost region's storage account,
    /// cannot be rewritten (its resource provider does not fail over), so the failover's word must outlast an extension run
    /// and a restart. No record: the blobs decide.
    /// </summary>
    internal static class RegionRoleRecord
    {
        private const string ServingWord = "serving";
        private const string StandingByWord = "standing-by";

        public static string FileIn(string appsRoot) => Path.Combine(AppFolders.AgentFolder(appsRoot), "region-role");

        public static RegionRole? Read(string appsRoot)
        {
            var file = FileIn(appsRoot);
            if (!File.Exists(file))
            {
                return null;
            }

            var word = File.ReadAllText(file).Trim();
            return word switch
            {
                ServingWord => RegionRole.Serving,
                StandingByWord => RegionRole.StandingBy,
                _ => throw new AgentFailureException(
                    $"{file} says '{word}'; allowed: '{ServingWord}' or '{StandingByWord}', as 'serve' and 'stand-by' write it: run the one the node's region needs "
                    + "(npm run failover does, see docs/losing-a-region.md)"),
            };
        }

        public static void Write(string appsRoot, RegionRole role)
        {
            Directory.CreateDirectory(AppFolders.AgentFolder(appsRoot));
            AtomicFile.WriteAllText(FileIn(appsRoot), (role == RegionRole.Serving ? ServingWord : StandingByWord) + "\n");
        }

        /// <summary>The blobs as the node's region role has them: each told to serve or stand by, when a failover said which.</summary>
        public static IReadOnlyList<NodeSettings> Applied(IReadOnlyList<NodeSettings> blobs, string appsRoot, AgentLog log)
        {
            var role = Read(appsRoot);
            if (role == null)
            {
                return blobs;
            }

            var serving = role == RegionRole.Serving;
            if (blobs.Any(blob => blob.StandsBy == serving))
            {
                log.Info($"region role: the last regional failover told this node to {(serving ? "serve" : "stand by")} ({FileIn(appsRoot)}); "
                    + "that holds over what its settings blobs say, until a failover says otherwise");
            }

            return blobs.Select(blob => blob.WithRegionServing(serving)).ToList();
        }
    }
}
