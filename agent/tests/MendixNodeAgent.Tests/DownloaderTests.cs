using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;
using MendixNodeAgent.Prerequisites;
using MendixNodeAgent.Tests.Support;
using Xunit;

namespace MendixNodeAgent.Tests
{
    /// <summary>The production downloader against a file server on http://127.0.0.1:&lt;free port&gt;/.</summary>
    public class DownloaderTests
    {
        private static (HttpListener Listener, string Address) Serve(int status, byte[] body)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var address = $"http://127.0.0.1:{port}/";
            var listener = new HttpListener();
            listener.Prefixes.Add(address);
            listener.Start();
            Task.Run(async () =>
            {
                try
                {
                    var context = await listener.GetContextAsync();
                    context.Response.StatusCode = status;
                    context.Response.ContentLength64 = body.Length;
                    await context.Response.OutputStream.WriteAsync(body, 0, body.Length);
                    context.Response.Close();
                }
                catch (Exception e) when (e is HttpListenerException || e is ObjectDisposedException || e is InvalidOperationException)
                {
                }
            });
            return (listener, address);
        }

        [Fact]
        public void A_file_is_downloaded_whole_to_its_destination()
        {
            using (var folder = new TempAppsRoot())
            using (var downloader = new HttpsDownloader(httpsOnly: false, TimeSpan.FromSeconds(10)))
            {
                var body = Encoding.ASCII.GetBytes(new string('x', 200_000));
                var (listener, address) = Serve(200, body);
                using (listener)
                {
                    var destination = Path.Combine(folder.Path, "downloads", "urlRewrite.msi");

                    downloader.Download(address + "rewrite_amd64_en-US.msi", destination);

                    Assert.Equal(body, File.ReadAllBytes(destination));
                    Assert.False(File.Exists(destination + ".partial"));
                }
            }
        }

        [Fact]
        public void An_error_answer_fails_and_leaves_no_file()
        {
            using (var folder = new TempAppsRoot())
            using (var downloader = new HttpsDownloader(httpsOnly: false, TimeSpan.FromSeconds(10)))
            {
                var (listener, address) = Serve(404, Encoding.ASCII.GetBytes("not here"));
                using (listener)
                {
                    var destination = Path.Combine(folder.Path, "x.msi");

                    var error = Assert.Throws<AgentFailureException>(() => downloader.Download(address + "x.msi", destination));

                    Assert.Contains("answered HTTP 404", error.Message);
                    Assert.False(File.Exists(destination));
                    Assert.False(File.Exists(destination + ".partial"));
                }
            }
        }

        [Fact]
        public void The_production_downloader_refuses_anything_but_https_without_connecting()
        {
            using (var folder = new TempAppsRoot())
            using (var downloader = HttpsDownloader.ForThisVm())
            {
                var error = Assert.Throws<AgentFailureException>(() => downloader.Download("http://127.0.0.1:9/x.msi", Path.Combine(folder.Path, "x.msi")));

                Assert.Contains("is not an https URL; nothing was downloaded", error.Message);
            }
        }
    }
}
