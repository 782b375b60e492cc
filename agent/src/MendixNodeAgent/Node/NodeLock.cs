using System;
using System.IO;
using MendixNodeAgent.Logging;
using MendixNodeAgent.Settings;
using MendixNodeAgent.Timing;

namespace MendixNodeAgent.Node
{
    /// <summary>
    /// One agent at a time on a node: 'apply' (the extension, which may run again after a reboot that cut it off) and
    /// 'resume' (the boot task) each hold <c>&lt;appsRoot&gt;\node-agent\agent.lock</c> open, unshared, while they work;
    /// Windows releases it when the process ends, however it ends.
    /// </summary>
    internal sealed class NodeLock : IDisposable
    {
        public static readonly TimeSpan WaitAtMost = TimeSpan.FromMinutes(60);
        private static readonly TimeSpan Poll = TimeSpan.FromSeconds(5);

        private readonly FileStream stream;

        private NodeLock(FileStream stream)
        {
            this.stream = stream;
        }

        public static string FileIn(string appsRoot) => Path.Combine(AppFolders.AgentFolder(appsRoot), "agent.lock");

        public static NodeLock Acquire(string appsRoot, IClock clock, AgentLog log)
        {
            var path = FileIn(appsRoot);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var until = clock.UtcNow + WaitAtMost;
            var told = false;
            while (true)
            {
                try
                {
                    return new NodeLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
                }
                catch (IOException) when (clock.UtcNow < until)
                {
                    if (!told)
                    {
                        log.Info($"lock: another agent run holds {path} (the extension's run or the boot task's resume); waiting for it, at most {WaitAtMost.TotalMinutes} minutes");
                        told = true;
                    }

                    clock.Sleep(Poll);
                }
                catch (IOException e)
                {
                    throw new AgentFailureException($"lock: another agent run still holds {path} after {WaitAtMost.TotalMinutes} minutes ({e.Message}); look for a mendix-node-agent process that hangs");
                }
            }
        }

        public void Dispose() => stream.Dispose();
    }
}
