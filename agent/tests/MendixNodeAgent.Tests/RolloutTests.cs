using System;
using System.IO;
using System.Linq;
using MendixNodeAgent.Rollout;
using MendixNodeAgent.Tests.Support;
using MendixNodeAgent.Windows;
using Xunit;

namespace MendixNodeAgent.Tests
{
    /// <summary>
    /// The readiness gate and the drain, on a node whose IIS is a stand-in on loopback that evaluates the sites' real
    /// web.config files (URL Rewrite emulator) and answers for the runtimes from the Service Console stand-in; the
    /// agent asks it with its own HTTP client. Time is a fake clock: every wait is recorded and takes none.
    /// The fixtures' rollout: probe on port 80 every 5 s, threshold 2, readyTimeoutSeconds 600, drainSeconds 30.
    /// </summary>
    public class RolloutTests
    {
        private static AgentRun Run(TempAppsRoot root, TestNode node, params string[] blobs) =>
            AgentRun.Execute(AgentRun.OnSystem(root.Path, blobs), node.System("mxdev-1"));

        /// <summary>A follower node whose app has a model deployed and is stopped: the run starts it.</summary>
        private static TestNode StoppedAppWithModel(TempAppsRoot root)
        {
            var node = new TestNode();
            node.Runner.Apps["app"] = AppRunState.Stopped;
            var metadata = Path.Combine(root.AppFolder(), "Project", "model", "metadata.json");
            Directory.CreateDirectory(Path.GetDirectoryName(metadata)!);
            File.WriteAllText(metadata, "{\"RuntimeVersion\":\"10.18.0\"}");
            return node;
        }

        private static string Changed(TempAppsRoot blobs) =>
            Fixtures.Variant(blobs.Path, Fixtures.Follower, "  SessionTimeout: \"600000\"", "  SessionTimeout: \"900000\"", "changed.yaml");

        [Fact]
        public void After_a_start_the_run_waits_through_502_until_200_and_then_for_interval_times_threshold()
        {
            using (var root = new TempAppsRoot())
            {
                var node = StoppedAppWithModel(root);
                node.IisStandIn.StartingAnswers["app"] = 3;
                using (var iis = new LoopbackIis(node.IisStandIn))
                {
                    node.Health = iis.Endpoint();

                    var run = Run(root, node, Fixtures.PathOf(Fixtures.Follower));

                    Assert.Equal(0, run.ExitCode);
                    Assert.Equal(new[] { 502, 502, 502, 200, 200, 200 }, node.IisStandIn.Requests.Select(r => r.Status).ToArray());
                    Assert.All(node.IisStandIn.Requests, r =>
                    {
                        Assert.Equal("GET", r.Method);
                        Assert.Equal("/mendix-health", r.Path);
                        Assert.Equal("localhost", r.Host);
                    });
                    // Three pauses of one interval while it answers 502, then two more intervals (threshold 2) of 200s.
                    Assert.Equal(new[] { 5.0, 5, 5, 5, 5 }, node.Clock.Pauses.Select(p => p.TotalSeconds).ToArray());
                    Assert.Contains("node: http://localhost:80/mendix-health as the load balancer asks it: HTTP 502, body starting '<html><head><title>502", run.Output);
                    Assert.Contains("answers 200; it must keep answering 200 for 2 more probes 5 s apart (10 s: healthProbe.intervalSeconds x healthProbe.threshold)", run.Output);
                    Assert.Contains("3 consecutive answers 200; the load balancer has the node back", run.Output);
                    Assert.True(run.Output.IndexOf("the load balancer has the node back", StringComparison.Ordinal) < run.Output.IndexOf("done: ", StringComparison.Ordinal));
                }
            }
        }

        [Fact]
        public void An_app_that_never_answers_200_fails_the_run_after_the_ready_timeout_with_the_last_answer_and_is_left_as_it_is()
        {
            using (var root = new TempAppsRoot())
            {
                var node = StoppedAppWithModel(root);
                node.IisStandIn.StartingAnswers["app"] = int.MaxValue;
                using (var iis = new LoopbackIis(node.IisStandIn))
                {
                    node.Health = iis.Endpoint();

                    var run = Run(root, node, Fixtures.PathOf(Fixtures.Follower));

                    Assert.Equal(1, run.ExitCode);
                    Assert.Contains("readiness: node: http://localhost:80/mendix-health as the load balancer asks it did not answer 200 within rollout.readyTimeoutSeconds (600 s); "
                        + "last answer: HTTP 502, body starting '<html><head><title>502 - Web server received an invalid response while acting as a gateway or proxy server.</title></hea'", run.Output);
                    Assert.StartsWith("error: readiness: ", run.Errors);
                    Assert.InRange(node.Clock.Elapsed.TotalSeconds, 600, 605);
                    Assert.Equal(121, node.IisStandIn.Requests.Count);
                    Assert.Equal(AppRunState.Running, node.Runner.Apps["app"]);
                    Assert.DoesNotContain("Stop-MxApp app", node.Runner.Cmdlets);
                }
            }
        }

