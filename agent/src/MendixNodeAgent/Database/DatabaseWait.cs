using System;
using System.Collections.Generic;
using MendixNodeAgent.Blob;
using MendixNodeAgent.Logging;
using MendixNodeAgent.Timing;

namespace MendixNodeAgent.Database
{
    /// <summary>
    /// Before an app's first database-dependent step (Start-MxApp, or stopping a running app to restart it), waits until
    /// its database accepts a sign-in: on a first deployment the stack runs the agent while the database may still be
    /// being created, so everything before (disk, prerequisites, IIS, Java, console, server distribution, Settings.yaml,
    /// the model unpacked) overlaps with that. A growing pause between tries, a log line per retry, at most
    /// rollout.databaseWaitSeconds; each app's database once per run.
    /// </summary>
    internal sealed class DatabaseWait
    {
        public static readonly TimeSpan SignInTimeout = TimeSpan.FromSeconds(30);

        private readonly IDatabaseProbe probe;
        private readonly IClock clock;
        private readonly AgentLog log;
        private readonly HashSet<string> ready = new HashSet<string>(StringComparer.Ordinal);

        public DatabaseWait(IDatabaseProbe probe, IClock clock, AgentLog log)
        {
            this.probe = probe;
            this.clock = clock;
            this.log = log;
        }

        /// <summary>The pause before the n-th retry (1-based): 5, 10, 20 s, then every 30 s.</summary>
        public static TimeSpan Pause(int retry) => TimeSpan.FromSeconds(Math.Min(30, 5 * Math.Pow(2, Math.Min(retry - 1, 3))));

        public void EnsureReady(NodeSettings blob)
        {
            var app = blob.AppName;
            if (ready.Contains(app))
            {
                return;
            }

            var target = DatabaseTarget.Of(blob);
            var patience = TimeSpan.FromSeconds(blob.Rollout.DatabaseWaitSeconds);
            var started = clock.UtcNow;
            for (var retry = 1; ; retry++)
            {
                try
                {
                    probe.SignIn(target, SignInTimeout);
                    log.Info($"app '{app}': {target.Describe()} accepts a sign-in" + (retry > 1 ? $" (after {Seconds.Of(clock.UtcNow - started)} s)" : string.Empty));
                    ready.Add(app);
                    return;
                }
                catch (DatabaseUnavailableException e)
                {
                    var waited = clock.UtcNow - started;
                    var pause = Pause(retry);
                    if (waited + pause > patience)
                    {
                        throw new AgentFailureException(
                            $"{blob.SourceFile}: app '{app}': {target.Describe()} did not accept a sign-in within rollout.databaseWaitSeconds ({blob.Rollout.DatabaseWaitSeconds} s, {retry} attempts); "
                            + $"last error: {e.Message}. Check that the database exists, that its server's firewall or private endpoint admits this node, and that "
                            + (target.IdentityClientId == null
                                ? "runtimeSettings.DatabaseUserName and DatabasePassword sign in"
                                : $"this VM carries the app's identity {target.IdentityClientId} and the database has its user (the Run Command mendix-database-users-* makes it, "
                                    + "on the node that carries the SQL server's Entra admin)")
                            + "; the app was not started");
                    }

                    log.Info($"app '{app}': {target.Describe()} does not accept a sign-in yet ({e.Message}); retry {retry} in {Seconds.Of(pause)} s ({Seconds.Of(waited)} s of {blob.Rollout.DatabaseWaitSeconds} s waited)");
                    clock.Sleep(pause);
                }
            }
        }
    }
}
