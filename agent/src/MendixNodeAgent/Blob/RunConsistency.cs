using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace MendixNodeAgent.Blob
{
    /// <summary>
    /// The rules that span all blobs of one run: one node, one data disk, one apps root, no app twice,
    /// one prerequisites and one site section, distinct ports and host names, and exactly one app
    /// without a host name (the site the load balancer's probes reach).
    /// </summary>
    internal static class RunConsistency
    {
        public static void Check(IReadOnlyList<NodeSettings> blobs)
        {
            var first = blobs[0];
            var appsSeen = new Dictionary<string, string>();
            var portsSeen = new Dictionary<int, string>();
            var hostNamesSeen = new Dictionary<string, string>();
            foreach (var blob in blobs)
            {
                Same(first, blob, "node.name", first.Node.Name, blob.Node.Name);
                Same(first, blob, "node.index", first.Node.Index.ToString(CultureInfo.InvariantCulture), blob.Node.Index.ToString(CultureInfo.InvariantCulture));
                Same(first, blob, "node.computerName", first.Node.ComputerName, blob.Node.ComputerName);
                Same(first, blob, "node.leader", first.Node.Leader ? "true" : "false", blob.Node.Leader ? "true" : "false");
                Same(first, blob, "node.dataDisk.lun", first.Node.DataDiskLun.ToString(CultureInfo.InvariantCulture), blob.Node.DataDiskLun.ToString(CultureInfo.InvariantCulture));
                Same(first, blob, "node.dataDisk.driveLetter", first.Node.DriveLetter.ToString(), blob.Node.DriveLetter.ToString());
                Same(first, blob, "node.appsRoot", first.Node.AppsRoot, blob.Node.AppsRoot);
                SameSection(first, blob, "prerequisites", first.Prerequisites.Describe(full: true), blob.Prerequisites.Describe(full: true), first.Prerequisites.ToString(), blob.Prerequisites.ToString());
                SameSection(first, blob, "site", first.Site.ToString(), blob.Site.ToString(), first.Site.ToString(), blob.Site.ToString());
                SameSection(first, blob, "rollout", first.Rollout.ToString(), blob.Rollout.ToString(), first.Rollout.ToString(), blob.Rollout.ToString());
                Same(first, blob, "node.identityClientId", first.Node.IdentityClientId, blob.Node.IdentityClientId);

                if (appsSeen.TryGetValue(blob.AppName, out var earlierFile))
                {
                    throw new BadInputException(
                        $"{blob.SourceFile}: key 'app.name' has value '{blob.AppName}', which {earlierFile} already names; each app is allowed once per run (one blob per app)");
                }

                appsSeen.Add(blob.AppName, blob.SourceFile);
                DistinctPort(blob, "app.runtimePort", blob.App.RuntimePort, portsSeen);
                DistinctPort(blob, "app.adminPort", blob.App.AdminPort, portsSeen);

                var hostName = blob.App.HostName;
                if (hostName != null)
                {
                    if (hostNamesSeen.TryGetValue(hostName, out var holder))
                    {
                        throw new BadInputException(
                            $"{blob.SourceFile}: key 'app.hostName' has value '{hostName}', which {holder} already uses; every app of a node needs its own host name");
                    }

                    hostNamesSeen.Add(hostName, $"{blob.SourceFile} (app '{blob.AppName}')");
                }
            }

            var withoutHostName = blobs.Where(blob => blob.App.HostName == null).ToList();
            if (withoutHostName.Count > 1)
            {
                throw new BadInputException(
                    $"{withoutHostName[1].SourceFile}: key 'app.hostName' is missing, and {withoutHostName[0].SourceFile} (app '{withoutHostName[0].AppName}') leaves it out too; "
                    + "exactly one app of a node answers any host name, every other app needs its own app.hostName");
            }

            if (withoutHostName.Count == 0)
            {
                throw new BadInputException(
                    $"{first.SourceFile}: key 'app.hostName' is given for every app of node {first.Node.Name} ({string.Join(", ", blobs.Select(b => b.AppName))}); "
                    + "exactly one app must leave it out: the load balancer's health probes carry no host name of an app, so only a site bound without one answers them");
            }
        }

        private static void DistinctPort(NodeSettings blob, string key, int port, Dictionary<int, string> seen)
        {
            if (seen.TryGetValue(port, out var holder))
            {
                throw new BadInputException(
                    $"{blob.SourceFile}: key '{key}' has value {port}, which {holder} already uses; every runtime and admin port of a node must be distinct");
            }

            seen.Add(port, $"{key} of {blob.SourceFile} (app '{blob.AppName}')");
        }

        private static void Same(NodeSettings first, NodeSettings other, string key, string expected, string actual)
        {
            if (expected != actual)
            {
                throw new BadInputException(
                    $"{other.SourceFile}: key '{key}' has value '{actual}', but {first.SourceFile} has '{expected}'; all blobs of one run must be for the same node (same name, computer, data disk and apps root)");
            }
        }

        private static void SameSection(NodeSettings first, NodeSettings other, string key, string expected, string actual, string shownExpected, string shownActual)
        {
            if (expected != actual)
            {
                throw new BadInputException(
                    $"{other.SourceFile}: key '{key}' differs from {first.SourceFile} ({shownActual} versus {shownExpected}); every blob of one node must carry the same {key} section");
            }
        }
    }
}
