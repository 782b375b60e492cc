using System.IO;
using MendixNodeAgent.Logging;
using MendixNodeAgent.Settings;
using MendixNodeAgent.Timing;

namespace MendixNodeAgent.Node
{
    /// <summary>
    /// The 'serve' and 'stand-by' commands, which <c>npm run failover</c> runs through Run Command on each node whose region
    /// it makes serve or stand by, before it starts or stops the node's apps: the node's <see cref="RegionRoleRecord"/>, and
    /// every app's completed-run record (<see cref="CompletedApp"/>) made to say running or not, so that the boot task's
    /// 'resume' after a restart, and every later 'apply', leave the apps as the failover did. Starting and stopping is the
    /// failover's own script's; this command changes no app.
    /// </summary>
    internal sealed class RegionRoleCommand
    {
        private readonly AgentLog log;
        private readonly IClock clock;

        public RegionRoleCommand(AgentLog log, IClock clock)
        {
            this.log = log;
            this.clock = clock;
        }

        public void Execute(string appsRoot, RegionRole role)
        {
            log.AttachFile(AppFolders.AgentLogFile(appsRoot));
            using (NodeLock.Acquire(appsRoot, clock, log))
            {
                RegionRoleRecord.Write(appsRoot, role);
                var serving = role == RegionRole.Serving;
                log.Info($"region role: this node {(serving ? "serves" : "stands by")} from now on ({RegionRoleRecord.FileIn(appsRoot)})");
                var apps = CompletedApp.ReadAll(appsRoot);
                if (apps.Count == 0)
                {
                    log.Info($"region role: no completed run recorded under {CompletedApp.Folder(appsRoot)}; the first completed 'apply' records the apps as this role has them");
                }

                foreach (var app in apps)
                {
                    var running = serving && (app.ModelSha256 != null || File.Exists(AppFolders.ModelMetadataFile(appsRoot, app.AppName)));
                    app.WithRunning(running).Write(appsRoot);
                    log.Info($"app '{app.AppName}': recorded as {(running ? "running" : "not running")}, which the boot task brings back after a restart");
                }
            }
        }
    }
}
