using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using MendixNodeAgent.Settings;

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

        /// <summary>
        /// New-MxApp -Name &lt;app&gt; -Credential &lt;PSCredential&gt; creates the app's folder, a basic Settings.yaml and the app's
        /// Windows service running as that account; -Credential is mandatory (Service Console 4.7.1 binaries; mendix/docs,
        /// automate-mendix-deployment-on-microsoft-windows.md, "Create new Mendix app"). The password is read from the
        /// account's secret file inside the script, so it never appears in the script or on a command line.
        /// </summary>
        public static string CreateApp(string serviceConsoleFolder, string appName, string logonName, string secretFile)
        {
            var script = ServiceConsoleScript(serviceConsoleFolder);
            script.AppendLine($"$password = ConvertTo-SecureString -String (Get-Content -LiteralPath {Quote(secretFile)} -Raw) -AsPlainText -Force");
            script.AppendLine($"$credential = New-Object -TypeName System.Management.Automation.PSCredential -ArgumentList {Quote(logonName)}, $password");
            script.AppendLine($"$null = New-MxApp -Name {Quote(appName)} -Credential $credential");
            return script.ToString();
        }

        /// <summary>
        /// Stop-MxApp waits at most 30 seconds for the app's service and then throws, leaving it stopping (Service Console
        /// 4.7.1 binaries). So the script then waits, at most <paramref name="stoppedWithinSeconds"/>, for the service to be
        /// Stopped, and fails, naming the state it is in, if it is not: a half-stopped app is never reported stopped.
        /// Prints 'stopped=true', and 'stopMxApp=&lt;its error&gt;' when Stop-MxApp gave up before the service stopped.
        /// </summary>
        public static string StopApp(string serviceConsoleFolder, string appName, int stoppedWithinSeconds)
        {
            const int PollSeconds = 2;
            var name = Quote(appName);
            var script = ServiceConsoleScript(serviceConsoleFolder);
            script.AppendLine("$stopError = $null");
            script.AppendLine($"try {{ $null = Stop-MxApp -Name {name} }} catch {{ $stopError = $_.Exception.Message }}");
            script.AppendLine($"$service = Get-Service -Name {name}");
            script.AppendLine($"for ($waited = 0; $service.Status -ne 'Stopped' -and $waited -lt {stoppedWithinSeconds.ToString(CultureInfo.InvariantCulture)}; $waited += {PollSeconds.ToString(CultureInfo.InvariantCulture)}) {{");
            script.AppendLine($"    Start-Sleep -Seconds {PollSeconds.ToString(CultureInfo.InvariantCulture)}");
            script.AppendLine($"    $service = Get-Service -Name {name}");
            script.AppendLine("}");
            script.AppendLine("if ($service.Status -ne 'Stopped') {");
            script.AppendLine($"    $message = 'the Windows service ' + {name} + ' is still ' + $service.Status + ' {stoppedWithinSeconds.ToString(CultureInfo.InvariantCulture)} s after Stop-MxApp'");
            script.AppendLine("    if ($null -ne $stopError) { $message += ' (Stop-MxApp: ' + $stopError + ')' }");
            script.AppendLine("    throw ($message + '; the app is not stopped: look at its log, stop the service by hand and run the agent again')");
            script.AppendLine("}");
            script.AppendLine("if ($null -ne $stopError) { Write-Output ('stopMxApp=' + $stopError) }");
            script.AppendLine("Write-Output 'stopped=true'");
            return script.ToString();
        }

        /// <summary>
        /// Finds or creates the local account an app's service runs as (Microsoft.PowerShell.LocalAccounts: Get-LocalUser,
        /// New-LocalUser -Name -Password &lt;SecureString&gt; -PasswordNeverExpires -AccountNeverExpires -UserMayNotChangePassword,
        /// Set-LocalUser; Microsoft Learn, learn.microsoft.com/powershell/module/microsoft.powershell.localaccounts).
        /// The password is generated here from a cryptographic random source, written to <paramref name="secretFile"/> in a
        /// folder whose access list (no inheritance) admits only SYSTEM (S-1-5-18) and Administrators (S-1-5-32-544), and
        /// never printed. Prints 'account=found|created|passwordReset'.
        /// </summary>
        public static string EnsureServiceAccount(string accountName, string secretFile)
        {
            var script = StopOnError();
            script.AppendLine($"$account = {Quote(accountName)}");
            script.AppendLine($"$secretFile = {Quote(secretFile)}");
            script.AppendLine("$folder = Split-Path -Path $secretFile -Parent");
            script.AppendLine("if (-not (Test-Path -LiteralPath $folder)) { $null = New-Item -ItemType Directory -Path $folder -Force }");
            script.AppendLine("$acl = New-Object -TypeName System.Security.AccessControl.DirectorySecurity");
            script.AppendLine("$acl.SetAccessRuleProtection($true, $false)");
            script.AppendLine("foreach ($sid in @('S-1-5-18', 'S-1-5-32-544')) {");
            script.AppendLine("    $identity = New-Object -TypeName System.Security.Principal.SecurityIdentifier -ArgumentList $sid");
            script.AppendLine("    $acl.AddAccessRule((New-Object -TypeName System.Security.AccessControl.FileSystemAccessRule -ArgumentList $identity, 'FullControl', 'ContainerInherit, ObjectInherit', 'None', 'Allow'))");
            script.AppendLine("}");
            script.AppendLine("Set-Acl -LiteralPath $folder -AclObject $acl");
            script.AppendLine("$newPassword = -not (Test-Path -LiteralPath $secretFile)");
            script.AppendLine("if ($newPassword) {");
            script.AppendLine("    $alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'");
            script.AppendLine("    $bytes = New-Object -TypeName 'byte[]' -ArgumentList 32");
            script.AppendLine("    $random = [System.Security.Cryptography.RandomNumberGenerator]::Create()");
            script.AppendLine("    $random.GetBytes($bytes)");
            script.AppendLine("    $plain = 'Mx1-' + (-join ($bytes | ForEach-Object { $alphabet[$_ % 64] }))");
            script.AppendLine("    Set-Content -LiteralPath $secretFile -Value $plain -NoNewline -Encoding Ascii");
            script.AppendLine("    $plain = $null");
            script.AppendLine("}");
            script.AppendLine("$password = ConvertTo-SecureString -String (Get-Content -LiteralPath $secretFile -Raw) -AsPlainText -Force");
            script.AppendLine("$user = Get-LocalUser -Name $account -ErrorAction SilentlyContinue");
            script.AppendLine("if ($null -eq $user) {");
            script.AppendLine("    $null = New-LocalUser -Name $account -Password $password -PasswordNeverExpires -AccountNeverExpires -UserMayNotChangePassword -Description 'Mendix app service (mendix-node-agent)'");
            script.AppendLine("    Write-Output 'account=created'");
            script.AppendLine("} elseif ($newPassword) {");
            script.AppendLine("    Set-LocalUser -Name $account -Password $password");
            script.AppendLine("    Write-Output 'account=passwordReset'");
            script.AppendLine("} else {");
            script.AppendLine("    Write-Output 'account=found'");
            script.AppendLine("}");
            return script.ToString();
        }

        /// <summary>
        /// Gives the account each right on each folder (created when missing), inherited by everything in it, where its access
        /// list does not hold that allow rule yet (Get-Acl, Set-Acl, FileSystemAccessRule). Prints 'granted=&lt;folder&gt;' per
        /// change and 'grants=done'.
        /// </summary>
        public static string GrantFolderRights(string accountName, IReadOnlyList<FolderGrant> grants)
        {
            var script = StopOnError();
            script.AppendLine($"$account = {Quote(accountName)}");
            var list = string.Join(", ", grants.Select(g => $"@({Quote(g.Path)}, {Quote(g.Right.ToString())})"));
            script.AppendLine($"foreach ($grant in @({list})) {{");
            script.AppendLine("    $path = $grant[0]");
            script.AppendLine("    $rights = $grant[1]");
            script.AppendLine("    if (-not (Test-Path -LiteralPath $path)) { $null = New-Item -ItemType Directory -Path $path -Force }");
            script.AppendLine("    $acl = Get-Acl -LiteralPath $path");
            script.AppendLine("    $held = @($acl.Access | Where-Object { ([string]$_.AccessControlType) -eq 'Allow' -and ([string]$_.IdentityReference) -match ('(^|\\\\)' + [regex]::Escape($account) + '$') -and ([string]$_.FileSystemRights) -match ('(^|, )' + $rights + '(,|$)') -and ([string]$_.InheritanceFlags) -match 'ContainerInherit' })");
            script.AppendLine("    if ($held.Count -eq 0) {");
            script.AppendLine("        $acl.AddAccessRule((New-Object -TypeName System.Security.AccessControl.FileSystemAccessRule -ArgumentList $account, $rights, 'ContainerInherit, ObjectInherit', 'None', 'Allow'))");
            script.AppendLine("        Set-Acl -LiteralPath $path -AclObject $acl");
            script.AppendLine("        Write-Output ('granted=' + $path)");
            script.AppendLine("    }");
            script.AppendLine("}");
            script.AppendLine("Write-Output 'grants=done'");
            return script.ToString();
        }

        /// <summary>Start-MxApp -SynchronizeDatabase updates the database schema without asking
        /// (mendix/docs, automate-mendix-deployment-on-microsoft-windows.md, "Update App"); only the leader may.</summary>
        public static string StartApp(string serviceConsoleFolder, string appName, bool synchronizeDatabase) =>
            ServiceConsoleCommand(serviceConsoleFolder, "Start-MxApp", appName,
                synchronizeDatabase ? new[] { "-SynchronizeDatabase" } : new string[0]);

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
