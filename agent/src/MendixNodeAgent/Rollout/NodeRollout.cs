using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MendixNodeAgent.Blob;
using MendixNodeAgent.Database;
using MendixNodeAgent.Iis;
using MendixNodeAgent.Logging;
using MendixNodeAgent.Settings;
using MendixNodeAgent.Storage;
using MendixNodeAgent.Timing;
using MendixNodeAgent.Windows;

namespace MendixNodeAgent.Rollout
{
    /// <summary>
    /// One run's part in a rolling change, on a real node: the node is drained once before the first app that serves
    /// is stopped, each app's database is waited for before its start, and at the end the readiness gate holds the run
    /// until the load balancer has the node back. A node never stays drained after a run: a marker an earlier run left
    /// is removed first, and a failed run removes its own.
    /// </summary>
    internal sealed class NodeRollout : IAppLifecycle
    {
        /// <summary>How long a fresh drain marker may take to show on the health path (IIS rereads a changed web.config by itself).</summary>
        public static readonly TimeSpan DrainShowsWithin = TimeSpan.FromSeconds(5);

        private readonly NodeSettings probed;
        private readonly string appsRoot;
        private readonly RolloutSpec rollout;
        private readonly DrainMarker marker;
        private readonly ReadinessGate gate;
        private readonly DatabaseWait database;
        private readonly IClock clock;
        private readonly AgentLog log;
        private readonly IJavaProcesses java;
        private readonly List<NodeSettings> started = new List<NodeSettings>();
        private bool drained;
        private bool leftoverRemoved;

        public NodeRollout(IReadOnlyList<NodeSettings> blobs, string appsRoot, IHealthEndpoint health, IDatabaseProbe databaseProbe, IFilesProbe filesProbe, IJavaProcesses java, IClock clock, AgentLog log)
        {
            this.java = java;
            // The run's blobs hold exactly one app without a host name: the site the probe reaches (RunConsistency).
            probed = blobs.Single(blob => blob.App.HostName == null);
            this.appsRoot = appsRoot;
            rollout = blobs[0].Rollout;
            marker = new DrainMarker(appsRoot);
            gate = new ReadinessGate(health, clock, log, rollout, blobs[0].Site.HealthPath);
            database = new DatabaseWait(databaseProbe, filesProbe, clock, log);
            this.clock = clock;
            this.log = log;
        }

        /// <summary>At the start of a run: a marker left by an earlier run that could not remove it goes.</summary>
        public void RemoveLeftoverMarker()
        {
            if (!marker.Exists)
            {
                return;
            }

            log.Info($"drain: found the drain marker {marker.FilePath} left by an earlier run ({marker.Describe()}); removing it, so that the node does not stay out of the load balancer's pool");
            marker.Remove();
            leftoverRemoved = true;
        }

        public void BeforeStop(NodeSettings blob)
        {
            database.EnsureReady(blob);
            Drain(blob.AppName);
        }

        public void BeforeStart(NodeSettings blob) => database.EnsureReady(blob);

        public void Started(NodeSettings blob)
        {
            started.Add(blob);
            if (blob.App.IdentityClientId != null)
            {
                CheckRuntimeIdentity(blob, blob.App.IdentityClientId);
            }
        }

        /// <summary>
        /// An app that signs in with its identity must have it on its JVM's command line: on a VM with several identities
        /// the runtime's DefaultAzureCredential gets no token for Blob Storage without AZURE_CLIENT_ID.
        /// </summary>
        private void CheckRuntimeIdentity(NodeSettings blob, string clientId)
        {
            var app = blob.AppName;
            var wanted = JvmArguments.ClientIdArgumentFor(clientId);
            var commandLines = java.RuntimeCommandLines(app);
            var check = "check that the installed Service Console passes Runtime.OtherVMArguments of Settings.yaml to java (agent/README.md, \"To check on a real node\")";
            if (commandLines.Count == 0)
            {
                throw new AgentFailureException($"app '{app}': started, but its Windows service runs no Java process the agent can find, so it cannot tell whether the runtime signs in as identity {clientId} ({wanted}); {check}");
            }

            if (!commandLines.Any(line => line.Split(' ', '\t').Contains(wanted)))
            {
                throw new AgentFailureException($"app '{app}': its Java process was started without {wanted}, so its runtime cannot tell which of the VM's identities signs in to Blob Storage; {check}");
            }

            log.Info($"app '{app}': its Java process carries {wanted}");
        }

