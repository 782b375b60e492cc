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

        /// <summary>New-MxApp: the app's folder, Settings.yaml and Windows service, running as <paramref name="account"/>.</summary>
        void CreateApp(string appName, AppServiceAccount account);

        /// <summary>Stop-MxApp, then a bounded wait until the app's Windows service is Stopped; fails when it is not.</summary>
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

        /// <summary>How long the agent waits after Stop-MxApp (which gives up after 30 s) for the app's service to be Stopped.</summary>
        public const int StoppedWithinSeconds = 120;

        public void CreateApp(string appName, AppServiceAccount account) =>
            Run(PowerShellScript.CreateApp(installFolder, appName, account.LogonName, account.SecretFile), $"create app '{appName}' (New-MxApp -Credential {account.LogonName})");

        public void StopApp(string appName)
        {
            var output = Run(PowerShellScript.StopApp(installFolder, appName, StoppedWithinSeconds), $"stop app '{appName}' (Stop-MxApp, then its Windows service within {StoppedWithinSeconds} s)");
            if (ScriptOutput.Flag(ScriptOutput.Lines(output), "stopped") != true)
            {
                throw new AgentFailureException($"service console: unexpected answer while stopping app '{appName}': '{output.Trim()}'");
            }
        }

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
