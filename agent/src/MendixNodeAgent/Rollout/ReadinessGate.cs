using System;
using System.Globalization;
using MendixNodeAgent.Blob;
using MendixNodeAgent.Logging;
using MendixNodeAgent.Timing;

namespace MendixNodeAgent.Rollout
{
    /// <summary>
    /// Waits until the node serves again as the load balancer sees it: the health path, asked through IIS the way the
    /// probe asks it, answers 200, and keeps answering 200 for the probe's threshold more intervals, which is what the
    /// load balancer needs to put the node back ("require the same number of successful consecutive probes to be
    /// placed back in rotation": Microsoft Learn, network REST API, ProbePropertiesFormat, probeThreshold). An app
    /// with its own host name is asked through its own site first: the probe never sees it.
    /// </summary>
    internal sealed class ReadinessGate
    {
        private const int QuietPolls = 12;

        private readonly IHealthEndpoint endpoint;
        private readonly IClock clock;
        private readonly AgentLog log;
        private readonly RolloutSpec rollout;
        private readonly string healthPath;

        public ReadinessGate(IHealthEndpoint endpoint, IClock clock, AgentLog log, RolloutSpec rollout, string healthPath)
        {
            this.endpoint = endpoint;
            this.clock = clock;
            this.log = log;
            this.rollout = rollout;
            this.healthPath = healthPath;
        }

        public string ProbeUrl => "http://localhost:" + rollout.ProbePort.ToString(CultureInfo.InvariantCulture) + healthPath;

        /// <summary>One question, as the probe asks it.</summary>
        public HealthAnswer AskAsProbe() => endpoint.Ask(rollout.ProbePort, healthPath, null, rollout.ProbeRequestTimeout);

        /// <summary>Until the app's own site answers 200 on the health path; an app that has a host name.</summary>
        public void WaitForApp(string app, string hostName, DateTime deadline)
        {
            var what = $"app '{app}': {ProbeUrl} (host {hostName})";
            var last = WaitForUp(what, hostName, deadline);
            log.Info($"{what} answers 200 ({last.Describe()})");
        }

        /// <summary>Until the probe's answer is 200, then for threshold more answers one interval apart, all 200.</summary>
        public void WaitForNode(DateTime deadline)
        {
            var what = $"node: {ProbeUrl} as the load balancer asks it";
            while (true)
            {
                WaitForUp(what, null, deadline);
                log.Info($"{what} answers 200; it must keep answering 200 for {rollout.ProbeThreshold} more probes {rollout.ProbeIntervalSeconds} s apart "
                    + $"({Seconds.Of(rollout.LoadBalancerReaction)} s: healthProbe.intervalSeconds x healthProbe.threshold) before the load balancer has the node back");
                var confirmed = 0;
                HealthAnswer? broken = null;
                while (confirmed < rollout.ProbeThreshold)
                {
                    clock.Sleep(rollout.ProbePeriod);
                    var answer = AskAsProbe();
                    if (!answer.IsUp)
                    {
                        broken = answer;
                        break;
                    }

                    confirmed++;
                }

                if (broken == null)
                {
                    log.Info($"{what}: {confirmed + 1} consecutive answers 200; the load balancer has the node back");
                    return;
                }

                log.Info($"{what} answered {broken.Describe()} after {confirmed + 1} answer(s) 200; waiting for it again");
                if (clock.UtcNow >= deadline)
                {
                    throw Failure(what, broken);
                }
            }
        }

        private HealthAnswer WaitForUp(string what, string? hostName, DateTime deadline)
        {
            string? lastShown = null;
            for (var poll = 0; ; poll++)
            {
                var answer = endpoint.Ask(rollout.ProbePort, healthPath, hostName, rollout.ProbeRequestTimeout);
                if (answer.IsUp)
                {
                    return answer;
                }

                if (clock.UtcNow >= deadline)
                {
                    throw Failure(what, answer);
                }

                var shown = answer.Describe();
                if (shown != lastShown || poll % QuietPolls == 0)
                {
                    var left = deadline - clock.UtcNow;
                    log.Info($"{what}: {shown}; not ready yet, asking again every {rollout.ProbeIntervalSeconds} s ({Seconds.Of(left)} s left of rollout.readyTimeoutSeconds {rollout.ReadyTimeoutSeconds})");
                    lastShown = shown;
                }

                clock.Sleep(rollout.ProbePeriod);
            }
        }

        private AgentFailureException Failure(string what, HealthAnswer last) =>
            new AgentFailureException(
                $"readiness: {what} did not answer 200 within rollout.readyTimeoutSeconds ({rollout.ReadyTimeoutSeconds} s); last answer: {last.Describe()}. "
                + "The apps are left as they are and this run fails, so the rollout's later batches do not start; "
                + "read the app's log (<app folder>\\Log) and this agent's log, put the app right, then run the agent again");
    }
}
