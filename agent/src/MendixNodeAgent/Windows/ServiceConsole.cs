using System;

namespace MendixNodeAgent.Windows
{
    internal enum AppRunState
    {
        Missing,
        Stopped,
        Running,
    }

    /// <summary>The Mendix Service Console, driven through its PowerShell cmdlets.</summary>
    internal interface IServiceConsole
    {
        AppRunState GetState(string appName);

        void CreateApp(string appName);

        void StopApp(string appName);

        void StartApp(string appName, bool synchronizeDatabase);
    }

    /// <summary>
    /// Runs Get-MxApp, New-MxApp, Start-MxApp and Stop-MxApp from Mendix.Service.Commands.dll
    /// (Service Console 4.7.4 or newer, Windows PowerShell 5.1;
    /// mendix/docs content/en/docs/deployment/on-premises-design/ms-windows/automate-mendix-deployment-on-microsoft-windows.md).
    /// </summary>
    internal sealed class MendixServiceConsole : IServiceConsole
    {
        private readonly IPowerShellRunner powerShell;
        private readonly string installFolder;

        public MendixServiceConsole(IPowerShellRunner powerShell, string installFolder = PowerShellScript.DefaultServiceConsoleFolder)
        {
            this.powerShell = powerShell;
            this.installFolder = installFolder;
        }

        public AppRunState GetState(string appName)
        {
            var output = Run(PowerShellScript.QueryApp(installFolder, appName), $"query app '{appName}'");
            foreach (var line in output.Split(new[] { '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries))
            {
                switch (line.Trim())
                {
                    case "state=missing": return AppRunState.Missing;
                    case "state=stopped": return AppRunState.Stopped;
                    case "state=running": return AppRunState.Running;
                }
            }

            throw new AgentFailureException($"service console: unexpected answer while querying app '{appName}': '{output.Trim()}'");
        }

        public void CreateApp(string appName) => Run(PowerShellScript.CreateApp(installFolder, appName), $"create app '{appName}' (New-MxApp)");

        public void StopApp(string appName) => Run(PowerShellScript.StopApp(installFolder, appName), $"stop app '{appName}' (Stop-MxApp)");

        public void StartApp(string appName, bool synchronizeDatabase) =>
            Run(PowerShellScript.StartApp(installFolder, appName, synchronizeDatabase), $"start app '{appName}' (Start-MxApp)");

        private string Run(string script, string what)
        {
            var result = powerShell.Run(script);
            if (result.ExitCode != 0)
            {
                throw new AgentFailureException($"service console: cannot {what}: {result.Errors.Trim()}");
            }

            return result.Output;
        }
    }
}
