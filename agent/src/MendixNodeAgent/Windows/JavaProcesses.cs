using System.Collections.Generic;
using System.Linq;

namespace MendixNodeAgent.Windows
{
    /// <summary>What the node's running Mendix runtimes were started with.</summary>
    internal interface IJavaProcesses
    {
        /// <summary>The command lines of the JVMs the app's Windows service started; none when it runs none.</summary>
        IReadOnlyList<string> RuntimeCommandLines(string appName);
    }

    internal sealed class WindowsJavaProcesses : IJavaProcesses
    {
        private readonly IPowerShellRunner powerShell;

        public WindowsJavaProcesses(IPowerShellRunner powerShell)
        {
            this.powerShell = powerShell;
        }

        public IReadOnlyList<string> RuntimeCommandLines(string appName)
        {
            var output = ScriptOutput.RunChecked(powerShell, PowerShellScript.RuntimeJavaCommandLines(appName), $"read the command line of app '{appName}''s Java process").Output;
            return ScriptOutput.Lines(output).Where(line => line.Key == "java").Select(line => line.Value).ToList();
        }
    }
}
