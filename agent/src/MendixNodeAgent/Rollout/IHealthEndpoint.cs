using System;
using System.Globalization;

namespace MendixNodeAgent.Rollout
{
    /// <summary>One answer of the health path: a status, or why there was none.</summary>
    internal sealed class HealthAnswer
    {
        public const int ShownBytes = 120;

        private HealthAnswer(int? status, string start, string? failure)
        {
            Status = status;
            Start = start;
            Failure = failure;
        }

        /// <summary>The HTTP status, or null when no answer came (refused, timed out).</summary>
        public int? Status { get; }

        /// <summary>The first bytes of the body, control characters replaced, at most <see cref="ShownBytes"/>.</summary>
        public string Start { get; }

        public string? Failure { get; }

        /// <summary>What the load balancer's probe counts as up: HTTP 200 and nothing else.</summary>
        public bool IsUp => Status == 200;

        public static HealthAnswer Answered(int status, byte[] body)
        {
            var length = Math.Min(body.Length, ShownBytes);
            var text = System.Text.Encoding.UTF8.GetString(body, 0, length);
            var shown = new System.Text.StringBuilder(text.Length);
            foreach (var c in text)
            {
                shown.Append(char.IsControl(c) ? ' ' : c);
            }

            return new HealthAnswer(status, shown.ToString().Trim(), null);
        }

        public static HealthAnswer NoAnswer(string failure) => new HealthAnswer(null, string.Empty, failure);

        public string Describe() => Status == null
            ? "no answer (" + Failure + ")"
            : "HTTP " + Status.Value.ToString(CultureInfo.InvariantCulture) + (Start.Length == 0 ? ", empty body" : ", body starting '" + Start + "'");
    }

    /// <summary>The node's health path through IIS, asked as the load balancer's HTTP probe asks it.</summary>
    internal interface IHealthEndpoint
    {
        /// <param name="port">the probe's port (80).</param>
        /// <param name="path">site.healthPath, with its leading '/'.</param>
        /// <param name="hostName">null to ask as the probe does (no app's host name); an app's host name to reach its site.</param>
        HealthAnswer Ask(int port, string path, string? hostName, TimeSpan timeout);
    }
}
