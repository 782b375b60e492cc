using System.Collections.Generic;
using System.IO;
using MendixNodeAgent.Blob;
using MendixNodeAgent.Tests.Support;
using Xunit;

namespace MendixNodeAgent.Tests
{
    /// <summary>What schema version 3 adds on the contract's side: the node's identity and the model's path in the download folder.</summary>
    public class SchemaVersion3BlobTests
    {
        private const string ClientIdLine = "  identityClientId: 6f1c2a9e-0000-4000-8000-000000000001\n";
        private const string AdminPort = "  adminPort: 8090\n";

        private static string ModelSection(string file) => AdminPort + "  model:\n    file: " + file + "\n    sha256: " + new string('a', 64) + "\n";

        [Fact]
        public void The_node_identity_is_read_as_a_lower_case_guid()
        {
            using (var blobs = new TempAppsRoot())
            {
                var blob = Fixtures.Variant(blobs.Path, Fixtures.Follower, ClientIdLine, "  identityClientId: 6F1C2A9E-0000-4000-8000-00000000000A\n");

                Assert.Equal("6f1c2a9e-0000-4000-8000-000000000001", NodeSettingsBlobReader.Read(Fixtures.PathOf(Fixtures.Follower)).Node.IdentityClientId);
                Assert.Equal("6f1c2a9e-0000-4000-8000-00000000000a", NodeSettingsBlobReader.Read(blob).Node.IdentityClientId);
            }
        }

        public static IEnumerable<object[]> BadClientIds() => new[]
        {
            new object[] { "  identityClientId: not-a-guid\n", "allowed: the client id (a GUID" },
            new object[] { "  identityClientId: 6f1c2a9e000040008000000000000001\n", "allowed: the client id (a GUID" },
            new object[] { "  identityClientId: '{6f1c2a9e-0000-4000-8000-000000000001}'\n", "allowed: the client id (a GUID" },
            new object[] { "  identityClientId: 6f1c2a9e-0000-4000-8000-00000000000g\n", "allowed: the client id (a GUID" },
            new object[] { "  identityClientId: 42\n", "must be a string" },
            new object[] { string.Empty, "is missing" },
        };

        [Theory]
        [MemberData(nameof(BadClientIds))]
        public void A_bad_node_identity_exits_2_naming_the_key(string to, string rule)
            => RefusedBlobRun.AssertFollowerVariantRefused(ClientIdLine, to, "node.identityClientId", rule);

        [Theory]
        [InlineData("../app.mda")]
        [InlineData("models/../app.mda")]
        [InlineData("models/./app.mda")]
        [InlineData("/models/app/app.mda")]
        [InlineData("models//app.mda")]
        [InlineData("'models\\app\\app.mda'")]
        [InlineData("C:/models/app.mda")]
        [InlineData(".models/app.mda")]
        [InlineData("models/app/app.zip")]
        [InlineData("models/app/")]
        public void A_model_path_that_is_not_a_plain_relative_path_exits_2(string file)
            => RefusedBlobRun.AssertFollowerVariantRefused(AdminPort, ModelSection(file), "app.model.file", "a relative path in the download folder");

        [Fact]
        public void Blobs_of_one_run_name_one_identity()
        {
            using (var refused = new RefusedBlobRun())
            {
                var first = refused.Write(Fixtures.Text(Fixtures.Follower));
                var second = refused.Write(Fixtures.AsOtherApp(Fixtures.Text(Fixtures.Follower).Replace(ClientIdLine, "  identityClientId: 6f1c2a9e-0000-4000-8000-000000000009\n"), "crm"));

                var run = refused.Apply(first, second);

                Assert.Contains($"{second}: key 'node.identityClientId' has value '6f1c2a9e-0000-4000-8000-000000000009'", run.Output);
            }
        }

        [Fact]
        public void A_blob_without_the_rollout_section_exits_2()
            => RefusedBlobRun.AssertFollowerWithoutSectionRefused("rollout");

        [Fact]
        public void The_model_is_found_under_its_path_in_the_working_directory_not_next_to_the_blob()
        {
            using (var download = new TempAppsRoot())
            using (var root = new TempAppsRoot())
            {
                var mda = Mda.Write(Path.Combine(download.Path, "models", "app"), "app-1.mda");
                var blob = Fixtures.WriteBlob(Path.Combine(download.Path, "nodes", "node-1"), Mda.WithModel(Fixtures.Text(Fixtures.Follower), "models/app/app-1.mda", Mda.Sha256(mda)), "app.yaml");

                var fromDownloadFolder = AgentRun.Execute(AgentRun.NoSystem(root.Path, blob), workingDirectory: download.Path);
                var fromBlobFolder = AgentRun.Execute(AgentRun.NoSystem(root.Path, blob), workingDirectory: Path.GetDirectoryName(blob));

                Assert.Equal(0, fromDownloadFolder.ExitCode);
                Assert.Contains($"model {Path.GetFullPath(mda)} verified", fromDownloadFolder.Output);
                Assert.Equal(2, fromBlobFolder.ExitCode);
                Assert.Contains("which does not exist", fromBlobFolder.Output);
            }
        }
    }
}
