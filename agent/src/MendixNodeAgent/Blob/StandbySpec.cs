namespace MendixNodeAgent.Blob
{
    /// <summary>
    /// The blob's optional <c>standby</c> section, on a standby region's node only (docs/node-settings-blob.md,
    /// "A standby region's nodes"): while the region does not serve, the apps are installed and configured and
    /// never started, so that no runtime of this region runs against the database the stack's own region serves from.
    /// </summary>
    internal sealed class StandbySpec
    {
        private StandbySpec(bool serving)
        {
            Serving = serving;
        }

        /// <summary>true once a failover made this region the one that serves.</summary>
        public bool Serving { get; }

        public static StandbySpec Read(BlobMapping standby)
        {
            standby.RequireExactlyKeys("serving");
            return new StandbySpec(standby.Boolean("serving"));
        }

        /// <summary>What a regional failover told the node (<see cref="Node.RunStateOverride"/> until the next failover), which overrides the blob's word.</summary>
        public static StandbySpec Told(bool serving) => new StandbySpec(serving);
    }
}
