using System.Collections.Generic;

namespace MendixNodeAgent.Blob
{
    /// <summary>The rules that span all blobs of one run: one node, one data disk, one apps root, no app twice.</summary>
    internal static class RunConsistency
    {
        public static void Check(IReadOnlyList<NodeSettings> blobs)
        {
            var first = blobs[0];
            var appsSeen = new Dictionary<string, string>();
            foreach (var blob in blobs)
            {
                Same(first, blob, "node.name", first.Node.Name, blob.Node.Name);
                Same(first, blob, "node.index", first.Node.Index.ToString(), blob.Node.Index.ToString());
                Same(first, blob, "node.computerName", first.Node.ComputerName, blob.Node.ComputerName);
                Same(first, blob, "node.leader", first.Node.Leader ? "true" : "false", blob.Node.Leader ? "true" : "false");
                Same(first, blob, "node.dataDisk.lun", first.Node.DataDiskLun.ToString(), blob.Node.DataDiskLun.ToString());
                Same(first, blob, "node.dataDisk.driveLetter", first.Node.DriveLetter.ToString(), blob.Node.DriveLetter.ToString());
                Same(first, blob, "node.appsRoot", first.Node.AppsRoot, blob.Node.AppsRoot);

                if (appsSeen.TryGetValue(blob.AppName, out var earlierFile))
                {
                    throw new BadInputException(
                        $"{blob.SourceFile}: key 'app.name' has value '{blob.AppName}', which {earlierFile} already names; each app is allowed once per run (one blob per app)");
                }

                appsSeen.Add(blob.AppName, blob.SourceFile);
            }
        }

        private static void Same(NodeSettings first, NodeSettings other, string key, string expected, string actual)
        {
            if (expected != actual)
            {
                throw new BadInputException(
                    $"{other.SourceFile}: key '{key}' has value '{actual}', but {first.SourceFile} has '{expected}'; all blobs of one run must be for the same node (same name, computer, data disk and apps root)");
            }
        }
    }
}