        /// <summary>After the apps and their sites: the readiness gate, and the node undrained.</summary>
        public void Finish()
        {
            if (started.Count == 0 && !drained && !leftoverRemoved)
            {
                return;
            }

            var deadline = clock.UtcNow + TimeSpan.FromSeconds(rollout.ReadyTimeoutSeconds);
            log.Info($"readiness: waiting for {(started.Count == 0 ? "the node" : string.Join(", ", started.Select(b => "app '" + b.AppName + "'")))} to serve through IIS, at most rollout.readyTimeoutSeconds ({rollout.ReadyTimeoutSeconds} s)");
            foreach (var blob in started.Where(b => b.App.HostName != null))
            {
                gate.WaitForApp(blob.AppName, blob.App.HostName!, deadline);
            }

            if (marker.Exists)
            {
                marker.Remove();
                log.Info($"drain: removed the drain marker {marker.FilePath}; {gate.ProbeUrl} answers from app '{probed.AppName}' again");
            }

            gate.WaitForNode(deadline);
        }

        /// <summary>When the run failed: the node is not left drained.</summary>
        public void AfterFailure()
        {
            if (!marker.Exists)
            {
                return;
            }

            try
            {
                marker.Remove();
                log.Info($"drain: this run failed; removed the drain marker {marker.FilePath}, so that the node does not stay drained: the load balancer's probe sees app '{probed.AppName}''s own answer again (not 200 while it is stopped)");
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                log.Error($"drain: this run failed and the drain marker {marker.FilePath} could not be removed ({e.Message}); the next run removes it, or delete the file by hand");
            }
        }

        private void Drain(string stoppingApp)
        {
            if (drained)
            {
                return;
            }

            EnsureDrainRule();
            marker.Create($"app '{stoppingApp}' is about to stop", clock.UtcNow);
            drained = true;
            log.Info($"drain: made the drain marker {marker.FilePath} before app '{stoppingApp}' stops; {gate.ProbeUrl} answers 503 while it exists");
            VerifyDrained();

            var wait = rollout.LoadBalancerReaction + TimeSpan.FromSeconds(rollout.DrainSeconds);
            log.Info($"drain: waiting {Seconds.Of(wait)} s: {rollout.ProbeThreshold} probes {rollout.ProbeIntervalSeconds} s apart for the load balancer to take the node out of its pool, "
                + $"then rollout.drainSeconds ({rollout.DrainSeconds} s) for the requests in flight");
            clock.Sleep(wait);
        }

        /// <summary>The probed site's web.config must hold the drain rule before the marker means anything.</summary>
        private void EnsureDrainRule()
        {
            var plan = SitePlan.For(probed, appsRoot);
            var path = Path.Combine(plan.PhysicalPath, "web.config");
            var current = File.Exists(path) ? File.ReadAllText(path) : null;
            if (current == plan.WebConfig)
            {
                return;
            }

            Directory.CreateDirectory(plan.PhysicalPath);
            AtomicFile.WriteAllText(path, plan.WebConfig);
            log.Info($"drain: wrote {path}, which must hold the rule '{WebConfig.DrainRuleName}' before the node is drained");
        }

        private void VerifyDrained()
        {
            var until = clock.UtcNow + DrainShowsWithin;
            while (true)
            {
                var answer = gate.AskAsProbe();
                if (!answer.IsUp)
                {
                    log.Info($"drain: {gate.ProbeUrl} answers {answer.Describe()}");
                    return;
                }

                if (clock.UtcNow >= until)
                {
                    throw new AgentFailureException(
                        $"drain: {gate.ProbeUrl} still answers 200 while the drain marker {marker.FilePath} exists, so the load balancer would keep sending requests to an app about to stop; "
                        + $"check that app '{probed.AppName}''s web.config holds the rule '{WebConfig.DrainRuleName}' and that URL Rewrite's IsFile condition sees the marker "
                        + $"(the application pool's identity needs read access to {Path.GetDirectoryName(marker.FilePath)}); nothing was stopped");
                }

                clock.Sleep(TimeSpan.FromSeconds(1));
            }
        }
    }
}
