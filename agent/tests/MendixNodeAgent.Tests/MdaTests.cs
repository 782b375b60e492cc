using System.Collections.Generic;
using System.IO;
using System.Linq;
using MendixNodeAgent.Blob;
using MendixNodeAgent.Model;
using MendixNodeAgent.Tests.Support;
using MendixNodeAgent.Windows;
using Xunit;

namespace MendixNodeAgent.Tests
{
    /// <summary>Reading the MDA's model/metadata.json, and refusing a bad MDA before anything on the node stops.</summary>
    public class MdaTests
    {
        [Theory]
        [InlineData("{\"RuntimeVersion\":\"10.12.4.41735\",\"JavaVersion\":21}", "10.12.4.41735", 21)]
        [InlineData("{\"RuntimeVersion\":\"10.12.4.41735\",\"JavaVersion\":\"17\"}", "10.12.4.41735", 17)]
        [InlineData("{\"RuntimeVersion\":\"10.12.4.41735\"}", "10.12.4.41735", 11)]
        [InlineData("{\"ModelVersion\":\"1.0\",\"RuntimeVersion\":\"10.24.1.70001\",\"Constants\":[{\"Name\":\"A.B\"}]}", "10.24.1.70001", 21)]
        [InlineData("{\"RuntimeVersion\":\"8.18.23.62193\"}", "8.18.23.62193", 11)]
        public void Metadata_json_gives_the_runtime_version_and_the_java_it_needs(string metadata, string version, int java)
        {
            using (var folder = new TempAppsRoot())
            {
                var path = Mda.WriteWithMetadata(folder.Path, "app.mda", metadata);
                var blob = NodeSettingsBlobReader.Read(Mda.BlobWithModel(folder.Path, Fixtures.Follower, "app.mda", Mda.Sha256(path)));

                var mda = MdaPackage.Verify(blob, blob.App.Model!, folder.Path);

                Assert.Equal(version, mda.RuntimeVersion.Text);
                Assert.Equal(java, mda.JavaMajor);
                Assert.Equal(Mda.Sha256(path), mda.Sha256);
                Assert.Equal(Path.GetFullPath(path), Path.GetFullPath(mda.Path));
            }
        }

        public static IEnumerable<object[]> BadMdas() => new[]
        {
            new object[] { "not-a-zip", "which is not a zip archive" },
            new object[] { "no-metadata", "which holds no model/metadata.json" },
            new object[] { "{\"ModelVersion\":\"1.0\"}", "has no RuntimeVersion" },
            new object[] { "{\"RuntimeVersion\":\"ten\"}", "has RuntimeVersion 'ten'" },
            new object[] { "{\"RuntimeVersion\":10}", "has RuntimeVersion '10'" },
            new object[] { "[1,2]", "has no RuntimeVersion" },
            new object[] { "{not json", "is not valid JSON" },
            new object[] { "{\"RuntimeVersion\":\"8.18.23.62193\",\"JavaVersion\":21}", "asks for Java 21, but Mendix 8.18.23.62193 runs on Java 11" },
            new object[] { "{\"RuntimeVersion\":\"10.12.4.41735\",\"JavaVersion\":\"latest\"}", "has JavaVersion 'latest'" },
            new object[] { "{\"RuntimeVersion\":\"10.12.4.41735\",\"JavaVersion\":17}", "key 'prerequisites.installers.java' has installers for Java 21, but the model app-new.mda (Mendix 10.12.4.41735) runs on Java 17" },
            new object[] { "hash-mismatch", "but key 'app.model.sha256' expects" },
            new object[] { "missing-file", "which does not exist" },
        };

        [Theory]
        [MemberData(nameof(BadMdas))]
        public void A_bad_mda_exits_2_before_the_running_app_is_stopped_or_anything_is_touched(string kind, string message)
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var path = Path.Combine(blobs.Path, "app-new.mda");
                var sha = new string('f', 64);
                switch (kind)
                {
                    case "not-a-zip":
                        File.WriteAllText(path, "this is not a zip");
                        break;
                    case "no-metadata":
                        Mda.WriteWithMetadata(blobs.Path, "app-new.mda", null);
                        break;
                    case "hash-mismatch":
                        Mda.Write(blobs.Path, "app-new.mda");
                        break;
                    case "missing-file":
                        break;
                    default:
                        Mda.WriteWithMetadata(blobs.Path, "app-new.mda", kind);
                        break;
                }

                if (File.Exists(path) && kind != "hash-mismatch")
                {
                    sha = Mda.Sha256(path);
                }

                var blob = Mda.BlobWithModel(blobs.Path, Fixtures.Follower, "app-new.mda", sha);
                var node = new TestNode(FakeDataDisk.Raw());
                node.Runner.Apps["app"] = AppRunState.Running;

                var run = AgentRun.Execute(AgentRun.OnSystem(root.Path, blob), node.System("mxdev-1"));

                Assert.Equal(2, run.ExitCode);
                Assert.Contains(blob, run.Output);
                Assert.True(run.Output.Contains(message), run.Output);
                Assert.Empty(node.Runner.Scripts);
                Assert.DoesNotContain(node.Runner.Cmdlets, c => c.StartsWith("Stop-MxApp"));
                Assert.Empty(node.Disk.InspectedLuns);
                Assert.Equal(0, node.Prerequisites.Inspections);
                Assert.True(root.IsEmpty, "nothing may be written: " + string.Join(", ", root.AllFiles()));
            }
        }

        [Fact]
        public void A_hash_mismatch_names_the_file_and_both_hashes()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var path = Mda.Write(blobs.Path, "app-7.mda");
                var expected = new string('e', 64);
                var blob = Mda.BlobWithModel(blobs.Path, Fixtures.Follower, "app-7.mda", expected);

                var run = AgentRun.Execute(AgentRun.NoSystem(root.Path, blob));

                Assert.Equal(2, run.ExitCode);
                Assert.Contains($"names {path}, whose SHA-256 is {Mda.Sha256(path)}, but key 'app.model.sha256' expects {expected}", run.Output);
            }
        }

        [Fact]
        public void A_file_only_run_checks_the_mda_too_and_logs_what_it_found()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var blob = Mda.BlobAndMda(blobs.Path, Fixtures.Leader);

                var run = AgentRun.Execute(AgentRun.NoSystem(root.Path, blob));

                Assert.Equal(0, run.ExitCode);
                Assert.Contains("verified (SHA-256 ", run.Output);
                Assert.Contains("Mendix 10.12.4.41735, Java 21)", run.Output);
                Assert.False(File.Exists(root.DeployedModelFile()), "a file-only run deploys nothing");
            }
        }
    }
}
