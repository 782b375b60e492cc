using System;
using System.Collections.Generic;
using MendixNodeAgent.Blob;
using MendixNodeAgent.Logging;
using MendixNodeAgent.Storage;
using MendixNodeAgent.Timing;

namespace MendixNodeAgent.Database
{
    /// <summary>
    /// Before an app's first database-dependent step (Start-MxApp, or stopping a running app to restart it), waits until
    /// its database accepts a sign-in: on a first deployment the stack runs the agent while the database may still be
    /// being created, so everything before (disk, prerequisites, IIS, Java, console, server distribution, Settings.yaml,
    /// the model unpacked) overlaps with that. An app that signs in with its own identity waits, after its database, for
    /// its files container to let the identity in too (a new grant takes up to 10 minutes: "Troubleshoot Azure RBAC").
    /// A growing pause between tries, a log line per retry, at most rollout.databaseWaitSeconds for each; each app once
    /// per run.
    /// </summary>
    internal sealed class DatabaseWait
    {
        public static readonly TimeSpan SignInTimeout = TimeSpan.FromSeconds(30);

        private readonly IDatabaseProbe probe;
        private readonly IFilesProbe files;
        private readonly IClock clock;
        private readonly AgentLog log;
        private readonly HashSet<string> ready = new HashSet<string>(StringComparer.Ordinal);

        public DatabaseWait(IDatabaseProbe probe, IFilesProbe files, IClock clock, AgentLog log)
        {
            this.probe = probe;
            this.files = files;
            this.clock = clock;
            this.log = log;
        }

        /// <summary>The pause before the n-th retry (1-based): 5, 10, 20 s, then every 30 s.</summary>
        public static TimeSpan Pause(int retry) => TimeSpan.FromSeconds(Math.Min(30, 5 * Math.Pow(2, Math.Min(retry - 1, 3))));

        public void EnsureReady(NodeSettings blob)
        {
            if (ready.Contains(blob.AppName))
            {
                return;
            }

            var target = DatabaseTarget.Of(blob);
            Wait(blob, target.Describe(), ("accepts a sign-in", "accept a sign-in"), () => probe.SignIn(target, SignInTimeout),
                "Check that the database exists, that its server's firewall or private endpoint admits this node, and that "
                + (target.IdentityClientId == null
                    ? "runtimeSettings.DatabaseUserName and DatabasePassword sign in"
                    : $"this VM carries the app's identity {target.IdentityClientId} and the database has its user (the Run Command mendix-database-users-* makes it, "
                        + "on the node that carries the SQL server's Entra admin)"));
            var container = FilesTarget.Of(blob);
            if (container != null)
            {
                Wait(blob, container.Describe(), ("lets it in", "let it in"), () => files.SignIn(container, SignInTimeout),
                    $"Check that this VM carries the app's identity {container.IdentityClientId}, that it has Storage Blob Data Contributor on container '{container.Container}', "
                    + "and that the storage account's firewall admits this node's subnet");
            }

            ready.Add(blob.AppName);
        }

        /// <param name="verb">what the target does once ready: as in "it accepts a sign-in", and as in "it did not accept a sign-in".</param>
        private void Wait(NodeSettings blob, string what, (string Does, string Do) verb, Action tryOnce, string check)
        {
            var app = blob.AppName;
            var patience = TimeSpan.FromSeconds(blob.Rollout.DatabaseWaitSeconds);
            var started = clock.UtcNow;
            for (var retry = 1; ; retry++)
            {
                try
                {
                    tryOnce();
                    log.Info($"app '{app}': {what} {verb.Does}" + (retry > 1 ? $" (after {Seconds.Of(clock.UtcNow - started)} s)" : string.Empty));
                    return;
                }
                catch (Exception e) when (e is DatabaseUnavailableException || e is FilesUnavailableException)
                {
                    var waited = clock.UtcNow - started;
                    var pause = Pause(retry);
                    if (waited + pause > patience)
                    {
                        throw new AgentFailureException(
                            $"{blob.SourceFile}: app '{app}': {what} did not {verb.Do} within rollout.databaseWaitSeconds ({blob.Rollout.DatabaseWaitSeconds} s, {retry} attempts); "
                            + $"last error: {e.Message}. {check}; the app was not started");
                    }

                    log.Info($"app '{app}': {what} does not {verb.Do} yet ({e.Message}); retry {retry} in {Seconds.Of(pause)} s ({Seconds.Of(waited)} s of {blob.Rollout.DatabaseWaitSeconds} s waited)");
                    clock.Sleep(pause);
                }
            }
        }
    }
}
