using System;
using MendixNodeAgent.Database;
using MendixNodeAgent.Identity;
using MendixNodeAgent.KeyVault;
using MendixNodeAgent.Prerequisites;
using MendixNodeAgent.Rollout;
using MendixNodeAgent.Storage;
using MendixNodeAgent.Timing;

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
            ICertificates certificates,
            IServiceAccounts serviceAccounts,
            IHealthEndpoint health,
            IDatabaseProbe databaseProbe,
            IFilesProbe filesProbe,
            IJavaProcesses javaProcesses,
            IClock clock,
            IBootTask bootTask)
        {
            FilesProbe = filesProbe;
            JavaProcesses = javaProcesses;
            BootTask = bootTask;
            Health = health;
            DatabaseProbe = databaseProbe;
            Clock = clock;
            ComputerName = computerName;
            DataDisk = dataDisk;
            ServiceConsole = serviceConsole;
            this.keyVault = keyVault;
            Prerequisites = prerequisites;
            Downloader = downloader;
            Iis = iis;
            Certificates = certificates;
            ServiceAccounts = serviceAccounts;
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

        /// <summary>The local accounts the apps' services run as.</summary>
        public IServiceAccounts ServiceAccounts { get; }

        /// <summary>The node's health path through IIS, as the load balancer's probe asks it.</summary>
        public IHealthEndpoint Health { get; }

        /// <summary>Tries a sign-in to an app's database.</summary>
        public IDatabaseProbe DatabaseProbe { get; }

        /// <summary>Tries an app's files container as its identity.</summary>
        public IFilesProbe FilesProbe { get; }

        /// <summary>What the apps' runtimes were started with.</summary>
        public IJavaProcesses JavaProcesses { get; }

        /// <summary>The time and the pauses of the rollout's waits.</summary>
        public IClock Clock { get; }

        /// <summary>The scheduled task that resumes the apps at startup.</summary>
        public IBootTask BootTask { get; }

        public static NodeSystem ThisMachine()
        {
            var powerShell = new WindowsPowerShellRunner();
            var clock = new SystemClock();
            var http = new RetryingHttp(ManagedIdentityKeyVaultClient.DefaultRequestTimeout, ManagedIdentityKeyVaultClient.DefaultRetryDelays);
            var tokens = new InstanceMetadataTokens(InstanceMetadataTokens.InstanceMetadataAddress, http);
            return new NodeSystem(
                Environment.MachineName,
                new WindowsDataDisk(powerShell),
                new MendixServiceConsole(powerShell),
                ManagedIdentityKeyVaultClient.ForThisVm(clock),
                new WindowsPrerequisites(powerShell),
                // The extension runs the agent from its download folder.
                new ExtensionDownloadsFirst(Environment.CurrentDirectory, HttpsDownloader.ForThisVm()),
                new WindowsIisSites(powerShell),
                new WindowsCertificates(powerShell),
                new WindowsServiceAccounts(powerShell),
                HttpHealthEndpoint.ForThisNode(),
                new SqlServerProbe(tokens),
                new BlobContainerProbe(tokens, http),
                new WindowsJavaProcesses(powerShell),
                clock,
                new WindowsBootTask(powerShell, AppDomain.CurrentDomain.BaseDirectory));
        }
    }
}
