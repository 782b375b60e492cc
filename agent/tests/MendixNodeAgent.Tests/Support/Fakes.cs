using System;
using System.Collections.Generic;
using MendixNodeAgent.Windows;

namespace MendixNodeAgent.Tests.Support
{
    internal sealed class FakeDataDisk : IDataDisk
    {
        public FakeDataDisk(DataDiskState state)
        {
            State = state;
        }

        public DataDiskState State { get; set; }

        public List<int> InspectedLuns { get; } = new List<int>();

        public List<(int DiskNumber, char Letter)> Initialized { get; } = new List<(int, char)>();

        public static FakeDataDisk Online(char letter = 'M') => new FakeDataDisk(DataDiskState.Found(2, "GPT", 2, new[] { letter }));

        public static FakeDataDisk Raw() => new FakeDataDisk(DataDiskState.Found(2, "RAW", 0, new char[0]));

        public DataDiskState Inspect(int lun)
        {
            InspectedLuns.Add(lun);
            return State;
        }

        public void Initialize(int diskNumber, char driveLetter)
        {
            Initialized.Add((diskNumber, driveLetter));
            State = DataDiskState.Found(diskNumber, "GPT", 2, new[] { driveLetter });
        }
    }

    /// <summary>Stands in for powershell.exe: records every script and answers app queries from a state table.</summary>
    internal sealed class RecordingPowerShellRunner : IPowerShellRunner
    {
        public Dictionary<string, AppRunState> Apps { get; } = new Dictionary<string, AppRunState>();

        public List<string> Scripts { get; } = new List<string>();

        public PowerShellResult Run(string script)
        {
            Scripts.Add(script);
            var commands = PowerShellAst.Commands(script);
            foreach (var command in commands)
            {
                var app = command.Parameters.TryGetValue("Name", out var name) ? name : null;
                switch (command.Name)
                {
                    case "Get-MxApp":
                        var state = app != null && Apps.TryGetValue(app, out var known) ? known : AppRunState.Missing;
                        return new PowerShellResult(0, "state=" + state.ToString().ToLowerInvariant() + Environment.NewLine, string.Empty);
                    case "New-MxApp":
                        Apps[app!] = AppRunState.Stopped;
                        break;
                    case "Stop-MxApp":
                        Apps[app!] = AppRunState.Stopped;
                        break;
                    case "Start-MxApp":
                        Apps[app!] = AppRunState.Running;
                        break;
                }
            }

            return new PowerShellResult(0, string.Empty, string.Empty);
        }
    }
}
