using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MendixNodeAgent.Rollout;
using MendixNodeAgent.Windows;

namespace MendixNodeAgent.Tests.Support
{
    /// <summary>One health request as IIS saw it, and what it answered.</summary>
    public sealed class IisRequest
    {
        public IisRequest(string method, string path, string? host, int status, int cmdletsBefore)
        {
            CmdletsBefore = cmdletsBefore;
            Method = method;
            Path = path;
            Host = host;
            Status = status;
        }

        public string Method { get; }

        public string Path { get; }

        /// <summary>The Host header without a port; "localhost" for a request that names no app.</summary>
        public string? Host { get; }

        public int Status { get; }

        /// <summary>How many Service Console cmdlets had run when the request came: its place among them.</summary>
        public int CmdletsBefore { get; }
    }

    /// <summary>
    /// IIS on port 80 in front of the runtimes, for the health path: picks the site by its http binding (the host name's,
    /// else the one bound without a host name, as IIS does with *:80:), runs the site's web.config through
    /// <see cref="UrlRewriteEmulator"/> with the real file system for IsFile, then answers as IIS and ARR would: the
    /// CustomResponse's status; for a rewrite to http://localhost:&lt;port&gt;/ the runtime's answer, which is 502 while the
    /// site's app is not running (nothing listens on the port: ARR's "502.3 Bad Gateway") and for the first
    /// <see cref="StartingAnswers"/> requests after each Start-MxApp (the runtime still starting), else 200; 404 for
    /// anything no rule passes on (the static file handler finds no such file) and for a port without a site.
    /// The sites come from the fake IIS table, the apps' states from the Service Console stand-in.
    /// </summary>
    internal sealed class IisStandIn
    {
        private readonly FakeIisSites iis;
        private readonly RecordingPowerShellRunner console;
        private readonly List<IisRequest> requests = new List<IisRequest>();
        private readonly Dictionary<string, int> answeredSinceStart = new Dictionary<string, int>(StringComparer.Ordinal);
        private readonly Dictionary<string, int> startsSeen = new Dictionary<string, int>(StringComparer.Ordinal);

        public IisStandIn(FakeIisSites iis, RecordingPowerShellRunner console)
        {
            this.iis = iis;
            this.console = console;
        }

        /// <summary>What URL Rewrite's IsFile sees; by default the file system (a test can hide a file, as missing rights would).</summary>
        public Func<string, bool> FileVisible { get; set; } = File.Exists;

        /// <summary>Per app: how many requests its runtime answers 502 after each start before it serves; int.MaxValue: never serves.</summary>
        public Dictionary<string, int> StartingAnswers { get; } = new Dictionary<string, int>(StringComparer.Ordinal);

        public IReadOnlyList<IisRequest> Requests
        {
            get
            {
                lock (requests)
                {
                    return requests.ToList();
                }
            }
        }

        public (int Status, string Body) Answer(string method, int port, string path, string? host)
        {
            var answer = Decide(method, port, path, host);
            lock (requests)
            {
                requests.Add(new IisRequest(method, path, host, answer.Status, console.Cmdlets.Count));
            }

            return answer;
        }

