using System;
using MendixNodeAgent.KeyVault;
using MendixNodeAgent.Prerequisites;

namespace MendixNodeAgent.Windows
{
    /// <summary>Everything the agent does to the machine beyond files; tests hand in fakes.</summary>
    internal sealed class NodeSystem
    {
        private readonly IKeyVaultClient? keyVault;

        public NodeSystem(
            string computerName,
            IDataDisk dataDisk,
            IServiceConsole serviceConsole,
            IKeyVaultClient? keyVault,
            IWindowsPrerequisites prerequisites,
            IDownloader downloader,
            IIisSites iis,
            ICertificates certificates)
        {
            ComputerName = computerName;
            DataDisk = dataDisk;
            ServiceConsole = serviceConsole;
            this.keyVault = keyVault;
            Prerequisites = prerequisites;
            Downloader = downloader;
            Iis = iis;
            Certificates = certificates;
        }

        public string ComputerName { get; }

        public IDataDisk DataDisk { get; }

        public IServiceConsole ServiceConsole { get; }

        /// <summary>Reads the secrets that blobs refer to, as the VM's managed identity.</summary>
        public IKeyVaultClient KeyVault =>
            keyVault ?? throw new InvalidOperationException("this node system was built without a Key Vault client");

        public IWindowsPrerequisites Prerequisites { get; }

        /// <summary>Fetches installers and server distributions over https.</summary>
        public IDownloader Downloader { get; }

        public IIisSites Iis { get; }

        public ICertificates Certificates { get; }

        public static NodeSystem ThisMachine()
        {
            var powerShell = new WindowsPowerShellRunner();
            return new NodeSystem(
                Environment.MachineName,
                new WindowsDataDisk(powerShell),
                new MendixServiceConsole(powerShell),
                ManagedIdentityKeyVaultClient.ForThisVm(),
                new WindowsPrerequisites(powerShell),
                // The extension runs the agent from its download folder.
                new ExtensionDownloadsFirst(Environment.CurrentDirectory, HttpsDownloader.ForThisVm()),
                new WindowsIisSites(powerShell),
                new WindowsCertificates(powerShell));
        }
    }
}
