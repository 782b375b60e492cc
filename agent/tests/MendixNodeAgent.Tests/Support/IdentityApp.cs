using System.Text;

namespace MendixNodeAgent.Tests.Support
{
    /// <summary>A bare node's first deployment of the identity fixture's app with a model; its JVMs read Settings.yaml under <paramref name="root"/>.</summary>
    internal static class IdentityApp
    {
        public static (TestNode Node, string Blob) FirstDeployment(TempAppsRoot blobs, TempAppsRoot root)
        {
            var node = new TestNode();
            node.Downloader.Files["https://cdn.mendix.com/runtime/mendix-" + Mda.Version10 + ".tar.gz"] = Encoding.ASCII.GetBytes("a server distribution");
            node.Java.AppsRoot = root.Path;
            return (node, Mda.BlobAndMda(blobs.Path, Fixtures.IdentityFollower));
        }
    }
}
