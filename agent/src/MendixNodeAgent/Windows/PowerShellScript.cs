using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace MendixNodeAgent.Windows
{
    /// <summary>
    /// Renders every Windows PowerShell 5.1 script the agent runs. Pure: text in, text out. Every
    /// value from outside is passed as a single-quoted literal ('' for '), so nothing in it is
    /// ever interpreted by PowerShell.
    /// </summary>
    internal static partial class PowerShellScript
    {
        public const string ServiceConsoleModule = "Mendix.Service.Commands.dll";
        public const string ServiceConsoleManagementAssembly = "Mendix.Service.Management.dll";
        public const string DefaultServiceConsoleFolder = @"C:\Program Files\Mendix\Service Console";

        // Azure's resource (temporary) disk carries this volume label; it is never the data disk.
        private const string AzureResourceDiskLabel = "Temporary Storage";

        public static string Quote(string value) => "'" + value.Replace("'", "''") + "'";

        /// <summary>
        /// Reports whether the Service Console knows the app and whether its Windows service runs:
        /// prints one line 'state=missing|stopped|running'.
        /// Get-MxApp comes with the console's cmdlets (mendix/docs, releasenotes/studio-pro/windows-service.md, 4.3);
        /// the console installs each app as a Windows service (same notes, 4.2.0 Beta 2), assumed to carry the app's name.
        /// </summary>
        public static string QueryApp(string serviceConsoleFolder, string appName)
        {
            var script = ServiceConsoleScript(serviceConsoleFolder);
            script.AppendLine("$app = $null");
            script.AppendLine($"try {{ $app = Get-MxApp -Name {Quote(appName)} }} catch {{ $app = $null }}");
            script.AppendLine("if ($null -eq $app) {");
            script.AppendLine("    Write-Output 'state=missing'");
            script.AppendLine("} else {");
            script.AppendLine($"    $service = Get-Service -Name {Quote(appName)} -ErrorAction SilentlyContinue");
            script.AppendLine("    if ($null -ne $service -and $service.Status -eq 'Running') { Write-Output 'state=running' } else { Write-Output 'state=stopped' }");
            script.AppendLine("}");
            return script.ToString();
        }

        /// <summary>New-MxApp -Name creates the app's folder and a basic Settings.yaml
        /// (mendix/docs, automate-mendix-deployment-on-microsoft-windows.md, "Create new Mendix app").</summary>
        public static string CreateApp(string serviceConsoleFolder, string appName) =>
            ServiceConsoleCommand(serviceConsoleFolder, "New-MxApp", appName, new string[0]);

        public static string StopApp(string serviceConsoleFolder, string appName) =>
            ServiceConsoleCommand(serviceConsoleFolder, "Stop-MxApp", appName, new string[0]);

        /// <summary>Start-MxApp -SynchronizeDatabase updates the database schema without asking
        /// (mendix/docs, automate-mendix-deployment-on-microsoft-windows.md, "Update App"); only the leader may.</summary>
        public static string StartApp(string serviceConsoleFolder, string appName, bool synchronizeDatabase) =>
            ServiceConsoleCommand(serviceConsoleFolder, "Start-MxApp", appName,
                synchronizeDatabase ? new[] { "-SynchronizeDatabase" } : new string[0]);

        /// <summary>
        /// Finds the data disk at an Azure LUN and prints what is on it as key=value lines:
        /// 'found=none', 'found=many;N,M' or 'found=one' with number, partitionStyle, partitions and letters.
        /// Azure data disks show their LUN at the end of Get-PhysicalDisk's PhysicalLocation
        /// ("Integrated : Adapter 1 : Port 0 : Target 0 : LUN 2"), whose DeviceId is the disk number
        /// (learn.microsoft.com/troubleshoot/windows-server/backup-and-storage/manage-disks-standalone-storage-spaces).
        /// The boot/system disk and Azure's resource disk are never candidates.
        /// </summary>
        public static string InspectDataDisk(int lun)
        {
            var lunText = lun.ToString(CultureInfo.InvariantCulture);
            var script = StopOnError();
            script.AppendLine($"$lun = {lunText}");
            script.AppendLine("$candidates = @(Get-PhysicalDisk | Where-Object { ($_.PhysicalLocation -match 'LUN (\\d+)$') -and ([int]$Matches[1] -eq $lun) })");
            script.AppendLine("$disks = @($candidates | ForEach-Object { Get-Disk -Number ([int]$_.DeviceId) } | Where-Object {");
            script.AppendLine("    $labels = @(Get-Partition -DiskNumber $_.Number -ErrorAction SilentlyContinue | Get-Volume -ErrorAction SilentlyContinue | ForEach-Object { $_.FileSystemLabel })");
            script.AppendLine($"    (-not $_.IsBoot) -and (-not $_.IsSystem) -and ($labels -notcontains {Quote(AzureResourceDiskLabel)})");
            script.AppendLine("})");
            script.AppendLine("if ($disks.Count -eq 0) { Write-Output 'found=none'; exit 0 }");
            script.AppendLine("if ($disks.Count -gt 1) { Write-Output ('found=many;' + (($disks | ForEach-Object { $_.Number }) -join ',')); exit 0 }");
            script.AppendLine("$disk = $disks[0]");
            script.AppendLine("$partitions = @(Get-Partition -DiskNumber $disk.Number -ErrorAction SilentlyContinue)");
            script.AppendLine("$letters = @($partitions | Where-Object { $_.DriveLetter -and $_.DriveLetter -ne [char]0 } | ForEach-Object { [string]$_.DriveLetter }) -join ','");
            script.AppendLine("Write-Output 'found=one'");
            script.AppendLine("Write-Output ('number=' + $disk.Number)");
            script.AppendLine("Write-Output ('partitionStyle=' + $disk.PartitionStyle)");
            script.AppendLine("Write-Output ('partitions=' + $partitions.Count)");
            script.AppendLine("Write-Output ('letters=' + $letters)");
            return script.ToString();
        }

        /// <summary>
        /// Initialises a raw disk as GPT, one partition over all of it, NTFS, the given letter
        /// (Initialize-Disk | New-Partition | Format-Volume as in learn.microsoft.com/azure/virtual-machines/windows/attach-disk-ps).
        /// Re-checks that the disk is still raw and the letter free, so it can never format a disk with data.
        /// </summary>
        public static string InitializeDataDisk(int diskNumber, char driveLetter, string volumeLabel)
        {
            var number = diskNumber.ToString(CultureInfo.InvariantCulture);
            var letter = Quote(driveLetter.ToString());
            var script = StopOnError();
            script.AppendLine($"$disk = Get-Disk -Number {number}");
            script.AppendLine($"if ($disk.PartitionStyle -ne 'RAW') {{ throw ('disk {number} is no longer raw (' + $disk.PartitionStyle + '); it was not touched') }}");
            script.AppendLine($"if ($null -ne (Get-Volume -DriveLetter {letter} -ErrorAction SilentlyContinue)) {{ throw ('drive letter ' + {letter} + ': is already used by another volume') }}");
            script.AppendLine($"if ($disk.IsOffline) {{ Set-Disk -Number {number} -IsOffline $false }}");
            script.AppendLine($"if ($disk.IsReadOnly) {{ Set-Disk -Number {number} -IsReadOnly $false }}");
            script.AppendLine($"Initialize-Disk -Number {number} -PartitionStyle GPT");
            script.AppendLine($"$partition = New-Partition -DiskNumber {number} -UseMaximumSize -DriveLetter {letter}");
            script.AppendLine($"$null = Format-Volume -Partition $partition -FileSystem NTFS -NewFileSystemLabel {Quote(volumeLabel)} -Confirm:$false");
            return script.ToString();
        }

        /// <summary>
        /// Prints 'installed=true|false': whether the console's server files hold the distribution of a Mendix
        /// version. The console keeps one folder per installed version under ApplicationManagerSettings'
        /// ServersPath (bgelens/Mendix-AzurePack, MXWAPack/MXWAPack.psm1, Get-MXWAPackInstalledServerPackage).
        /// </summary>
        public static string QueryServerDistribution(string serviceConsoleFolder, string version)
        {
            var script = ScriptLoadingConsoleManagement(serviceConsoleFolder);
            script.AppendLine("$settings = [Mendix.Service.Management.ApplicationManagerSettings]::Instance");
            script.AppendLine($"$path = Join-Path -Path $settings.ServersPath -ChildPath {Quote(version)}");
            script.AppendLine("if (Test-Path -LiteralPath $path) { Write-Output 'installed=true' } else { Write-Output 'installed=false' }");
            return script.ToString();
        }

        /// <summary>Install-MxServer -LiteralPath extracts a downloaded server distribution (mendix-&lt;version&gt;.tar.gz)
        /// into the console's server files (mendix/docs, automate-mendix-deployment-on-microsoft-windows.md,
        /// "Sample Script - Update the Mendix Runtime").</summary>
        public static string InstallServerDistribution(string serviceConsoleFolder, string archivePath)
        {
            var script = ServiceConsoleScript(serviceConsoleFolder);
            script.AppendLine($"$null = Install-MxServer -LiteralPath {Quote(archivePath)}");
            return script.ToString();
        }

        /// <summary>Update-MxApp -LiteralPath &lt;mda&gt; -Name &lt;app&gt; unpacks a deployment archive into a stopped app
        /// (mendix/docs, automate-mendix-deployment-on-microsoft-windows.md, "Sample Script - Update App";
        /// bgelens/Mendix-AzurePack, MXWAPack/MXWAPack.psm1, Update-MXWAPackMendixApp).</summary>
        public static string UpdateApp(string serviceConsoleFolder, string appName, string mdaPath)
        {
            var script = ServiceConsoleScript(serviceConsoleFolder);
            script.AppendLine($"$null = Update-MxApp -LiteralPath {Quote(mdaPath)} -Name {Quote(appName)}");
            return script.ToString();
        }

        private static string ServiceConsoleCommand(string serviceConsoleFolder, string cmdlet, string appName, IReadOnlyList<string> switches)
        {
            var script = ServiceConsoleScript(serviceConsoleFolder);
            var line = new StringBuilder($"$null = {cmdlet} -Name {Quote(appName)}");
            foreach (var flag in switches)
            {
                line.Append(' ').Append(flag);
            }

            script.AppendLine(line.ToString());
            return script.ToString();
        }

        /// <summary>The start of every script: the first error stops it.</summary>
        private static StringBuilder StopOnError() => new StringBuilder().AppendLine("$ErrorActionPreference = 'Stop'");

        /// <param name="module">a module name, or an already quoted path to one.</param>
        private static StringBuilder ScriptImporting(string module) => StopOnError().AppendLine($"Import-Module -Name {module}");

        /// <summary>Import-Module of Mendix.Service.Commands.dll from the console's folder
        /// (mendix/docs, automate-mendix-deployment-on-microsoft-windows.md, "Importing Mendix-Specific Cmdlets").</summary>
        private static StringBuilder ServiceConsoleScript(string serviceConsoleFolder) =>
            ScriptImporting(Quote(ConsoleFile(serviceConsoleFolder, ServiceConsoleModule)));

        /// <summary>Loads the console's management assembly, whose ApplicationManagerSettings hold its folders.</summary>
        private static StringBuilder ScriptLoadingConsoleManagement(string serviceConsoleFolder) =>
            StopOnError().AppendLine($"Add-Type -Path {Quote(ConsoleFile(serviceConsoleFolder, ServiceConsoleManagementAssembly))}");

        private static string ConsoleFile(string serviceConsoleFolder, string file) => serviceConsoleFolder.TrimEnd('\\') + "\\" + file;
    }
}
