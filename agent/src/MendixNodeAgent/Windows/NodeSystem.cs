using System;

namespace MendixNodeAgent.Windows
{
    /// <summary>Everything the agent does to the machine beyond files; tests hand in fakes.</summary>
    internal sealed class NodeSystem
    {
        public NodeSystem(string computerName, IDataDisk dataDisk, IServiceConsole serviceConsole)
        {
            ComputerName = computerName;
            DataDisk = dataDisk;
            ServiceConsole = serviceConsole;
        }

        public string ComputerName { get; }

        public IDataDisk DataDisk { get; }

        public IServiceConsole ServiceConsole { get; }

        public static NodeSystem ThisMachine()
        {
            var powerShell = new WindowsPowerShellRunner();
            return new NodeSystem(Environment.MachineName, new WindowsDataDisk(powerShell), new MendixServiceConsole(powerShell));
        }
    }
}
