using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Threading;
using MendixNodeAgent.Timing;

namespace MendixNodeAgent.Identity
{
    /// <summary>One HTTP answer: its status, body, and how many attempts it took.</summary>
    internal sealed class HttpAnswer
    {
        public HttpAnswer(int status, byte[] body, int attempts)
        {
            Status = status;
            Body = body;
            Attempts = attempts;
        }

        public int Status { get; }

        public byte[] Body { get; }

        public int Attempts { get; }

        public string AttemptsNote => Attempts > 1 ? $" (after {Attempts} attempts)" : string.Empty;
    }

    /// <summary>A service that did not answer: unreachable, or not within the request's timeout.</summary>
    internal sealed class HttpUnansweredException : Exception
    {
        public HttpUnansweredException(string reason) : base(reason) { }
    }

    /// <summary>Sends a request with its own timeout, again after a short pause while the answer is retryable and retries are left.</summary>
    internal sealed class RetryingHttp
    {
        private readonly TimeSpan requestTimeout;
        private readonly IReadOnlyList<TimeSpan> retryDelays;

        /// <param name="requestTimeout">the longest one HTTP request may take.</param>
        /// <param name="retryDelays">the pauses before each retry of a retryable answer; their count is the number of retries.</param>
        public RetryingHttp(TimeSpan requestTimeout, IReadOnlyList<TimeSpan> retryDelays)
        {
            this.requestTimeout = requestTimeout;
            this.retryDelays = retryDelays;
        }

        /// <summary>An HttpClient whose timeout is this sender's, per request.</summary>
        public static HttpClient Client(bool useProxy) =>
            new HttpClient(new HttpClientHandler { UseProxy = useProxy }) { Timeout = Timeout.InfiniteTimeSpan };

        /// <exception cref="HttpUnansweredException">no answer; the message names <paramref name="target"/>.</exception>
        public HttpAnswer Send(HttpClient http, Func<HttpRequestMessage> newRequest, Func<int, bool> retryable, string target)
        {
            for (var attempt = 1; ; attempt++)
            {
                using (var timeout = new CancellationTokenSource(requestTimeout))
                using (var request = newRequest())
                {
                    int status;
                    byte[] body;
                    try
                    {
                        using (var response = http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).GetAwaiter().GetResult())
                        {
                            status = (int)response.StatusCode;
                            body = response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
                        }
                    }
                    catch (Exception e) when (timeout.IsCancellationRequested && (e is OperationCanceledException || e is HttpRequestException || e is IOException))
                    {
                        throw new HttpUnansweredException($"{target} did not answer within {Seconds.Of(requestTimeout)} s");
                    }
                    catch (Exception e) when (e is HttpRequestException || e is IOException)
                    {
                        throw new HttpUnansweredException($"{target} could not be reached ({Innermost(e).Message.Trim()})");
                    }

                    if (retryable(status) && attempt <= retryDelays.Count)
                    {
                        Thread.Sleep(retryDelays[attempt - 1]);
                        continue;
                    }

                    return new HttpAnswer(status, body, attempt);
                }
            }
        }

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
