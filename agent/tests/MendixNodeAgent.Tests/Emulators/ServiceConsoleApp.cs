using System;
using System.IO;
using MendixNodeAgent.Tests.Emulators;

namespace Mendix.Service.Commands
{
    /// <summary>
    /// Stands in for the Service Console's class of the same name (Service Console 4.7.1 binaries,
    /// Mendix.Service.Commands.dll, class App): what Get-MxApp writes to the pipeline and -InputObject takes. Its
    /// Settings and Name are internal, so PowerShell sees no property on it, as on a real node.
    /// </summary>
    public sealed class App
    {
        public App(ConsoleSettings settings)
        {
            Settings = settings;
        }

        internal ConsoleSettings Settings { get; }

        /// <summary>App.Name is the Settings.yaml's Service.ServiceName (null when the file names none).</summary>
        internal string? Name => Settings.ServiceName;
    }
}

namespace MendixNodeAgent.Tests.Emulators
{
    /// <summary>What the stand-in cmdlets (StandInCmdlets.ps1) need from C#: the console's reading of an app folder.</summary>
    public static class StandInConsole
    {
        /// <summary>App.Name, which PowerShell cannot read.</summary>
        public static string? NameOf(Mendix.Service.Commands.App app) => app.Name;

        /// <summary>
        /// Settings.GetInstance(appPath) (Service Console 4.7.1 binaries, Mendix.M2EE.dll, class Settings): a folder without
        /// Settings.yaml, or whose file is not Version 1.0.0, is an app with default settings and no name; a broken file
        /// throws, as does a broken Project\model\metadata.json of a file that is read (LoadSettings reads the model's
        /// constants from it).
        /// </summary>
        public static Mendix.Service.Commands.App AppIn(string appPath)
        {
            var file = Path.Combine(appPath, "Settings.yaml");
            var settings = File.Exists(file) ? ServiceConsoleSettingsReader.Read(file) : null;
            return new Mendix.Service.Commands.App(settings ?? new ConsoleSettings());
        }

        /// <summary>The Settings.yaml New-MxApp writes (NewAppCommand.BeginProcessing, then Settings.ToYaml).</summary>
        public static string NewAppSettings(string name, string userName, string startMode, string mendixPath) =>
            string.Join("\n", new[]
            {
                "QSlotId: " + Guid.NewGuid().ToString("D") + "." + Guid.NewGuid().ToString("B"),
                "Version: 1.0.0",
                "Service:",
                "  UserName: " + userName,
                "  Password: AQAAANCMnd8BFdERjHoAwE/Cl+sBAAAA",
                "  ServiceName: " + name,
                "  DisplayName: " + name,
                "  StartMode: " + startMode.ToUpperInvariant(),
                "Runtime:",
                "  MendixPath: " + mendixPath,
                "  MaxJavaHeapSize: 1024",
                "  RuntimePortNumber: 8080",
                "  ServerPortNumber: 8090",
                "  ServerPassword: generated-admin-password",
                "  ScheduledEventExecution: ALL",
                "Jetty: {}",
                "Database:",
                "  DatabaseUseIntegratedSecurity: False",
                string.Empty,
            });
    }
}

namespace Mendix.M2EE
{
    /// <summary>Stands in for the Service Console's class of the same name, for its nested enum only.</summary>
    public static class Settings
    {
        /// <summary>Settings.ServiceStartMode (Service Console 4.7.1 binaries, Mendix.M2EE.dll), the type of New-MxApp's
        /// -StartupType; Automatic and DelayedAutomatic install the service Automatic, Manual Manual, Disabled Disabled
        /// (Extensions.ToWindowsStartMode).</summary>
        public enum ServiceStartMode
        {
            Automatic,
            DelayedAutomatic,
            Manual,
            Disabled,
        }
    }
}

namespace MendixNodeAgent.Tests.Emulators
{
    /// <summary>
    /// Stands in for System.ServiceProcess.TimeoutException, which ServiceController.WaitForStatus throws (Stop-MxApp's
    /// 30 s wait) and whose constructor only works on Windows in .NET; same message.
    /// </summary>
    public sealed class StandInServiceTimeoutException : SystemException
    {
        public StandInServiceTimeoutException()
            : base("Time out has expired and the operation has not been completed.")
        {
        }
    }
}
