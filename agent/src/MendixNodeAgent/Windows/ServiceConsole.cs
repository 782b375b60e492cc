using System;
using System.Collections.Generic;
using MendixNodeAgent.Timing;

namespace MendixNodeAgent.Windows
{
    internal enum AppRunState
    {
        Missing,
        Stopped,
        Running,
    }

    /// <summary>An app as the Service Console and the service manager show it: its settled run state and its service's startup type.</summary>
    internal sealed class AppState
    {
        public static readonly AppState Missing = new AppState(AppRunState.Missing, null);

        public AppState(AppRunState run, string? startType)
        {
            Run = run;
            StartType = startType;
        }

        public AppRunState Run { get; }

        /// <summary>The Windows service's startup type (ServiceStartMode: Automatic, Manual, Disabled), or null when the app is missing.</summary>
        public string? StartType { get; }
    }

    /// <summary>The Mendix Service Console, driven through its PowerShell cmdlets.</summary>
    internal interface IServiceConsole
    {
        /// <summary>Whether the console knows the app, and its service's state once it is Running or Stopped (a bounded wait).</summary>
        AppState GetState(string appName);

        /// <summary>New-MxApp: the app's folder, Settings.yaml and Windows service, running as <paramref name="account"/>, started by hand only.</summary>
        void CreateApp(string appName, AppServiceAccount account);

        /// <summary>Makes the app's Windows service start by hand only (<see cref="MendixServiceConsole.ManualStartup"/>).</summary>
        void SetManualStartup(string appName);

        /// <summary>Stop-MxApp, then a bounded wait until the app's Windows service is Stopped; fails when it is not.</summary>
        void StopApp(string appName);

        /// <summary>
        /// Start-MxApp on the Stopped app, ended after <paramref name="within"/>; the app is then stopped, so that it is in a
        /// known state, and the start fails.
        /// </summary>
        void StartApp(string appName, bool synchronizeDatabase, TimeSpan within);

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

        /// <summary>
        /// How long the agent waits for the app's Windows service to leave a pending state: its stop takes at most about
        /// 110 s (the service's OnStop asks the runtime to shut down, RuntimeRunner.Stop(10000) over an HTTP call with a
        /// 100 s timeout, then kills it; Service Console 4.7.1 binaries), and Stop-MxApp gives up after 30 s.
        /// </summary>
        public const int SettlesWithinSeconds = 120;

        /// <summary>
        /// The startup type of every app's service: Manual, so that nothing but the agent starts an app (New-MxApp's default
        /// is Automatic, and at boot an Automatic service starts its runtime with no database-sync handler, whatever the
        /// agent last completed: Service.OnStart, Service Console 4.7.1 binaries). The agent's boot task resumes the apps.
        /// </summary>
        public const string ManualStartup = "Manual";

        public AppState GetState(string appName)
        {
            var output = Run(PowerShellScript.QueryApp(installFolder, appName, SettlesWithinSeconds), $"query app '{appName}'");
            var lines = ScriptOutput.Lines(output);
            switch (ScriptOutput.Value(lines, "state"))
            {
                case "missing": return AppState.Missing;
                case "stopped": return new AppState(AppRunState.Stopped, StartTypeIn(lines, appName, output));
                case "running": return new AppState(AppRunState.Running, StartTypeIn(lines, appName, output));
            }

            throw new AgentFailureException($"service console: unexpected answer while querying app '{appName}': '{output.Trim()}'");
        }

        public void CreateApp(string appName, AppServiceAccount account) =>
            Run(PowerShellScript.CreateApp(installFolder, appName, account.LogonName, account.SecretFile, ManualStartup), $"create app '{appName}' (New-MxApp -Credential {account.LogonName} -StartupType {ManualStartup})");

        public void SetManualStartup(string appName) =>
            Run(PowerShellScript.SetStartupType(appName, ManualStartup), $"set the startup type of the Windows service '{appName}' to {ManualStartup}");

        public void StopApp(string appName)
        {
            var output = Run(PowerShellScript.StopApp(installFolder, appName, SettlesWithinSeconds), $"stop app '{appName}' (Stop-MxApp, then its Windows service within {SettlesWithinSeconds} s)");
            if (ScriptOutput.Flag(ScriptOutput.Lines(output), "stopped") != true)
            {
                throw new AgentFailureException($"service console: unexpected answer while stopping app '{appName}': '{output.Trim()}'");
            }
        }

        public void StartApp(string appName, bool synchronizeDatabase, TimeSpan within)
        {
            var command = "Start-MxApp" + (synchronizeDatabase ? " -SynchronizeDatabase" : string.Empty);
            string output;
            try
            {
                output = Run(PowerShellScript.StartApp(installFolder, appName, synchronizeDatabase, SettlesWithinSeconds), $"start app '{appName}' ({command})", within);
            }
            catch (PowerShellTimedOutException)
            {
                var outcome = "the app was stopped (its Windows service is Stopped)";
                try
                {
                    StopApp(appName);
                }
                catch (AgentFailureException stop)
                {
                    outcome = "stopping it failed too: " + stop.Message;
                }

                var bound = synchronizeDatabase ? "rollout.databaseSyncTimeoutSeconds" : "rollout.readyTimeoutSeconds";
                throw new AgentFailureException(
                    $"service console: app '{appName}' did not start within {Seconds.Of(within)} s ({bound}): {command} was ended and {outcome}; "
                    + $"read the app's log (<appsRoot>\\<app>\\Log), then run the extension again (raise {bound} when the start needs longer"
                    + (synchronizeDatabase ? ": a database synchronisation ended this way was interrupted, check the schema in the log)" : ")"));
            }

            if (ScriptOutput.Flag(ScriptOutput.Lines(output), "started") != true)
            {
                throw new AgentFailureException($"service console: unexpected answer while starting app '{appName}': '{output.Trim()}'");
            }
        }

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

        private static string StartTypeIn(IReadOnlyList<KeyValuePair<string, string>> lines, string appName, string output) =>
            ScriptOutput.Value(lines, "startType")
                ?? throw new AgentFailureException($"service console: no startup type in the answer while querying app '{appName}': '{output.Trim()}'");

        private string Run(string script, string what, TimeSpan? timeout = null)
        {
            var result = powerShell.Run(script, timeout);
            if (result.ExitCode != 0)
            {
                throw new AgentFailureException($"service console: cannot {what}: {result.Errors.Trim()}");
            }

            return result.Output;
        }
    }
}
