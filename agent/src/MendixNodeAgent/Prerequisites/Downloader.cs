using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using MendixNodeAgent.Logging;

namespace MendixNodeAgent.Prerequisites
{
    /// <summary>Fetches a file (an installer, a server distribution); tests hand in a fake or a loopback stand-in.</summary>
    internal interface IDownloader
    {
        /// <exception cref="AgentFailureException">the file could not be fetched; destination is then absent.</exception>
        void Download(string url, string destination);
    }

    /// <summary>HTTP GET into a temporary file next to the destination, renamed when complete.</summary>
    internal sealed class HttpsDownloader : IDownloader, IDisposable
    {
        public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(20);

        private readonly HttpClient http;
        private readonly bool httpsOnly;
        private readonly TimeSpan timeout;

        /// <param name="httpsOnly">production: true. Only tests against a loopback stand-in pass false.</param>
        public HttpsDownloader(bool httpsOnly, TimeSpan timeout)
        {
            this.httpsOnly = httpsOnly;
            this.timeout = timeout;
            http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        }

        public static HttpsDownloader ForThisVm() => new HttpsDownloader(httpsOnly: true, DefaultTimeout);

        public void Download(string url, string destination)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var address) || (httpsOnly && address.Scheme != Uri.UriSchemeHttps))
            {
                throw new AgentFailureException($"download: {UrlForLog.Of(url)} is not an https URL; nothing was downloaded");
            }

            var folder = Path.GetDirectoryName(Path.GetFullPath(destination)) ?? ".";
            Directory.CreateDirectory(folder);
            var partial = destination + ".partial";
            try
            {
                using (var cancel = new CancellationTokenSource(timeout))
                using (var response = http.GetAsync(address, HttpCompletionOption.ResponseHeadersRead, cancel.Token).GetAwaiter().GetResult())
                {
                    if (!response.IsSuccessStatusCode)
                    {
                        throw new AgentFailureException($"download: {UrlForLog.Of(url)} answered HTTP {(int)response.StatusCode} ({response.ReasonPhrase})");
                    }

                    using (var body = response.Content.ReadAsStreamAsync().GetAwaiter().GetResult())
                    using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None))
                    {
                        body.CopyToAsync(file, 1 << 16, cancel.Token).GetAwaiter().GetResult();
                    }
                }

                if (File.Exists(destination))
                {
                    File.Delete(destination);
                }

                File.Move(partial, destination);
            }
            catch (OperationCanceledException)
            {
                throw new AgentFailureException($"download: {UrlForLog.Of(url)} did not complete within {timeout.TotalMinutes:0} minutes");
            }
            catch (Exception e) when (e is HttpRequestException || e is IOException)
            {
                throw new AgentFailureException($"download: {UrlForLog.Of(url)} could not be fetched ({e.Message})");
            }
            finally
            {
                if (File.Exists(partial))
                {
                    File.Delete(partial);
                }
            }
        }

        public void Dispose() => http.Dispose();
    }
}
