using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MendixNodeAgent.KeyVault;

namespace MendixNodeAgent.Tests.Support
{
    /// <summary>One request as the stand-in received it.</summary>
    public sealed class RecordedRequest
    {
        public RecordedRequest(string method, string path, string query, string? metadataHeader, string? authorization)
        {
            Method = method;
            Path = path;
            Query = query;
            MetadataHeader = metadataHeader;
            Authorization = authorization;
        }

        public string Method { get; }

        /// <summary>The path, unescaped; a vault request is /&lt;vault host&gt;/secrets/&lt;name&gt;/&lt;version&gt;.</summary>
        public string Path { get; }

        /// <summary>The raw query, without '?'.</summary>
        public string Query { get; }

        public string? MetadataHeader { get; }

        public string? Authorization { get; }

        public bool IsTokenRequest => Path == "/metadata/identity/oauth2/token";

        public bool IsSecretRequest => Path.Contains("/secrets/", StringComparison.Ordinal);
    }

    /// <summary>What the stand-in answers: a status, a JSON body and how long it waits first.</summary>
    public sealed class StandInAnswer
    {
        public StandInAnswer(int status, string body, TimeSpan delay = default)
        {
            Status = status;
            Body = body;
            Delay = delay;
        }

        public int Status { get; }

        public string Body { get; }

        public TimeSpan Delay { get; }

        public static StandInAnswer Secret(string value) => new StandInAnswer(200, "{\"value\":" + JsonString(value) + ",\"id\":\"stand-in\",\"attributes\":{\"enabled\":true}}");

        public static StandInAnswer VaultError(int status, string code, string? innerCode = null) =>
            new StandInAnswer(status, "{\"error\":{\"code\":" + JsonString(code) + ",\"message\":\"stand-in\""
                + (innerCode == null ? string.Empty : ",\"innererror\":{\"code\":" + JsonString(innerCode) + "}") + "}}");

        public static string JsonString(string text)
        {
            var builder = new StringBuilder("\"");
            foreach (var c in text)
            {
                switch (c)
                {
                    case '"': builder.Append("\\\""); break;
                    case '\\': builder.Append("\\\\"); break;
                    case '\n': builder.Append("\\n"); break;
                    case '\r': builder.Append("\\r"); break;
                    default:
                        if (c < ' ' || c > '~')
                        {
                            builder.Append("\\u").Append(((int)c).ToString("x4"));
                        }
                        else
                        {
                            builder.Append(c);
                        }

                        break;
                }
            }

            return builder.Append('"').ToString();
        }
    }

    /// <summary>
    /// The Instance Metadata Service and Key Vault, played on http://127.0.0.1:&lt;free port&gt;/ only.
    /// Records every request; answers the token endpoint with <see cref="Token"/> and each secret from
    /// <see cref="Secrets"/> unless a test replaces <see cref="Metadata"/> or <see cref="Vault"/>.
    /// It stops when disposed, and by itself after a minute at the latest.
    /// </summary>
    public sealed class AzureStandIn : IDisposable
    {
        public const string Token = "stand-in-access-token";

        private readonly HttpListener listener = new HttpListener();
        private readonly CancellationTokenSource stopping = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        private readonly List<RecordedRequest> requests = new List<RecordedRequest>();

        public AzureStandIn()
        {
            for (var tries = 0; ; tries++)
            {
                Address = new Uri($"http://127.0.0.1:{FreePort()}/");
                listener.Prefixes.Clear();
                listener.Prefixes.Add(Address.ToString());
                try
                {
                    listener.Start();
                    break;
                }
                catch (HttpListenerException) when (tries < 5)
                {
                }
            }

            stopping.Token.Register(() => listener.Close());
            Metadata = _ => new StandInAnswer(200, "{\"access_token\":\"" + Token + "\",\"expires_in\":\"86399\",\"resource\":\"https://vault.azure.net\",\"token_type\":\"Bearer\"}");
            Vault = request =>
            {
                var parts = request.Path.Split('/');
                var name = parts.Length >= 5 ? parts[3] + "/" + parts[4] : string.Empty;
                return Secrets.TryGetValue(name, out var value) ? StandInAnswer.Secret(value) : StandInAnswer.VaultError(404, "SecretNotFound");
            };
            Task.Run(Serve);
        }

        public Uri Address { get; }

        /// <summary>Secret values by "name/version".</summary>
        public Dictionary<string, string> Secrets { get; } = new Dictionary<string, string>();

        public Func<RecordedRequest, StandInAnswer> Metadata { get; set; }

        public Func<RecordedRequest, StandInAnswer> Vault { get; set; }

        /// <summary>Any other request (a blob container's, say); by default HTTP 400.</summary>
        public Func<RecordedRequest, StandInAnswer> Other { get; set; } = _ => new StandInAnswer(400, "{}");

        public IReadOnlyList<RecordedRequest> Requests
        {
            get
            {
                lock (requests)
                {
                    return requests.ToList();
                }
            }
        }

        /// <summary>A client of the agent's own kind, aimed at this stand-in: every vault maps to /&lt;vault host&gt;/ here.</summary>
        /// <param name="clock">the pauses between retries of access denied; by default a fake clock, so they take no time.</param>
        internal ManagedIdentityKeyVaultClient Client(TimeSpan? requestTimeout = null, Uri? instanceMetadata = null, MendixNodeAgent.Timing.IClock? clock = null) =>
            new ManagedIdentityKeyVaultClient(
                instanceMetadata ?? Address,
                vault => new Uri(Address, vault.Host + "/"),
                requestTimeout ?? TimeSpan.FromSeconds(5),
                new[] { TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(20) },
                clock ?? new FakeClock(),
                ManagedIdentityKeyVaultClient.DefaultAccessDeniedPatience);

        /// <summary>An address on loopback where nothing listens: connecting is refused.</summary>
        public static Uri NothingListening() => new Uri($"http://127.0.0.1:{FreePort()}/");

        public void Dispose()
        {
            stopping.Cancel();
            stopping.Dispose();
        }

        private static int FreePort()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return port;
        }

        private Task Serve() => LoopbackServer.Serve(listener.GetContextAsync, Answer, stopping.Token);

        private async Task Answer(HttpListenerContext context)
        {
            var url = context.Request.Url!;
            var request = new RecordedRequest(
                context.Request.HttpMethod,
                Uri.UnescapeDataString(url.AbsolutePath),
                url.Query.TrimStart('?'),
                context.Request.Headers["Metadata"],
                context.Request.Headers["Authorization"]);
            lock (requests)
            {
                requests.Add(request);
            }

            try
            {
                var answer = request.IsTokenRequest ? Metadata(request) : request.IsSecretRequest ? Vault(request) : Other(request);
                if (answer.Delay > TimeSpan.Zero)
                {
                    await Task.Delay(answer.Delay, stopping.Token);
                }

                var body = Encoding.UTF8.GetBytes(answer.Body);
                context.Response.StatusCode = answer.Status;
                context.Response.ContentType = "application/json; charset=utf-8";
                context.Response.ContentLength64 = body.Length;
                await context.Response.OutputStream.WriteAsync(body, 0, body.Length, stopping.Token);
                context.Response.Close();
            }
            catch (Exception e) when (e is OperationCanceledException || e is HttpListenerException || e is ObjectDisposedException || e is InvalidOperationException)
            {
                // The test is over or the client gave up waiting.
            }
        }
    }
}
