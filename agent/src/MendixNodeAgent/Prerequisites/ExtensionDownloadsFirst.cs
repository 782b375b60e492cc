using System;
using System.IO;

namespace MendixNodeAgent.Prerequisites
{
    /// <summary>
    /// A file the stack uploaded to its own blob container (the Service Console given as
    /// installers.serviceConsole.file) is private: a plain GET gets no answer but 403/404. The Custom Script
    /// Extension has downloaded it already, with the node's user-assigned identity, into its download folder, "keeping the path
    /// information after the first URI segment" (MicrosoftDocs/azure-compute-docs,
    /// articles/virtual-machines/extensions/custom-script-windows.md), and runs the agent from that folder.
    /// So a blob URL https://&lt;account&gt;.blob.core.windows.net/&lt;container&gt;/&lt;path&gt; whose &lt;path&gt;
    /// is there is copied from it; any other URL is downloaded. The caller checks the hash either way.
    /// </summary>
    internal sealed class ExtensionDownloadsFirst : IDownloader
    {
        private const string BlobHostSuffix = ".blob.core.windows.net";
        private readonly string downloadFolder;
        private readonly IDownloader fallback;

        public ExtensionDownloadsFirst(string downloadFolder, IDownloader fallback)
        {
            this.downloadFolder = downloadFolder;
            this.fallback = fallback;
        }

        public void Download(string url, string destination)
        {
            var local = LocalCopyOf(url);
            if (local == null)
            {
                fallback.Download(url, destination);
                return;
            }

            var folder = Path.GetDirectoryName(Path.GetFullPath(destination)) ?? ".";
            Directory.CreateDirectory(folder);
            File.Copy(local, destination, overwrite: true);
        }

        /// <summary>The extension's copy of a blob URL's file, or null when the URL is no blob or the file is not there.</summary>
        internal string? LocalCopyOf(string url)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)
                || uri.Scheme != Uri.UriSchemeHttps
                || !uri.Host.EndsWith(BlobHostSuffix, StringComparison.OrdinalIgnoreCase)
                || uri.Query.Length > 0)
            {
                return null;
            }

            var segments = uri.AbsolutePath.TrimStart('/').Split(new[] { '/' }, 2);
            if (segments.Length < 2 || segments[1].Length == 0)
            {
                return null;
            }

            var relative = Uri.UnescapeDataString(segments[1]).Replace('/', Path.DirectorySeparatorChar);
            var root = Path.GetFullPath(downloadFolder);
            var candidate = Path.GetFullPath(Path.Combine(root, relative));
            var inside = candidate.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.OrdinalIgnoreCase);
            return inside && File.Exists(candidate) ? candidate : null;
        }
    }
}
