using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text;
using MendixNodeAgent.Windows;

namespace MendixNodeAgent.Tests.Emulators
{
    /// <summary>One stand-in cmdlet call: the command and its bound parameters as text.</summary>
    public sealed class StandInCall
    {
        public StandInCall(string command, IReadOnlyDictionary<string, string> parameters)
        {
            Command = command;
            Parameters = parameters;
        }

        public string Command { get; }

        public IReadOnlyDictionary<string, string> Parameters { get; }

        public override string ToString() => Command + " " + string.Join(" ", Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => "-" + p.Key + " " + p.Value));
    }

    /// <summary>
    /// Runs the agent's rendered scripts in PowerShell 7 (Microsoft.PowerShell.SDK) after the stand-in cmdlets of
    /// StandInCmdlets.ps1, as powershell.exe -NonInteractive would: output as text, a terminating error is exit code 1
    /// with its message on standard error. One runspace, so state (apps, users) carries from script to script.
    /// </summary>
    internal sealed class StandInPowerShell : IPowerShellRunner, IDisposable
    {
        private readonly Runspace runspace;

        public StandInPowerShell()
        {
            runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
            runspace.Open();
            Machine = Path.Combine(Path.GetTempPath(), "mendix-node-agent-tests", "machine-" + Guid.NewGuid().ToString("N"));
            runspace.SessionStateProxy.SetVariable("standInMachine", Machine);
            RunToEnd("$env:windir = Join-Path -Path $standInMachine -ChildPath 'Windows'\n$env:ProgramFiles = Join-Path -Path $standInMachine -ChildPath 'Program Files'\n");
            var standIns = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Emulators", "StandInCmdlets.ps1"));
            var load = RunToEnd(standIns);
            if (load.ExitCode != 0)
            {
                throw new InvalidOperationException("the stand-in cmdlets do not load: " + load.Errors);
            }

            AppsPath = Path.Combine(Machine, "Mendix", "Apps");
            State["AppsPath"] = AppsPath;
            State["ServersPath"] = Path.Combine(Machine, "Mendix", "Servers");
        }

        /// <summary>The Service Console's apps folder on the stand-in machine (ApplicationManagerSettings.AppsPath).</summary>
        public string AppsPath { get; }

        /// <summary>The service manager's table: service name to status (ServiceControllerStatus).</summary>
        public Hashtable Services => (Hashtable)Unwrap(State["Services"]!);

        /// <summary>The service manager's startup types (ServiceStartMode).</summary>
        public Hashtable StartTypes => (Hashtable)Unwrap(State["StartTypes"]!);

        /// <summary>An app as New-MxApp leaves it: its folder with the console's Settings.yaml, and its service.</summary>
        public void AddApp(string name, string status, string startType = "Manual")
        {
            var folder = Path.Combine(AppsPath, name);
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "Settings.yaml"), StandInConsole.NewAppSettings(name, ".\\mx-" + name, startType, Path.Combine(Machine, "Mendix", "Servers")));
            Services[name] = status;
            StartTypes[name] = startType == "DelayedAutomatic" ? "Automatic" : startType;
        }

        /// <summary>The time limit of each script run, in order (null: the runner's default).</summary>
        public List<TimeSpan?> Timeouts { get; } = new List<TimeSpan?>();

        /// <summary>$global:StandIn: what the stand-ins answer (Apps: name to service status, Users, ExitCodes, ...).</summary>
        public Hashtable State => (Hashtable)Unwrap(runspace.SessionStateProxy.GetVariable("StandIn"));

        public List<string> Scripts { get; } = new List<string>();

        /// <summary>A temporary folder standing in for the machine's drive: %windir% and %ProgramFiles% are under it.</summary>
        public string Machine { get; }

        public IReadOnlyList<StandInCall> Calls
        {
            get
            {
                var list = (ArrayList)Unwrap(runspace.SessionStateProxy.GetVariable("StandInCalls"));
                return list.Cast<object>().Select(Unwrap).Cast<PSObject>().Select(call =>
                {
                    var parameters = (Hashtable)Unwrap(call.Properties["Parameters"].Value);
                    return new StandInCall((string)call.Properties["Command"].Value, parameters.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)Unwrap(e.Value ?? string.Empty), StringComparer.OrdinalIgnoreCase));
                }).ToList();
            }
        }

        public IReadOnlyList<StandInCall> CallsOf(string command) => Calls.Where(c => string.Equals(c.Command, command, StringComparison.OrdinalIgnoreCase)).ToList();

        /// <summary>
        /// As the real runner: a script still running at its time limit is ended (PowerShellTimedOutException). A stand-in
        /// whose real cmdlet would never return (a start request the runtime does not answer) sets $global:StandIn.Hung.
        /// </summary>
        public PowerShellResult Run(string script, TimeSpan? timeout = null)
        {
            Timeouts.Add(timeout);
            var result = RunToEnd(script);
            var state = runspace.SessionStateProxy.GetVariable("StandIn") == null ? null : State;
            if (state != null && state["Hung"] != null)
            {
                state["Hung"] = null;
                throw new PowerShellTimedOutException(timeout ?? WindowsPowerShellRunner.DefaultTimeout);
            }

            return result;
        }

        private PowerShellResult RunToEnd(string script)
        {
            Scripts.Add(script);
            using (var shell = PowerShell.Create())
            {
                shell.Runspace = runspace;
                shell.AddScript(script);
                var output = new StringBuilder();
                var errors = new StringBuilder();
                var exitCode = 0;
                // Output as it comes, so that what a script printed before it failed is kept, as powershell.exe prints it.
                var results = new PSDataCollection<PSObject>();
                try
                {
                    shell.Invoke(null, results);
                }
                catch (RuntimeException e)
                {
                    errors.AppendLine(e.Message + " " + e.ErrorRecord?.InvocationInfo?.PositionMessage);
                    exitCode = 1;
                }

                foreach (var item in results)
                {
                    if (item != null)
                    {
                        output.AppendLine(item.ToString());
                    }
                }

                foreach (var error in shell.Streams.Error)
                {
                    errors.AppendLine(error.ToString());
                }

                // powershell.exe -Command: a script that ends with an error still in $? fails with exit code 1.
                if (exitCode == 0 && shell.HadErrors && shell.Streams.Error.Count > 0 && errors.Length > 0 && ErrorActionStop(script))
                {
                    exitCode = 1;
                }

                return new PowerShellResult(exitCode, output.ToString(), errors.ToString());
            }
        }

        public void Dispose()
        {
            runspace.Dispose();
            try
            {
                if (Directory.Exists(Machine))
                {
                    Directory.Delete(Machine, recursive: true);
                }
            }
            catch (IOException)
            {
            }
        }

        private static bool ErrorActionStop(string script) => script.Contains("$ErrorActionPreference = 'Stop'");

        private static object Unwrap(object value) => value is PSObject ps && !(ps.BaseObject is PSCustomObject) ? ps.BaseObject : value;
    }
}