        private (int Status, string Body) Decide(string method, int port, string path, string? host)
        {
            var name = (host ?? string.Empty).ToLowerInvariant();
            var binding = $"*:{port}:";
            var site = iis.Sites.Values.FirstOrDefault(s => s.Bindings.Any(b => b.Protocol == "http" && b.BindingInformation == binding + name))
                ?? iis.Sites.Values.FirstOrDefault(s => s.Bindings.Any(b => b.Protocol == "http" && b.BindingInformation == binding));
            if (site == null)
            {
                return (404, "<html><body>HTTP Error 404. The requested resource is not found.</body></html>");
            }

            var webConfig = Path.Combine(site.PhysicalPath, "web.config");
            var urlPath = path.TrimStart('/');
            var outcome = File.Exists(webConfig)
                ? UrlRewriteEmulator.Evaluate(File.ReadAllText(webConfig), urlPath, FileVisible, Directory.Exists, new Dictionary<string, string>
                {
                    ["HTTPS"] = port == 443 ? "on" : "off",
                    ["HTTP_HOST"] = host ?? "localhost",
                    ["URL"] = "/" + urlPath,
                })
                : RewriteOutcome.Pass(urlPath, null);
            switch (outcome.Kind)
            {
                case "CustomResponse":
                    return (outcome.Status, $"<html><body>{outcome.Status} {outcome.Reason}</body></html>");
                case "AbortRequest":
                    return (0, string.Empty);
                case "Redirect":
                    return (outcome.Status, $"<html><body>Moved to {outcome.Url}</body></html>");
            }

            if (!outcome.Url.StartsWith("http://localhost:", StringComparison.Ordinal))
            {
                return (404, "<html><body>HTTP Error 404.0 - Not Found</body></html>");
            }

            // The site's app: its folder holds Project\Web, the site's physical path.
            var app = Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(site.PhysicalPath))!)!;
            return Runtime(app);
        }

        private (int Status, string Body) Runtime(string app)
        {
            lock (answeredSinceStart)
            {
                if (!console.Apps.TryGetValue(app, out var state) || state != AppRunState.Running)
                {
                    return (502, "<html><head><title>502 - Web server received an invalid response while acting as a gateway or proxy server.</title></head></html>");
                }

                console.Starts.TryGetValue(app, out var starts);
                if (!startsSeen.TryGetValue(app, out var seen) || seen != starts)
                {
                    startsSeen[app] = starts;
                    answeredSinceStart[app] = 0;
                }

                var answered = answeredSinceStart[app]++;
                StartingAnswers.TryGetValue(app, out var starting);
                return answered < starting
                    ? (502, "<html><head><title>502 - Web server received an invalid response while acting as a gateway or proxy server.</title></head></html>")
                    : (200, "<!DOCTYPE html><html><head><title>" + app + "</title></head><body>Mendix app</body></html>");
            }
        }
    }

    /// <summary>The agent's health endpoint aimed at the IIS stand-in in this process (no sockets).</summary>
    internal sealed class InProcessHealthEndpoint : IHealthEndpoint
    {
        private readonly IisStandIn iis;

        public InProcessHealthEndpoint(IisStandIn iis)
        {
            this.iis = iis;
        }

        public HealthAnswer Ask(int port, string path, string? hostName, TimeSpan timeout)
        {
            var answer = iis.Answer("GET", port, path, hostName ?? "localhost");
            return answer.Status == 0 ? HealthAnswer.NoAnswer("the connection was closed") : HealthAnswer.Answered(answer.Status, Encoding.UTF8.GetBytes(answer.Body));
        }
    }

    /// <summary>
    /// The IIS stand-in on http://127.0.0.1:&lt;free port&gt;/, for the agent's real HTTP client: a small HTTP/1.1 server on
    /// a loopback socket (any Host header accepted, as IIS's *:80: binding does), each request answered as IIS would on
    /// port 80 and the connection closed. Stops when disposed, or after a minute.
    /// </summary>
    internal sealed class LoopbackIis : IDisposable
    {
        private readonly TcpListener listener = new TcpListener(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource stopping = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        private readonly IisStandIn iis;

        public LoopbackIis(IisStandIn iis)
        {
            this.iis = iis;
            listener.Start();
            Address = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
            stopping.Token.Register(() => listener.Stop());
            Task.Run(Serve);
        }

        public Uri Address { get; }

        /// <summary>The agent's real health client, every port mapped to this server.</summary>
        public HttpHealthEndpoint Endpoint() => new HttpHealthEndpoint(_ => Address);

        public void Dispose()
        {
            stopping.Cancel();
            stopping.Dispose();
        }

        private Task Serve() => LoopbackServer.Serve(listener.AcceptTcpClientAsync, client =>
        {
            Answer(client);
            return Task.CompletedTask;
        }, stopping.Token);

        private void Answer(TcpClient client)
        {
            using (client)
            {
                try
                {
                    var stream = client.GetStream();
                    var reader = new StreamReader(stream, Encoding.ASCII, false, 1024, leaveOpen: true);
                    var requestLine = reader.ReadLine() ?? string.Empty;
                    string? host = null;
                    for (var line = reader.ReadLine(); !string.IsNullOrEmpty(line); line = reader.ReadLine())
                    {
                        var colon = line.IndexOf(':');
                        if (colon > 0 && line.Substring(0, colon).Trim().Equals("Host", StringComparison.OrdinalIgnoreCase))
                        {
                            host = line.Substring(colon + 1).Trim().Split(':')[0];
                        }
                    }

                    var parts = requestLine.Split(' ');
                    if (parts.Length < 3)
                    {
                        return;
                    }

                    // The stand-in's own address stands for localhost, which names no app.
                    var name = host == "127.0.0.1" ? "localhost" : host;
                    var answer = iis.Answer(parts[0], 80, Uri.UnescapeDataString(parts[1].Split('?')[0]), name);
                    if (answer.Status == 0)
                    {
                        return;
                    }

                    var body = Encoding.UTF8.GetBytes(answer.Body);
                    var head = Encoding.ASCII.GetBytes($"HTTP/1.1 {answer.Status} Status\r\nContent-Type: text/html\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
                    stream.Write(head, 0, head.Length);
                    stream.Write(body, 0, body.Length);
                    stream.Flush();
                }
                catch (Exception e) when (e is IOException || e is SocketException || e is ObjectDisposedException)
                {
                    // The client gave up waiting or the test is over.
                }
            }
        }
    }
}
