using System;
using System.IO;
using System.Linq;
using MendixNodeAgent.Settings;

namespace MendixNodeAgent.Windows
{
    /// <summary>The node's boot task, which runs 'resume' at every start of Windows (see <see cref="Node.ResumeCommand"/>).</summary>
    internal interface IBootTask
    {
        /// <summary>Copies the agent beside the apps and registers the task that runs it at startup.</summary>
        /// <returns>whether anything changed.</returns>
        bool Ensure(string appsRoot);
    }

    /// <summary>
    /// A scheduled task 'mendix-node-agent resume' (ScheduledTasks module: New-ScheduledTaskAction,
    /// New-ScheduledTaskTrigger -AtStartup, New-ScheduledTaskPrincipal as SYSTEM, Register-ScheduledTask; Microsoft Learn,
    /// learn.microsoft.com/powershell/module/scheduledtasks), running the agent copied to
    /// <c>&lt;appsRoot&gt;\node-agent\bin</c>, since the extension's download folder is the extension's to replace.
    /// </summary>
    internal sealed class WindowsBootTask : IBootTask
    {
        public const string TaskName = "mendix-node-agent resume";
        public const string ExecutableName = "mendix-node-agent.exe";

        /// <summary>
        /// The task's own limit, a safety net above 'resume''s rounds (<see cref="Node.ResumeCommand.RetryRoundsFor"/>), whose
        /// every step is bounded: the last round may start just before that time is up and take each app's ready timeout.
        /// </summary>
        public const int ExecutionTimeLimitHours = 8;

        private readonly IPowerShellRunner powerShell;
        private readonly string agentFolder;

        /// <param name="agentFolder">the folder the running agent was started from (its exe, config and YamlDotNet.dll).</param>
        public WindowsBootTask(IPowerShellRunner powerShell, string agentFolder)
        {
            this.powerShell = powerShell;
            this.agentFolder = agentFolder;
        }

        public static string BinFolder(string appsRoot) => Path.Combine(AppFolders.AgentFolder(appsRoot), "bin");

        public bool Ensure(string appsRoot)
        {
            var bin = BinFolder(appsRoot);
            var copied = CopyAgent(bin);
            var executable = Path.Combine(bin, ExecutableName);
            var result = ScriptOutput.RunChecked(powerShell, PowerShellScript.RegisterBootTask(TaskName, executable, ResumeArguments(appsRoot), ExecutionTimeLimitHours), $"register the scheduled task '{TaskName}'");
            var registered = ScriptOutput.Flag(ScriptOutput.Lines(result.Output), "registered")
                ?? throw new AgentFailureException($"boot task: unexpected answer while registering '{TaskName}': '{result.Output.Trim()}'");
            return copied || registered;
        }

        /// <summary>The task's arguments: resume, with the apps root quoted for the command line.</summary>
        public static string ResumeArguments(string appsRoot) => "resume --apps-root \"" + appsRoot.TrimEnd('\\') + "\"";

        private bool CopyAgent(string bin)
        {
            if (string.Equals(Path.GetFullPath(agentFolder).TrimEnd('\\', '/'), Path.GetFullPath(bin).TrimEnd('\\', '/'), StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            Directory.CreateDirectory(bin);
            var changed = false;
            foreach (var file in Directory.GetFiles(agentFolder).Where(f => f.EndsWith(".exe", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".config", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)))
            {
                var target = Path.Combine(bin, Path.GetFileName(file));
                if (!File.Exists(target) || !File.ReadAllBytes(target).SequenceEqual(File.ReadAllBytes(file)))
                {
                    File.Copy(file, target, overwrite: true);
                    changed = true;
                }
            }

            return changed;
        }
    }
}
