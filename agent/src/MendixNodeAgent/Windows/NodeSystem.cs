using System;
using MendixNodeAgent.KeyVault;

namespace MendixNodeAgent.Windows
{
    /// <summary>Everything the agent does to the machine beyond files; tests hand in fakes.</summary>
    internal sealed class NodeSystem
    {
        private readonly IKeyVaultClient? keyVault;

        public NodeSystem(string computerName, IDataDisk dataDisk, IServiceConsole serviceConsole, IKeyVaultClient? keyVault = null)
        {
            ComputerName = computerName;
            DataDisk = dataDisk;
            ServiceConsole = serviceConsole;
            this.keyVault = keyVault;
        }

        public string ComputerName { get; }

        public IDataDisk DataDisk { get; }

        public IServiceConsole ServiceConsole { get; }

        /// <summary>Reads the secrets that blobs refer to, as the VM's managed identity.</summary>
        public IKeyVaultClient KeyVault =>
            keyVault ?? throw new InvalidOperationException("this node system was built without a Key Vault client");

        public static NodeSystem ThisMachine()
        {
            var powerShell = new WindowsPowerShellRunner();
            return new NodeSystem(Environment.MachineName, new WindowsDataDisk(powerShell), new MendixServiceConsole(powerShell), ManagedIdentityKeyVaultClient.ForThisVm());
        }
    }
}
