using System.IO;
using System.Text;
using MendixNodeAgent.Prerequisites;
using MendixNodeAgent.Tests.Support;
using Xunit;

namespace MendixNodeAgent.Tests
{
    /// <summary>
    /// A blob the stack uploaded is taken from the extension's download folder, where the Custom Script
    /// Extension keeps each blob's path after the container; anything else is downloaded.
    /// </summary>
    public class ExtensionDownloadsFirstTests
    {
        private const string ConsoleBlob = "https://mxdevfilesk3x9q2.blob.core.windows.net/node-settings/installers/serviceConsole-0123456789ab.msi";

        private static string Laid(string folder, string relative, string content)
        {
            var file = Path.Combine(folder, relative.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, content);
            return file;
        }

        [Fact]
        public void A_blob_the_extension_downloaded_is_copied_from_its_folder_without_a_request()
        {
            using (var folder = new TempAppsRoot())
            {
                Laid(folder.Path, "installers/serviceConsole-0123456789ab.msi", "console msi");
                var fallback = new FakeDownloader();
                var destination = Path.Combine(folder.Path, "downloads", "serviceConsole.msi");

                new ExtensionDownloadsFirst(folder.Path, fallback).Download(ConsoleBlob, destination);

                Assert.Equal("console msi", File.ReadAllText(destination));
                Assert.Empty(fallback.Downloads);
            }
        }

        [Theory]
        [InlineData("https://download.microsoft.com/download/1/2/8/128E2E22-C1B9-44A4-BE2A-5859ED1D4592/rewrite_amd64_en-US.msi")]
        [InlineData("https://mxdevfilesk3x9q2.blob.core.windows.net/node-settings/installers/other.msi")]
        [InlineData("https://mxdevfilesk3x9q2.blob.core.windows.net/node-settings/installers/serviceConsole-0123456789ab.msi?sv=2024-01-01&sig=x")]
        [InlineData("https://mxdevfilesk3x9q2.blob.core.windows.net/node-settings/..%2F..%2Foutside.msi")]
        public void Any_other_url_is_downloaded(string url)
        {
            using (var folder = new TempAppsRoot())
            {
                Laid(folder.Path, "installers/serviceConsole-0123456789ab.msi", "console msi");
                var fallback = new FakeDownloader();
                fallback.Files[url] = Encoding.ASCII.GetBytes("downloaded");
                var destination = Path.Combine(folder.Path, "downloads", "x.msi");

                new ExtensionDownloadsFirst(folder.Path, fallback).Download(url, destination);

                Assert.Equal(new[] { url }, fallback.Downloads);
                Assert.Equal("downloaded", File.ReadAllText(destination));
            }
        }
    }
}
