using System;
using System.Globalization;

namespace MendixNodeAgent.Blob
{
    /// <summary>
    /// The blob's <c>rollout</c> section (schema version 3, docs/node-settings-blob.md): how the load balancer probes
    /// the node, and how long the agent waits for readiness, for requests in flight, for the database and for the leader's
    /// synchronisation of the database. The same in every blob of one run.
    /// </summary>
    internal sealed class RolloutSpec
    {
        // Azure documents the probe's port as 1-65535 and its interval's minimum as 5 s (Microsoft Learn, network REST
        // API, ProbePropertiesFormat: "intervalInSeconds ... the minimum value is 5"; "port ... Possible values range from
        // 1 to 65535"). It documents no maximum interval and no bounds for probeThreshold; the upper bounds are ours,
        // wide enough for any sane probe and small enough that a typo cannot hold a rollout for hours.
        public static readonly Range Port = new Range(1, 65535);
        public static readonly Range ProbeInterval = new Range(5, 300);
        public static readonly Range ProbeThresholdRange = new Range(1, 10);
        public static readonly Range ReadyTimeout = new Range(30, 3600);
        public static readonly Range Drain = new Range(0, 600);
        public static readonly Range DatabaseWait = new Range(60, 5400);

        // The Custom Script Extension ends a run after 90 minutes (custom-script-windows.md): a start within one run.
        public static readonly Range DatabaseSyncTimeout = new Range(60, 5400);

        public RolloutSpec(int probePort, int probeIntervalSeconds, int probeThreshold, int readyTimeoutSeconds, int drainSeconds, int databaseWaitSeconds, int databaseSyncTimeoutSeconds)
        {
            ProbePort = probePort;
            ProbeIntervalSeconds = probeIntervalSeconds;
            ProbeThreshold = probeThreshold;
            ReadyTimeoutSeconds = readyTimeoutSeconds;
            DrainSeconds = drainSeconds;
            DatabaseWaitSeconds = databaseWaitSeconds;
            DatabaseSyncTimeoutSeconds = databaseSyncTimeoutSeconds;
        }

        /// <summary>The port of the load balancer's HTTP probe on site.healthPath (80).</summary>
        public int ProbePort { get; }

        public int ProbeIntervalSeconds { get; }

        /// <summary>Consecutive answers the load balancer needs to take a node out of its pool or put it back.</summary>
        public int ProbeThreshold { get; }

        public int ReadyTimeoutSeconds { get; }

        public int DrainSeconds { get; }

        public int DatabaseWaitSeconds { get; }

        public int DatabaseSyncTimeoutSeconds { get; }

        /// <summary>
        /// The bound of the leader's start with -SynchronizeDatabase: a new model's schema change runs inside it, and ending it
        /// interrupts the change, so it is databaseSyncTimeoutSeconds, and never less than an ordinary start's readyTimeoutSeconds.
        /// </summary>
        public TimeSpan SynchronisingStartTimeout => TimeSpan.FromSeconds(Math.Max(DatabaseSyncTimeoutSeconds, ReadyTimeoutSeconds));

        public TimeSpan ProbePeriod => TimeSpan.FromSeconds(ProbeIntervalSeconds);

        /// <summary>
        /// How long the load balancer takes to act on a changed answer: threshold consecutive probes, one interval
        /// apart ("After failing the number of consecutive probes equal to this value, the endpoint will be taken out
        /// of rotation and require the same number of successful consecutive probes to be placed back in rotation":
        /// ProbePropertiesFormat, probeThreshold).
        /// </summary>
        public TimeSpan LoadBalancerReaction => TimeSpan.FromSeconds((long)ProbeIntervalSeconds * ProbeThreshold);

        /// <summary>One probe request's timeout, as the load balancer's: the interval, at most 30 s (Microsoft Learn,
        /// "Azure Load Balancer health probes", "Probe interval &amp; timeout": HTTP/S probe timeout 30 seconds).</summary>
        public TimeSpan ProbeRequestTimeout => TimeSpan.FromSeconds(Math.Min(ProbeIntervalSeconds, 30));

        public static RolloutSpec Read(BlobMapping rollout)
        {
            rollout.RequireExactlyKeys("healthProbe", "readyTimeoutSeconds", "drainSeconds", "databaseWaitSeconds", "databaseSyncTimeoutSeconds");
            var probe = rollout.Mapping("healthProbe");
            probe.RequireExactlyKeys("port", "intervalSeconds", "threshold");
            return new RolloutSpec(
                InRange(probe, "port", Port),
                InRange(probe, "intervalSeconds", ProbeInterval),
                InRange(probe, "threshold", ProbeThresholdRange),
                InRange(rollout, "readyTimeoutSeconds", ReadyTimeout),
                InRange(rollout, "drainSeconds", Drain),
                InRange(rollout, "databaseWaitSeconds", DatabaseWait),
                InRange(rollout, "databaseSyncTimeoutSeconds", DatabaseSyncTimeout));
        }

        /// <summary>A canonical text, to compare the section across blobs.</summary>
        public override string ToString() =>
            string.Format(CultureInfo.InvariantCulture, "healthProbe={{port={0},intervalSeconds={1},threshold={2}}};readyTimeoutSeconds={3};drainSeconds={4};databaseWaitSeconds={5};databaseSyncTimeoutSeconds={6}",
                ProbePort, ProbeIntervalSeconds, ProbeThreshold, ReadyTimeoutSeconds, DrainSeconds, DatabaseWaitSeconds, DatabaseSyncTimeoutSeconds);

        private static int InRange(BlobMapping mapping, string key, Range range)
        {
            var value = mapping.Integer(key);
            if (value < range.Lowest || value > range.Highest)
            {
                throw mapping.Fail(key, string.Format(CultureInfo.InvariantCulture, "has value {0}; allowed: an integer from {1} to {2}", value, range.Lowest, range.Highest));
            }

            return (int)value;
        }

        internal sealed class Range
        {
            public Range(int lowest, int highest)
            {
                Lowest = lowest;
                Highest = highest;
            }

            public int Lowest { get; }

            public int Highest { get; }
        }
    }
}
