using System.Globalization;

namespace MendixNodeAgent.Blob
{
    /// <summary>
    /// The blob's <c>rollout</c> section (schema version 3, docs/node-settings-blob.md): the load balancer's HTTP
    /// probe and how long the agent waits for readiness, for the pool to drain and for the database. The same in
    /// every blob of one run.
    /// </summary>
    internal sealed class RolloutSpec
    {
        public RolloutSpec(int probePort, int probeIntervalSeconds, int probeThreshold, int readyTimeoutSeconds, int drainSeconds, int databaseWaitSeconds)
        {
            ProbePort = probePort;
            ProbeIntervalSeconds = probeIntervalSeconds;
            ProbeThreshold = probeThreshold;
            ReadyTimeoutSeconds = readyTimeoutSeconds;
            DrainSeconds = drainSeconds;
            DatabaseWaitSeconds = databaseWaitSeconds;
        }

        public int ProbePort { get; }

        public int ProbeIntervalSeconds { get; }

        public int ProbeThreshold { get; }

        public int ReadyTimeoutSeconds { get; }

        public int DrainSeconds { get; }

        public int DatabaseWaitSeconds { get; }

        public static RolloutSpec Read(BlobMapping rollout)
        {
            rollout.RequireExactlyKeys("healthProbe", "readyTimeoutSeconds", "drainSeconds", "databaseWaitSeconds");
            var probe = rollout.Mapping("healthProbe");
            probe.RequireExactlyKeys("port", "intervalSeconds", "threshold");
            return new RolloutSpec(
                InRange(probe, "port", 1, 65535),
                InRange(probe, "intervalSeconds", 5, 300),
                InRange(probe, "threshold", 1, 10),
                InRange(rollout, "readyTimeoutSeconds", 30, 3600),
                InRange(rollout, "drainSeconds", 0, 600),
                InRange(rollout, "databaseWaitSeconds", 60, 5400));
        }

        /// <summary>A canonical text, to compare the section across blobs.</summary>
        public override string ToString() =>
            string.Format(CultureInfo.InvariantCulture, "healthProbe={{port={0},intervalSeconds={1},threshold={2}}};readyTimeoutSeconds={3};drainSeconds={4};databaseWaitSeconds={5}",
                ProbePort, ProbeIntervalSeconds, ProbeThreshold, ReadyTimeoutSeconds, DrainSeconds, DatabaseWaitSeconds);

        private static int InRange(BlobMapping mapping, string key, int lowest, int highest)
        {
            var value = mapping.Integer(key);
            if (value < lowest || value > highest)
            {
                throw mapping.Fail(key, $"has value {value}; allowed: an integer from {lowest} to {highest}");
            }

            return (int)value;
        }
    }
}
