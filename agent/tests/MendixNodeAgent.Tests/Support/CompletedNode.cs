using MendixNodeAgent.Model;
using MendixNodeAgent.Node;
using MendixNodeAgent.Settings;
using MendixNodeAgent.Tests.Emulators;
using MendixNodeAgent.Timing;
using MendixNodeAgent.Windows;

namespace MendixNodeAgent.Tests.Support
{
    /// <summary>
    /// A node as its last completed agent run left it (the records 'resume' reads), and the machine 'resume' runs on:
    /// the stand-in Service Console over <see cref="StandInPowerShell"/>, every other part a fake.
    /// </summary>
    internal static class CompletedNode
    {
        public const string ModelSha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

        /// <summary>Records that the last completed run left <paramref name="app"/> with model <see cref="ModelSha"/>, running or not.</summary>
        public static void AddApp(StandInPowerShell shell, string app, bool running, bool leader = false, int readyTimeoutSeconds = 300)
        {
            var appsRoot = shell.AppsPath;
            shell.AddApp(app, "Stopped");
            new DeployedModelState(ModelSha, "10.12.4.41735", 21, $"models/{app}/{app}-0123456789ab.mda", AgentRun.FixedStart).Write(AppFolders.DeployedModelFile(appsRoot, app));
            new CompletedApp(app, leader, running, ModelSha, Sha256File.Of(AppFolders.SettingsFile(appsRoot, app)), readyTimeoutSeconds).Write(appsRoot);
        }

        /// <summary>Runs 'resume', as the boot task does after Windows restarted.</summary>
        public static AgentRun Resume(StandInPowerShell shell, IClock clock, IServiceConsole? console = null)
        {
            var machine = new NodeSystem("mxdev-1", FakeDataDisk.Online(), console ?? new MendixServiceConsole(shell), null, new FakePrerequisites(), new FakeDownloader(),
                new FakeIisSites(), new FakeCertificates(), new FakeServiceAccounts(), new InProcessHealthEndpoint(new IisStandIn(new FakeIisSites(), new RecordingPowerShellRunner())),
                new FakeDatabaseProbe(), new FakeFilesProbe(), new FakeJavaProcesses(), clock, new FakeBootTask());
            return AgentRun.Execute(new[] { "resume", "--apps-root", shell.AppsPath }, machine);
        }
    }
}
