using System;
using System.IO;
using System.Net.Http;
using System.Threading;

namespace MendixNodeAgent.Rollout
{
    /// <summary>
    /// Asks the health path over HTTP as Azure Load Balancer's HTTP probe does: a GET of the path on the probe's port,
    /// where only HTTP 200 counts as up and a redirect does not (Microsoft Learn, "Azure Load Balancer health probes",
    /// "Probe protocol": "HTTP and HTTPS issue an HTTP GET with the specified path"; "Probe endpoint returns an HTTP
    /// response code other than 200"). No proxy, no redirects followed, the site reached by its binding without a host
    /// name (the probe carries no app's host name), unless an app's host name is given.
    /// </summary>
    internal sealed class HttpHealthEndpoint : IHealthEndpoint, IDisposable
    {
        private readonly Func<int, Uri> siteAddress;
        private readonly HttpClient http;

        /// <param name="siteAddress">the base address that answers on a port (production: http://localhost:&lt;port&gt;/).</param>
        public HttpHealthEndpoint(Func<int, Uri> siteAddress)
        {
            this.siteAddress = siteAddress;
            http = new HttpClient(new HttpClientHandler { UseProxy = false, AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };
        }

        public static HttpHealthEndpoint ForThisNode() =>
            new HttpHealthEndpoint(port => new Uri("http://localhost:" + port.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/"));

        public HealthAnswer Ask(int port, string path, string? hostName, TimeSpan timeout)
        {
            var address = new Uri(siteAddress(port), path.TrimStart('/'));
            using (var cancel = new CancellationTokenSource(timeout))
            using (var request = new HttpRequestMessage(HttpMethod.Get, address))
            {
                if (hostName != null)
                {
                    request.Headers.Host = hostName;
                }

                try
                {
                    using (var response = http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancel.Token).GetAwaiter().GetResult())
                    {
                        var body = response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
                        return HealthAnswer.Answered((int)response.StatusCode, body);
                    }
                }
                catch (Exception e) when (cancel.IsCancellationRequested && (e is OperationCanceledException || e is HttpRequestException || e is IOException))
                {
                    return HealthAnswer.NoAnswer("no answer within " + Timing.Seconds.Of(timeout) + " s");
                }
                catch (Exception e) when (e is HttpRequestException || e is IOException)
                {
                    return HealthAnswer.NoAnswer(Innermost(e).Message.Trim());
                }
            }
        }

        public void Dispose() => http.Dispose();

        private static Exception Innermost(Exception e)
        {
            while (e.InnerException != null)
            {
                e = e.InnerException;
            }

            return e;
        }
    }
}
