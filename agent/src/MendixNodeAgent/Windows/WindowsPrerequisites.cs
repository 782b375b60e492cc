using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace MendixNodeAgent.Windows
{
    /// <summary>What is installed on the node, as the inspection script found it.</summary>
    internal sealed class PrerequisiteInspection
    {
        public PrerequisiteInspection(IReadOnlyList<string> missingFeatures, bool urlRewrite, bool applicationRequestRouting, bool serviceConsole, IReadOnlyDictionary<int, string> java, IReadOnlyList<string> serviceConsoleVersions)
        {
            ServiceConsoleVersions = serviceConsoleVersions;
            MissingFeatures = missingFeatures;
            UrlRewrite = urlRewrite;
            ApplicationRequestRouting = applicationRequestRouting;
            ServiceConsole = serviceConsole;
            Java = java;
        }

        public IReadOnlyList<string> MissingFeatures { get; }

        public bool UrlRewrite { get; }

        public bool ApplicationRequestRouting { get; }

        public bool ServiceConsole { get; }

        /// <summary>Java major version to the folder it is installed in.</summary>
        public IReadOnlyDictionary<int, string> Java { get; }

        /// <summary>The DisplayVersion of every installed product named Mendix Service Console*, as Windows Installer registered it.</summary>
        public IReadOnlyList<string> ServiceConsoleVersions { get; }

        public static PrerequisiteInspection Parse(string output, IReadOnlyList<string> features)
        {
            var lines = ScriptOutput.Lines(output);
            var missing = new List<string>();
            foreach (var feature in features)
            {
                var state = ScriptOutput.Value(lines, "feature:" + feature);
                if (state == null)
                {
                    throw new AgentFailureException($"prerequisites: unexpected answer while inspecting the node, no state for Windows feature {feature}: '{output.Trim()}'");
                }

                if (state != "installed")
                {
                    missing.Add(feature);
                }
            }

            var java = new SortedDictionary<int, string>();
            foreach (var line in lines.Where(l => l.Key.StartsWith("java:", StringComparison.Ordinal)))
            {
                if (int.TryParse(line.Key.Substring("java:".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var major) && !java.ContainsKey(major))
                {
                    java.Add(major, line.Value);
                }
            }

            var consoleVersions = lines.Where(l => l.Key == "serviceConsoleVersion").Select(l => l.Value).ToList();
            return new PrerequisiteInspection(missing, Installed(lines, "urlRewrite", output), Installed(lines, "applicationRequestRouting", output), Installed(lines, "serviceConsole", output), java, consoleVersions);
        }

        private static bool Installed(IReadOnlyList<KeyValuePair<string, string>> lines, string key, string output)
        {
            switch (ScriptOutput.Value(lines, key))
            {
                case "installed": return true;
                case "missing": return false;
                default: throw new AgentFailureException($"prerequisites: unexpected answer while inspecting the node, no state for {key}: '{output.Trim()}'");
            }
        }
    }

    /// <summary>Where the Service Console keeps its apps, after the agent pointed it at the data disk.</summary>
    internal sealed class ServiceConsoleLocation
    {
        public ServiceConsoleLocation(bool changed, string appsPath)
        {
            Changed = changed;
            AppsPath = appsPath;
        }

        public bool Changed { get; }

        public string AppsPath { get; }
    }

    /// <summary>Checks, installs and configures what the node needs besides the app itself.</summary>
    internal interface IWindowsPrerequisites
    {
        PrerequisiteInspection Inspect(IReadOnlyList<string> windowsFeatures);

        /// <returns>whether Windows asks for a restart.</returns>
        bool InstallWindowsFeatures(IReadOnlyList<string> windowsFeatures);

        /// <returns>msiexec's exit code: 0, 3010, 1641 or 1618 (any other code fails).</returns>
        int InstallMsi(string packagePath, string logPath, string what);

        /// <summary>Waits before an installer is tried again.</summary>
        void WaitBeforeRetry(TimeSpan wait);

        /// <returns>whether a setting changed.</returns>
        bool ConfigureIisServer();

        ServiceConsoleLocation ConfigureServiceConsoleLocation(string filesLocation);
    }

    /// <summary>The prerequisites through Windows PowerShell (ServerManager, msiexec, WebAdministration, the console's assembly).</summary>
    internal sealed class WindowsPrerequisites : IWindowsPrerequisites
    {
        private readonly IPowerShellRunner powerShell;
        private readonly string serviceConsoleFolder;

        public WindowsPrerequisites(IPowerShellRunner powerShell, string serviceConsoleFolder = PowerShellScript.DefaultServiceConsoleFolder)
        {
            this.powerShell = powerShell;
            this.serviceConsoleFolder = serviceConsoleFolder;
        }

        public PrerequisiteInspection Inspect(IReadOnlyList<string> windowsFeatures)
        {
            var result = ScriptOutput.RunChecked(powerShell, PowerShellScript.InspectPrerequisites(serviceConsoleFolder, windowsFeatures), "inspect the node's prerequisites");
            return PrerequisiteInspection.Parse(result.Output, windowsFeatures);
        }

        public bool InstallWindowsFeatures(IReadOnlyList<string> windowsFeatures)
        {
            var result = ScriptOutput.RunChecked(powerShell, PowerShellScript.InstallWindowsFeatures(windowsFeatures), "install the Windows features " + string.Join(", ", windowsFeatures));
            var restart = ScriptOutput.Value(ScriptOutput.Lines(result.Output), "restartNeeded");
            return restart != null && !string.Equals(restart, "No", StringComparison.OrdinalIgnoreCase) && !string.Equals(restart, "False", StringComparison.OrdinalIgnoreCase);
        }

        public int InstallMsi(string packagePath, string logPath, string what)
        {
            var result = ScriptOutput.RunChecked(powerShell, PowerShellScript.InstallMsi(packagePath, logPath), "install " + what);
            var code = ScriptOutput.Value(ScriptOutput.Lines(result.Output), "exitCode");
            if (code == null || !int.TryParse(code, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var exitCode))
            {
                throw new AgentFailureException($"prerequisites: unexpected answer while installing {what}: '{result.Output.Trim()}'");
            }

            return exitCode;
        }

        public void WaitBeforeRetry(TimeSpan wait) => System.Threading.Thread.Sleep(wait);

        public bool ConfigureIisServer()
        {
            var result = ScriptOutput.RunChecked(powerShell, PowerShellScript.ConfigureIisServer(), "configure IIS (ARR proxy, host header, server variable)");
            return ScriptOutput.Flag(ScriptOutput.Lines(result.Output), "changed")
                ?? throw new AgentFailureException($"prerequisites: unexpected answer while configuring IIS: '{result.Output.Trim()}'");
        }

        public ServiceConsoleLocation ConfigureServiceConsoleLocation(string filesLocation)
        {
            var result = ScriptOutput.RunChecked(powerShell, PowerShellScript.ConfigureServiceConsoleLocation(serviceConsoleFolder, filesLocation), "set the Service Console's location of apps and server files");
            var lines = ScriptOutput.Lines(result.Output);
            var changed = ScriptOutput.Flag(lines, "changed");
            var appsPath = ScriptOutput.Value(lines, "appsPath");
            if (changed == null || appsPath == null)
            {
                throw new AgentFailureException($"prerequisites: unexpected answer while setting the Service Console's location: '{result.Output.Trim()}'");
            }

            return new ServiceConsoleLocation(changed.Value, appsPath);
        }
    }
}
