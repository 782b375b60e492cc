using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using MendixNodeAgent.Database;
using MendixNodeAgent.Iis;
using MendixNodeAgent.Prerequisites;
using MendixNodeAgent.Rollout;
using MendixNodeAgent.Timing;
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

        /// <summary>The volume's size and the size its disk lets it grow to, in bytes.</summary>
        public (ulong Size, ulong Largest) Volume { get; set; } = (64UL << 30, 64UL << 30);

        public List<char> Extended { get; } = new List<char>();

        public VolumeExtension ExtendVolume(char driveLetter)
        {
            var before = Volume.Size;
            if (Volume.Largest > before)
            {
                Extended.Add(driveLetter);
                Volume = (Volume.Largest, Volume.Largest);
            }

            return new VolumeExtension(before, Volume.Size);
        }
    }

    /// <summary>
    /// Stands in for powershell.exe behind the production Service Console driver: records every script and
    /// answers from its own tables what the cmdlets would (apps and their state, installed server distributions).
    /// </summary>
    internal sealed class RecordingPowerShellRunner : IPowerShellRunner
    {
        public Dictionary<string, AppRunState> Apps { get; } = new Dictionary<string, AppRunState>();

        /// <summary>The apps' services' startup types; an app New-MxApp creates gets its -StartupType.</summary>
        public Dictionary<string, string> StartTypes { get; } = new Dictionary<string, string>();

        /// <summary>Apps whose start never ends (the runtime does not answer Start-MxApp's start request).</summary>
        public HashSet<string> StartHangs { get; } = new HashSet<string>();

        /// <summary>The time limit of every script run, in order (null: the runner's default).</summary>
        public List<TimeSpan?> Timeouts { get; } = new List<TimeSpan?>();

        public HashSet<string> ServerDistributions { get; } = new HashSet<string>();

        public List<string> Scripts { get; } = new List<string>();

        /// <summary>How many times each app was started, whatever a test clears.</summary>
        public Dictionary<string, int> Starts { get; } = new Dictionary<string, int>();

        /// <summary>Every Service Console cmdlet run, with its app (or file) argument, in order.</summary>
        public List<string> Cmdlets { get; } = new List<string>();

        public PowerShellResult Run(string script, TimeSpan? timeout = null)
        {
            Scripts.Add(script);
            Timeouts.Add(timeout);
            var commands = PowerShellAst.Commands(script);
            foreach (var command in commands)
            {
                var app = command.Parameters.TryGetValue("Name", out var name) ? name : null;
                switch (command.Name)
                {
                    case "Get-MxApp":
                        Cmdlets.Add("Get-MxApp " + app);
                        var state = app != null && Apps.TryGetValue(app, out var known) ? known : AppRunState.Missing;
                        var startType = state == AppRunState.Missing ? string.Empty : "startType=" + (StartTypes.TryGetValue(app!, out var type) ? type : "Manual") + Environment.NewLine;
                        return new PowerShellResult(0, "state=" + state.ToString().ToLowerInvariant() + Environment.NewLine + startType, string.Empty);
                    case "New-MxApp":
                        Cmdlets.Add("New-MxApp " + app + " -StartupType " + command.Parameters["StartupType"]);
                        Apps[app!] = AppRunState.Stopped;
                        StartTypes[app!] = command.Parameters["StartupType"]!;
                        break;
                    case "Set-Service":
                        Cmdlets.Add("Set-Service " + app + " -StartupType " + command.Parameters["StartupType"]);
                        StartTypes[app!] = command.Parameters["StartupType"]!;
                        break;
                    case "Stop-MxApp":
                        Cmdlets.Add("Stop-MxApp " + app);
                        Apps[app!] = AppRunState.Stopped;
                        return new PowerShellResult(0, "stopped=true" + Environment.NewLine, string.Empty);
                    case "Start-MxApp":
                        Cmdlets.Add("Start-MxApp " + app + (command.Parameters.ContainsKey("SynchronizeDatabase") ? " -SynchronizeDatabase" : string.Empty));
                        Apps[app!] = AppRunState.Running;
                        if (StartHangs.Contains(app!))
                        {
                            throw new PowerShellTimedOutException(timeout ?? WindowsPowerShellRunner.DefaultTimeout);
                        }

                        Starts[app!] = Starts.TryGetValue(app!, out var started) ? started + 1 : 1;
                        return new PowerShellResult(0, "started=true" + Environment.NewLine, string.Empty);
                    case "Update-MxApp":
                        Cmdlets.Add("Update-MxApp " + app + " " + Path.GetFileName(command.Parameters["LiteralPath"]));
                        break;
                    case "Install-MxServer":
                        var archive = Path.GetFileName(command.Parameters["LiteralPath"]!);
                        Cmdlets.Add("Install-MxServer " + archive);
                        ServerDistributions.Add(archive.Substring("mendix-".Length, archive.Length - "mendix-".Length - ".tar.gz".Length));
                        break;
                    case "Join-Path" when command.Parameters.ContainsKey("ChildPath") && script.Contains("ServersPath"):
                        var version = command.Parameters["ChildPath"]!;
                        return new PowerShellResult(0, "installed=" + (ServerDistributions.Contains(version) ? "true" : "false") + Environment.NewLine, string.Empty);
                }
            }

            return new PowerShellResult(0, string.Empty, string.Empty);
        }
    }

    /// <summary>The boot task as a flag: registered once, then already there.</summary>
    internal sealed class FakeBootTask : IBootTask
    {
        public List<string> Registered { get; } = new List<string>();

        public bool Ensure(string appsRoot)
        {
            if (Registered.Contains(appsRoot))
            {
                return false;
            }

            Registered.Add(appsRoot);
            return true;
        }
    }

    /// <summary>The node's installed software as a table; installing an MSI makes its component present.</summary>
    internal sealed class FakePrerequisites : IWindowsPrerequisites
    {
        public HashSet<string> MissingFeatures { get; } = new HashSet<string>();

        public bool UrlRewrite { get; set; } = true;

        public bool ApplicationRequestRouting { get; set; } = true;

        public bool ServiceConsole { get; set; } = true;

        /// <summary>What Windows Installer lists as the console's DisplayVersion.</summary>
        public List<string> ServiceConsoleVersions { get; } = new List<string> { "4.7.4.25" };

        /// <summary>Exit codes msiexec answers before it installs (1618: another installation in progress).</summary>
        public Queue<int> MsiAnswers { get; } = new Queue<int>();

        public List<TimeSpan> Waits { get; } = new List<TimeSpan>();

        public HashSet<int> Java { get; } = new HashSet<int> { 21 };

        public bool IisServerConfigured { get; set; } = true;

        public string? ConsoleLocation { get; set; }

        /// <summary>What the console answers as its apps folder; by default &lt;location&gt;/Apps.</summary>
        public string? AppsPathOverride { get; set; }

        public int Inspections { get; private set; }

        public List<string> InstalledFeatures { get; } = new List<string>();

        /// <summary>Each MSI run: its file name and the SHA-256 of the file at the moment it ran.</summary>
        public List<(string File, string Sha256, string What)> InstalledMsis { get; } = new List<(string, string, string)>();

        /// <summary>Components the next installs leave missing (a broken installer).</summary>
        public HashSet<string> InstallsWithoutEffect { get; } = new HashSet<string>();

        public static FakePrerequisites BareVm()
        {
            var bare = new FakePrerequisites { UrlRewrite = false, ApplicationRequestRouting = false, ServiceConsole = false, IisServerConfigured = false };
            bare.Java.Clear();
            bare.ServiceConsoleVersions.Clear();
            foreach (var feature in IisFeatures.Required)
            {
                bare.MissingFeatures.Add(feature);
            }

            return bare;
        }

        public PrerequisiteInspection Inspect(IReadOnlyList<string> windowsFeatures)
        {
            Inspections++;
            return new PrerequisiteInspection(
                windowsFeatures.Where(MissingFeatures.Contains).ToList(),
                UrlRewrite,
                ApplicationRequestRouting,
                ServiceConsole,
                Java.ToDictionary(major => major, major => JavaFolder(major)),
                ServiceConsoleVersions.ToList());
        }

        public bool InstallWindowsFeatures(IReadOnlyList<string> windowsFeatures)
        {
            InstalledFeatures.AddRange(windowsFeatures);
            foreach (var feature in windowsFeatures)
            {
                MissingFeatures.Remove(feature);
            }

            return false;
        }

        /// <summary>Where Eclipse Temurin's MSI puts a JDK (%ProgramFiles%\Eclipse Adoptium\jdk-&lt;version&gt;-hotspot).</summary>
        public static string JavaFolder(int major) => @"C:\Program Files\Eclipse Adoptium\jdk-" + major + ".0.4.7-hotspot";

        public void WaitBeforeRetry(TimeSpan wait) => Waits.Add(wait);

        public int InstallMsi(string packagePath, string logPath, string what)
        {
            if (MsiAnswers.Count > 0)
            {
                var answer = MsiAnswers.Dequeue();
                if (answer != 0)
                {
                    return answer;
                }
            }

            var name = Path.GetFileName(packagePath);
            InstalledMsis.Add((name, Mda.Sha256(packagePath), what));
            var component = Path.GetFileNameWithoutExtension(name);
            if (InstallsWithoutEffect.Contains(component))
            {
                return 0;
            }

            switch (component)
            {
                case "urlRewrite": UrlRewrite = true; break;
                case "applicationRequestRouting": ApplicationRequestRouting = true; break;
                case "serviceConsole":
                    ServiceConsole = true;
                    ServiceConsoleVersions.Add("4.7.4.25");
                    break;
                default:
                    if (component.StartsWith("java-", StringComparison.Ordinal))
                    {
                        Java.Add(int.Parse(component.Substring("java-".Length)));
                    }

                    break;
            }

            return 0;
        }

        public bool ConfigureIisServer()
        {
            var changed = !IisServerConfigured;
            IisServerConfigured = true;
            return changed;
        }

        public ServiceConsoleLocation ConfigureServiceConsoleLocation(string filesLocation)
        {
            var changed = ConsoleLocation != filesLocation;
            ConsoleLocation = filesLocation;
            return new ServiceConsoleLocation(changed, AppsPathOverride ?? Path.Combine(filesLocation, "Apps"));
        }
    }

    /// <summary>The node's local accounts and the folders' access lists as tables.</summary>
    internal sealed class FakeServiceAccounts : IServiceAccounts
    {
        public Dictionary<string, string> Accounts { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        public HashSet<string> Grants { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Password files deleted, by account.</summary>
        public List<string> Forgotten { get; } = new List<string>();

        public AccountOutcome Ensure(AppServiceAccount account, bool passwordNeeded)
        {
            if (Accounts.ContainsKey(account.Name))
            {
                return AccountOutcome.Found;
            }

            Accounts[account.Name] = account.SecretFile;
            return AccountOutcome.Created;
        }

        public IReadOnlyList<string> Grant(AppServiceAccount account, IReadOnlyList<MendixNodeAgent.Settings.FolderGrant> grants)
        {
            if (!Accounts.ContainsKey(account.Name))
            {
                throw new AgentFailureException($"no such account {account.Name}");
            }

            return grants.Where(g => Grants.Add(account.Name + " " + g.Right + " " + g.Path)).Select(g => g.Path).ToList();
        }

        public bool ForgetPassword(AppServiceAccount account)
        {
            Forgotten.Add(account.Name);
            return true;
        }

        public IReadOnlyList<string> GrantIisWorkers(IReadOnlyList<MendixNodeAgent.Settings.FolderGrant> grants) =>
            grants.Where(g => Grants.Add(WindowsServiceAccounts.IisWorkers + " " + g.Right + (g.Inherited ? " " : " (this folder) ") + g.Path)).Select(g => g.Path).ToList();
    }

    /// <summary>Serves files from a table of URL to content; records what was asked for.</summary>
    internal sealed class FakeDownloader : IDownloader
    {
        public Dictionary<string, byte[]> Files { get; } = new Dictionary<string, byte[]>(StringComparer.Ordinal);

        public List<string> Downloads { get; } = new List<string>();

        public void Download(string url, string destination)
        {
            Downloads.Add(url);
            if (!Files.TryGetValue(url, out var content))
            {
                throw new AgentFailureException($"download: {url} answered HTTP 404 (Not Found)");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.WriteAllBytes(destination, content);
        }
    }

    /// <summary>IIS as a table of sites; applying a site makes it exactly what was asked.</summary>
    internal sealed class FakeIisSites : IIisSites
    {
        public Dictionary<string, SiteState> Sites { get; } = new Dictionary<string, SiteState>(StringComparer.OrdinalIgnoreCase);

        public bool SampleSite { get; set; } = true;

        public List<string> Applied { get; } = new List<string>();

        public SiteState Inspect(string siteName) => Sites.TryGetValue(siteName, out var site) ? site : SiteState.Missing();

        public void Apply(string siteName, string physicalPath, IReadOnlyList<SiteBinding> bindings, string thumbprint)
        {
            Applied.Add(siteName);
            Sites[siteName] = new SiteState(true, physicalPath, "Started", bindings.ToList(),
                bindings.Where(b => b.IsHttps).ToDictionary(b => b.BindingInformation, b => thumbprint, StringComparer.OrdinalIgnoreCase));
        }

        public bool RemoveSampleSite()
        {
            var removed = SampleSite;
            SampleSite = false;
            return removed;
        }
    }

    /// <summary>The machine's certificate store as a table; a PFX's thumbprint is the SHA-1 of its bytes here.</summary>
    internal sealed class FakeCertificates : ICertificates
    {
        public Dictionary<string, string> SelfSigned { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

        public HashSet<string> Imported { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        public List<IReadOnlyList<string>> SelfSignedRequests { get; } = new List<IReadOnlyList<string>>();

        public CertificateResult EnsureSelfSigned(string friendlyName, IReadOnlyList<string> dnsNames)
        {
            SelfSignedRequests.Add(dnsNames);
            if (SelfSigned.TryGetValue(friendlyName, out var existing))
            {
                return new CertificateResult(existing, false);
            }

            var thumbprint = ThumbprintOf(System.Text.Encoding.UTF8.GetBytes(friendlyName));
            SelfSigned.Add(friendlyName, thumbprint);
            return new CertificateResult(thumbprint, true);
        }

        public CertificateResult ImportPfx(byte[] pfx)
        {
            var thumbprint = ThumbprintOf(pfx);
            return new CertificateResult(thumbprint, Imported.Add(thumbprint));
        }

        public static string ThumbprintOf(byte[] bytes)
        {
            using (var sha = SHA1.Create())
            {
                return BitConverter.ToString(sha.ComputeHash(bytes)).Replace("-", string.Empty);
            }
        }
    }

    /// <summary>Time that passes only when the agent pauses: every pause is recorded and takes no time.</summary>
    internal sealed class FakeClock : IClock
    {
        public FakeClock(DateTime? start = null)
        {
            Start = start ?? AgentRun.FixedStart;
            UtcNow = Start;
        }

        public DateTime Start { get; }

        public DateTime UtcNow { get; private set; }

        public List<TimeSpan> Pauses { get; } = new List<TimeSpan>();

        public TimeSpan Elapsed => UtcNow - Start;

        public void Sleep(TimeSpan span)
        {
            Pauses.Add(span);
            UtcNow += span;
        }
    }

    /// <summary>An app's database that refuses the first <see cref="Refusals"/> sign-ins (int.MaxValue: every one).</summary>
    internal sealed class FakeDatabaseProbe : IDatabaseProbe
    {
        public int Refusals { get; set; }

        public string Reason { get; set; } = "SQL error 40615: Cannot open server 'mxdev-sql' requested by the login";

        public List<DatabaseTarget> SignIns { get; } = new List<DatabaseTarget>();

        public void SignIn(DatabaseTarget target, TimeSpan timeout)
        {
            SignIns.Add(target);
            if (SignIns.Count <= Refusals)
            {
                throw new DatabaseUnavailableException(Reason);
            }
        }
    }

    /// <summary>An app's files container that refuses its identity the first <see cref="Refusals"/> times.</summary>
    internal sealed class FakeFilesProbe : MendixNodeAgent.Storage.IFilesProbe
    {
        public int Refusals { get; set; }

        public List<MendixNodeAgent.Storage.FilesTarget> SignIns { get; } = new List<MendixNodeAgent.Storage.FilesTarget>();

        public void SignIn(MendixNodeAgent.Storage.FilesTarget target, TimeSpan timeout)
        {
            SignIns.Add(target);
            if (SignIns.Count <= Refusals)
            {
                throw new MendixNodeAgent.Storage.FilesUnavailableException("Blob Storage answered HTTP 403, AuthorizationPermissionMismatch");
            }
        }
    }

    /// <summary>A node for the tests: every Windows part replaced, by default a prepared node where everything is installed.</summary>
    internal sealed class TestNode
    {
        public TestNode(FakeDataDisk? disk = null, RecordingPowerShellRunner? runner = null, FakePrerequisites? prerequisites = null)
        {
            Disk = disk ?? FakeDataDisk.Online();
            Runner = runner ?? new RecordingPowerShellRunner();
            Prerequisites = prerequisites ?? new FakePrerequisites();
        }

        public FakeDataDisk Disk { get; }

        public RecordingPowerShellRunner Runner { get; }

        public FakePrerequisites Prerequisites { get; }

        public FakeDownloader Downloader { get; } = new FakeDownloader();

        public FakeIisSites Iis { get; } = new FakeIisSites();

        public FakeCertificates Certificates { get; } = new FakeCertificates();

        public FakeServiceAccounts Accounts { get; } = new FakeServiceAccounts();

        public FakeClock Clock { get; } = new FakeClock();

        public FakeJavaProcesses Java { get; } = new FakeJavaProcesses();

        public FakeFilesProbe Files { get; } = new FakeFilesProbe();

        public FakeDatabaseProbe Database { get; } = new FakeDatabaseProbe();

        private IisStandIn? iisStandIn;

        /// <summary>IIS answering the health path from the sites' web.config files and the apps' states.</summary>
        public IisStandIn IisStandIn => iisStandIn ?? (iisStandIn = new IisStandIn(Iis, Runner));

        /// <summary>How the agent reaches the health path; by default the stand-in in this process, without sockets.</summary>
        public IHealthEndpoint? Health { get; set; }

        public NodeSystem System(string computerName, MendixNodeAgent.KeyVault.IKeyVaultClient? keyVault = null) =>
            new NodeSystem(computerName, Disk, new MendixServiceConsole(Runner), keyVault, Prerequisites, Downloader, Iis, Certificates, Accounts,
                Health ?? new InProcessHealthEndpoint(IisStandIn), Database, Files, Java, Clock, BootTask);

        public FakeBootTask BootTask { get; } = new FakeBootTask();

        /// <summary>A prepared node with this disk and powershell.exe stand-in.</summary>
        public static NodeSystem With(string computerName, IDataDisk disk, IPowerShellRunner runner, MendixNodeAgent.KeyVault.IKeyVaultClient? keyVault = null)
        {
            var iis = new FakeIisSites();
            var console = runner as RecordingPowerShellRunner ?? new RecordingPowerShellRunner();
            return new NodeSystem(computerName, disk, new MendixServiceConsole(runner), keyVault, new FakePrerequisites(), new FakeDownloader(), iis, new FakeCertificates(), new FakeServiceAccounts(),
                new InProcessHealthEndpoint(new IisStandIn(iis, console)), new FakeDatabaseProbe(), new FakeFilesProbe(), new FakeJavaProcesses(), new FakeClock(), new FakeBootTask());
        }
    }

    /// <summary>
    /// The JVM the Service Console starts for an app once it runs: its command line carries Runtime.OtherVMArguments
    /// of the app's Settings.yaml as the console reads it (the console's settings emulator), unless <see cref="Dropped"/>.
    /// </summary>
    internal sealed class FakeJavaProcesses : IJavaProcesses
    {
        /// <summary>Where the apps' folders are; null: no app runs a JVM.</summary>
        public string? AppsRoot { get; set; }

        /// <summary>A console that does not pass OtherVMArguments on.</summary>
        public bool Dropped { get; set; }

        public IReadOnlyList<string> RuntimeCommandLines(string appName)
        {
            if (AppsRoot == null)
            {
                return new string[0];
            }

            var settings = Emulators.ServiceConsoleSettingsReader.Read(System.IO.Path.Combine(AppsRoot, appName, "Settings.yaml"));
            var arguments = Dropped ? string.Empty : settings?.OtherVMArguments ?? string.Empty;
            return new[] { ("\"C:\\Program Files\\Eclipse Adoptium\\jdk-21\\bin\\java.exe\" " + arguments + " -jar runtimelauncher.jar").Replace("  ", " ") };
        }
    }
}