        [Fact]
        public void A_settings_change_drains_the_node_before_the_stop_and_undrains_it_once_ready()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var node = StoppedAppWithModel(root);
                using (var iis = new LoopbackIis(node.IisStandIn))
                {
                    node.Health = iis.Endpoint();
                    Assert.Equal(0, Run(root, node, Fixtures.PathOf(Fixtures.Follower)).ExitCode);
                    node.Runner.Cmdlets.Clear();
                    node.Clock.Pauses.Clear();
                    var before = node.IisStandIn.Requests.Count;
                    node.IisStandIn.StartingAnswers["app"] = 2;

                    var run = Run(root, node, Changed(blobs));

                    Assert.Equal(0, run.ExitCode);
                    Assert.Equal(new[] { "Get-MxApp app", "Stop-MxApp app", "Start-MxApp app" }, node.Runner.Cmdlets);
                    var requests = node.IisStandIn.Requests.Skip(before).ToList();
                    // Drained while still running (before the stop), then 502 while starting, then 200 three times.
                    Assert.Equal(new[] { 503, 502, 502, 200, 200, 200 }, requests.Select(r => r.Status).ToArray());
                    Assert.Equal(1, requests[0].CmdletsBefore);
                    Assert.Equal(3, requests[1].CmdletsBefore);
                    // The drain's wait: 2 probes x 5 s for the load balancer, then drainSeconds 30 for requests in flight.
                    Assert.Equal(40.0, node.Clock.Pauses[0].TotalSeconds);
                    Assert.Equal(new[] { 40.0, 5, 5, 5, 5 }, node.Clock.Pauses.Select(p => p.TotalSeconds).ToArray());
                    Assert.False(File.Exists(DrainMarker.PathIn(root.Path)));
                    var output = run.Output;
                    Assert.Contains("drain: http://localhost:80/mendix-health answers HTTP 503, body starting '<html><body>503 Draining", output);
                    Assert.True(output.IndexOf("drain: made the drain marker", StringComparison.Ordinal) < output.IndexOf("stopping (Stop-MxApp)", StringComparison.Ordinal));
                    Assert.True(output.IndexOf("starting (Start-MxApp", StringComparison.Ordinal) < output.IndexOf("drain: removed the drain marker", StringComparison.Ordinal));
                    Assert.True(output.IndexOf("drain: removed the drain marker", StringComparison.Ordinal) < output.IndexOf("the load balancer has the node back", StringComparison.Ordinal));
                }
            }
        }

        [Fact]
        public void A_failed_run_removes_its_drain_marker_and_the_next_run_removes_a_leftover_one_and_says_so()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var node = StoppedAppWithModel(root);
                Assert.Equal(0, Run(root, node, Fixtures.PathOf(Fixtures.Follower)).ExitCode);
                node.IisStandIn.StartingAnswers["app"] = int.MaxValue;

                var failed = Run(root, node, Changed(blobs));

                Assert.Equal(1, failed.ExitCode);
                Assert.Contains("drain: made the drain marker", failed.Output);
                Assert.Contains("drain: removed the drain marker", failed.Output);
                Assert.False(File.Exists(DrainMarker.PathIn(root.Path)));

                // A run that could not clean up (the process was ended) leaves the marker: the next run removes it first.
                node.IisStandIn.StartingAnswers["app"] = 0;
                File.WriteAllText(DrainMarker.PathIn(root.Path), "drained 2026-01-02T03:04:05Z by mendix-node-agent: app 'app' is about to stop\n");
                var next = Run(root, node, Changed(blobs));

                Assert.Equal(0, next.ExitCode);
                Assert.Contains($"drain: found the drain marker {DrainMarker.PathIn(root.Path)} left by an earlier run (drained 2026-01-02T03:04:05Z by mendix-node-agent: app 'app' is about to stop); removing it", next.Output);
                Assert.Contains("the load balancer has the node back", next.Output);
                Assert.False(File.Exists(DrainMarker.PathIn(root.Path)));
                Assert.Contains("found the drain marker", File.ReadAllText(root.LogFile));
            }
        }

        [Fact]
        public void A_drain_the_health_path_does_not_show_fails_the_run_before_anything_stops_naming_what_to_check()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var node = StoppedAppWithModel(root);
                Assert.Equal(0, Run(root, node, Fixtures.PathOf(Fixtures.Follower)).ExitCode);
                node.Runner.Cmdlets.Clear();
                node.IisStandIn.FileVisible = path => path != DrainMarker.PathIn(root.Path) && File.Exists(path);

                var run = Run(root, node, Changed(blobs));

                Assert.Equal(1, run.ExitCode);
                Assert.Contains($"drain: http://localhost:80/mendix-health still answers 200 while the drain marker {DrainMarker.PathIn(root.Path)} exists", run.Output);
                Assert.Contains("URL Rewrite's IsFile condition sees the marker", run.Output);
                Assert.Equal(new[] { "Get-MxApp app" }, node.Runner.Cmdlets);
                Assert.Equal(AppRunState.Running, node.Runner.Apps["app"]);
                Assert.False(File.Exists(DrainMarker.PathIn(root.Path)));
            }
        }

        [Fact]
        public void A_web_config_without_the_drain_rule_gets_it_before_the_node_is_drained()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var node = StoppedAppWithModel(root);
                Assert.Equal(0, Run(root, node, Fixtures.PathOf(Fixtures.Follower)).ExitCode);
                File.WriteAllText(root.WebConfig(), MendixNodeAgent.Iis.WebConfig.Render("app", 8080, "/mendix-health", null));
                var before = node.IisStandIn.Requests.Count;

                var run = Run(root, node, Changed(blobs));

                Assert.Equal(0, run.ExitCode);
                Assert.Contains("must hold the rule 'drain' before the node is drained", run.Output);
                Assert.Equal(503, node.IisStandIn.Requests[before].Status);
            }
        }

        [Fact]
        public void A_run_that_starts_nothing_does_not_wait()
        {
            using (var root = new TempAppsRoot())
            {
                var node = StoppedAppWithModel(root);
                Assert.Equal(0, Run(root, node, Fixtures.PathOf(Fixtures.Follower)).ExitCode);
                node.Clock.Pauses.Clear();
                var before = node.IisStandIn.Requests.Count;

                var run = Run(root, node, Fixtures.PathOf(Fixtures.Follower));

                Assert.Equal(0, run.ExitCode);
                Assert.Contains("done: nothing changed", run.Output);
                Assert.Empty(node.Clock.Pauses);
                Assert.Equal(before, node.IisStandIn.Requests.Count);
            }
        }

        [Fact]
        public void An_app_with_its_own_host_name_is_asked_through_its_own_site_and_the_node_is_undrained_after_it_serves()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var node = StoppedAppWithModel(root);
                node.Runner.Apps["crm"] = AppRunState.Stopped;
                var crmModel = Path.Combine(root.AppFolder("crm"), "Project", "model", "metadata.json");
                Directory.CreateDirectory(Path.GetDirectoryName(crmModel)!);
                File.WriteAllText(crmModel, "{}");
                var app = Fixtures.PathOf(Fixtures.Follower);
                var crm = Fixtures.WriteBlob(blobs.Path, Fixtures.AsOtherApp(Fixtures.Text(Fixtures.Follower), "crm"), "crm.yaml");
                using (var iis = new LoopbackIis(node.IisStandIn))
                {
                    node.Health = iis.Endpoint();
                    Assert.Equal(0, Run(root, node, app, crm).ExitCode);
                    var before = node.IisStandIn.Requests.Count;
                    node.IisStandIn.StartingAnswers["crm"] = 2;
                    var changedCrm = Fixtures.WriteBlob(blobs.Path, Fixtures.AsOtherApp(File.ReadAllText(Changed(blobs)), "crm"), "crm-changed.yaml");

                    var run = Run(root, node, app, changedCrm);

                    Assert.Equal(0, run.ExitCode);
                    var requests = node.IisStandIn.Requests.Skip(before).Select(r => (r.Host ?? "(none)", r.Status)).ToArray();
                    Assert.Equal(
                        new[] { ("localhost", 503), ("crm.example.com", 502), ("crm.example.com", 502), ("crm.example.com", 200), ("localhost", 200), ("localhost", 200), ("localhost", 200) },
                        requests);
                    Assert.Contains("app 'crm': http://localhost:80/mendix-health (host crm.example.com) answers 200", run.Output);
                }
            }
        }
    }
}
