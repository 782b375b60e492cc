using System;
using Xunit;

namespace MendixNodeAgent.Tests.Support
{
    /// <summary>
    /// A --no-system run over blobs the agent must refuse: an empty apps root, a folder for the blobs, and the
    /// checks every refusal shares (exit 2, nothing written).
    /// </summary>
    public sealed class RefusedBlobRun : IDisposable
    {
        private readonly TempAppsRoot root = new TempAppsRoot();
        private readonly TempAppsRoot blobs = new TempAppsRoot();

        /// <summary>The follower fixture with <paramref name="from"/> replaced must be refused naming the blob file, the key and the rule.</summary>
        public static void AssertFollowerVariantRefused(string from, string to, string key, string rule)
        {
            using (var refused = new RefusedBlobRun())
            {
                var blob = refused.Variant(Fixtures.Follower, from, to);

                var run = refused.Apply(blob);

                Assert.Contains(blob, run.Output);
                Assert.Contains($"'{key}'", run.Output);
                Assert.Contains(rule, run.Output);
            }
        }

        /// <summary>
        /// The follower fixture cut off where <paramref name="section"/> starts (the section and all after it gone) must be
        /// refused naming the blob file and the missing section.
        /// </summary>
        public static void AssertFollowerWithoutSectionRefused(string section)
        {
            using (var refused = new RefusedBlobRun())
            {
                var text = Fixtures.Text(Fixtures.Follower);
                var start = text.IndexOf($"{section}:\n", StringComparison.Ordinal);
                Assert.True(start >= 0, $"the follower fixture has a section {section}");
                var blob = refused.Write(text.Substring(0, start));

                var run = refused.Apply(blob);

                Assert.Contains($"{blob}: key '{section}' is missing", run.Output);
            }
        }

        /// <summary>Writes a variant of a fixture into the blob folder and returns its path.</summary>
        public string Variant(string fixture, string from, string to) => Fixtures.Variant(blobs.Path, fixture, from, to);

        /// <summary>Writes a blob text into the blob folder and returns its path.</summary>
        public string Write(string text) => Fixtures.WriteBlob(blobs.Path, text);

        /// <summary>Applies the blobs, asserts exit 2 and an untouched apps root, and returns the run for the test's own checks.</summary>
        public AgentRun Apply(params string[] blobPaths)
        {
            var run = AgentRun.Execute(AgentRun.NoSystem(root.Path, blobPaths));
            Assert.Equal(2, run.ExitCode);
            Assert.True(root.IsEmpty, "nothing may be written for a bad blob: " + string.Join(", ", root.AllFiles()));
            return run;
        }

        public void Dispose()
        {
            blobs.Dispose();
            root.Dispose();
        }
    }
}
