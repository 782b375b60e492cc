using System;
using System.Linq;
using System.Text;
using MendixNodeAgent.Identity;
using MendixNodeAgent.Storage;
using MendixNodeAgent.Tests.Support;
using Xunit;

namespace MendixNodeAgent.Tests
{
    /// <summary>
    /// An app that signs in with its own identity waits, after its database, for its files container to let the identity
    /// in before its start (a new grant takes up to 10 minutes); the probe asks as the runtime's Blob Storage client does.
    /// </summary>
    public class FilesWaitTests
    {
        [Fact]
        public void A_container_that_refuses_the_apps_identity_at_first_is_waited_for_before_the_start()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var (node, blob) = IdentityApp.FirstDeployment(blobs, root);
                node.Files.Refusals = 2;

                var run = AgentRun.Execute(AgentRun.OnSystem(root.Path, blob), node.System("mxdev-1"));

                Assert.Equal(0, run.ExitCode);
                var target = node.Files.SignIns[0];
                Assert.Equal(("https://mxdevfiles.blob.core.windows.net/files-app", Fixtures.AppClientId), (target.ContainerAddress.ToString(), target.IdentityClientId));
                Assert.Contains($"app 'app': files container https://mxdevfiles.blob.core.windows.net/files-app as managed identity {Fixtures.AppClientId} does not let it in yet "
                    + "(Blob Storage answered HTTP 403, AuthorizationPermissionMismatch); retry 1 in 5 s", run.Output);
                var letIn = run.Output.IndexOf("lets it in (after 15 s)", StringComparison.Ordinal);
                Assert.True(letIn > 0 && letIn < run.Output.IndexOf("starting (Start-MxApp", StringComparison.Ordinal), run.Output);
            }
        }

        [Fact]
        public void A_container_that_never_lets_the_identity_in_fails_the_run_naming_the_grant_to_check()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var (node, blob) = IdentityApp.FirstDeployment(blobs, root);
                node.Files.Refusals = int.MaxValue;

                var run = AgentRun.Execute(AgentRun.OnSystem(root.Path, blob), node.System("mxdev-1"));

                Assert.Equal(1, run.ExitCode);
                Assert.Contains("did not let it in within rollout.databaseWaitSeconds (1800 s, ", run.Output);
                Assert.Contains($"Check that this VM carries the app's identity {Fixtures.AppClientId}, that it has Storage Blob Data Contributor on container 'files-app'", run.Output);
            }
        }

        [Fact]
        public void An_app_that_signs_in_with_the_key_is_not_asked_about()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var node = new TestNode();
                node.Downloader.Files["https://cdn.mendix.com/runtime/mendix-" + Mda.Version10 + ".tar.gz"] = Encoding.ASCII.GetBytes("a server distribution");

                var run = AgentRun.Execute(AgentRun.OnSystem(root.Path, Mda.BlobAndMda(blobs.Path, Fixtures.Follower)), node.System("mxdev-1"));

                Assert.Equal(0, run.ExitCode);
                Assert.Empty(node.Files.SignIns);
            }
        }

        [Fact]
        public void The_probe_lists_one_blob_of_the_container_with_a_storage_token_of_the_apps_identity()
        {
            using (var azure = new AzureStandIn())
            {
                azure.Other = request => request.Path == "/mxdevfiles/files-app" ? new StandInAnswer(200, "<?xml version=\"1.0\"?><EnumerationResults/>") : new StandInAnswer(404, "{}");
                var sender = new RetryingHttp(TimeSpan.FromSeconds(5), new[] { TimeSpan.FromMilliseconds(10) });
                var probe = new BlobContainerProbe(new InstanceMetadataTokens(azure.Address, sender), sender);

                probe.SignIn(new FilesTarget(new Uri(azure.Address, "mxdevfiles/files-app"), "files-app", Fixtures.AppClientId), TimeSpan.FromSeconds(5));

                var token = azure.Requests.Single(request => request.IsTokenRequest);
                Assert.Equal("api-version=2018-02-01&resource=https%3A%2F%2Fstorage.azure.com%2F&client_id=" + Fixtures.AppClientId, token.Query);
                var list = azure.Requests.Single(request => !request.IsTokenRequest);
                Assert.Equal(("GET", "restype=container&comp=list&maxresults=1", "Bearer " + AzureStandIn.Token), (list.Method, list.Query, list.Authorization));
            }
        }

        [Fact]
        public void A_refusal_is_reported_with_the_storage_error_code()
        {
            using (var azure = new AzureStandIn())
            {
                azure.Other = _ => new StandInAnswer(403, "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>AuthorizationPermissionMismatch</Code><Message>This request is not authorized.</Message></Error>");
                var sender = new RetryingHttp(TimeSpan.FromSeconds(5), new[] { TimeSpan.FromMilliseconds(10) });
                var probe = new BlobContainerProbe(new InstanceMetadataTokens(azure.Address, sender), sender);

                var refused = Assert.Throws<FilesUnavailableException>(() => probe.SignIn(new FilesTarget(new Uri(azure.Address, "mxdevfiles/files-app"), "files-app", Fixtures.AppClientId), TimeSpan.FromSeconds(5)));

                Assert.Equal("Blob Storage answered HTTP 403, AuthorizationPermissionMismatch", refused.Message);
            }
        }
    }
}
