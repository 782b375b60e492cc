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

        /// <summary>Whether the console's server files hold the distribution of this Mendix version.</summary>
        bool HasServerDistribution(string version);

        /// <summary>Install-MxServer: extracts a downloaded server distribution.</summary>
        void InstallServerDistribution(string archivePath);

        /// <summary>Update-MxApp: unpacks a deployment archive into the (stopped) app.</summary>
        void UpdateApp(string appName, string mdaPath);
    }

    /// <summary>
    /// Runs Get-MxApp, New-MxApp, Start-MxApp, Stop-MxApp, Update-MxApp and Install-MxServer from Mendix.Service.Commands.dll
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

        public bool HasServerDistribution(string version)
        {
            var output = Run(PowerShellScript.QueryServerDistribution(installFolder, version), $"look for server distribution {version}");
            return ScriptOutput.Flag(ScriptOutput.Lines(output), "installed")
                ?? throw new AgentFailureException($"service console: unexpected answer while looking for server distribution {version}: '{output.Trim()}'");
        }

        public void InstallServerDistribution(string archivePath) =>
            Run(PowerShellScript.InstallServerDistribution(installFolder, archivePath), $"install server distribution {archivePath} (Install-MxServer)");

        public void UpdateApp(string appName, string mdaPath) =>
            Run(PowerShellScript.UpdateApp(installFolder, appName, mdaPath), $"update app '{appName}' with {mdaPath} (Update-MxApp)");

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
