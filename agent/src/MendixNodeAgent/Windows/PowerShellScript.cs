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
        /// Reports whether the Service Console knows the app and, when it does, the settled state of its Windows service:
        /// prints 'state=missing', or 'state=stopped|running' and 'startType=&lt;ServiceStartMode&gt;'.
        /// Get-MxApp -Name loads every app's Settings.yaml before it looks for the name (Service Console 4.7.1 binaries,
        /// AppCommand.GetSpecifiedApps -> GetAllApps), so an error there says nothing about this app: only the console's own
        /// terminating error for an unknown name (error id 10, "The following specified apps do not exist: ...") means
        /// missing; any other fails the script with the console's message. The console installs each app as a Windows
        /// service named after it (NewAppCommand: Service.ServiceName = Name). Start-MxApp does nothing unless the service
        /// is Stopped (AppRunner.Start), so a service in any other state (StartPending, StopPending, Paused, ...) is waited
        /// for, at most <paramref name="settlesWithinSeconds"/>, to be Running or Stopped; one that is not fails the
        /// script, naming its state.
        /// </summary>
        public static string QueryApp(string serviceConsoleFolder, string appName, int settlesWithinSeconds)
        {
            var name = Quote(appName);
            var script = ServiceConsoleScript(serviceConsoleFolder);
            script.AppendLine("$known = $true");
            script.AppendLine($"try {{ $null = Get-MxApp -Name {name} }}");
            script.AppendLine("catch {");
            script.AppendLine("    if ($_.FullyQualifiedErrorId -like '10,*' -and $_.Exception.Message -like 'The following specified apps do not exist:*') { $known = $false }");
            script.AppendLine($"    else {{ throw ('Get-MxApp -Name ' + {name} + ' failed, so whether the app exists is not known (the console reads every app''s Settings.yaml first): ' + $_.Exception.Message) }}");
            script.AppendLine("}");
            script.AppendLine("if (-not $known) { Write-Output 'state=missing'; exit 0 }");
            script.AppendLine($"$service = Get-Service -Name {name} -ErrorAction SilentlyContinue");
            script.AppendLine($"if ($null -eq $service) {{ throw ('the Service Console knows app ' + {name} + ' but its Windows service ' + {name} + ' is not installed: install it from the Service Console (Install service), or remove the app''s folder so that the agent creates the app again') }}");
            AppendSettleWait(script, name, settlesWithinSeconds, "'Stopped', 'Running'",
                Quote("(neither Running nor Stopped, so Start-MxApp would do nothing): look at the app's log and its service, bring it to Stopped by hand and run the agent again"));
            script.AppendLine("Write-Output ('state=' + ([string]$service.Status).ToLowerInvariant())");
            script.AppendLine("Write-Output ('startType=' + [string]$service.StartType)");
            return script.ToString();
        }

        /// <summary>
        /// New-MxApp -Name &lt;app&gt; -Credential &lt;PSCredential&gt; -StartupType &lt;mode&gt; creates the app's folder, a basic
        /// Settings.yaml and the app's Windows service running as that account; -Credential is mandatory and -StartupType
        /// (Settings.ServiceStartMode) defaults to Automatic (Service Console 4.7.1 binaries, NewAppCommand; mendix/docs,
        /// automate-mendix-deployment-on-microsoft-windows.md, "Create new Mendix app"). The password is read from the
        /// account's secret file inside the script, so it never appears in the script or on a command line.
        /// </summary>
        public static string CreateApp(string serviceConsoleFolder, string appName, string logonName, string secretFile, string startupType)
        {
            var script = ServiceConsoleScript(serviceConsoleFolder);
            script.AppendLine($"$password = ConvertTo-SecureString -String (Get-Content -LiteralPath {Quote(secretFile)} -Raw) -AsPlainText -Force");
            script.AppendLine($"$credential = New-Object -TypeName System.Management.Automation.PSCredential -ArgumentList {Quote(logonName)}, $password");
            script.AppendLine($"$null = New-MxApp -Name {Quote(appName)} -Credential $credential -StartupType {Quote(startupType)}");
            return script.ToString();
        }

        /// <summary>
        /// Sets the app's Windows service's startup type (Set-Service -StartupType, a ServiceStartMode): the console copies
        /// it into the service manager once, at install (ProjectInstaller.BeforeInstall), and never again.
        /// </summary>
        public static string SetStartupType(string appName, string startupType) =>
            StopOnError().AppendLine($"Set-Service -Name {Quote(appName)} -StartupType {Quote(startupType)}").ToString();

        /// <summary>
        /// Stop-MxApp waits at most 30 seconds for the app's service and then writes a non-terminating error carrying
        /// System.ServiceProcess.TimeoutException, leaving it stopping (Service Console 4.7.1 binaries, AppRunner.Stop; the
        /// script's ErrorActionPreference makes it terminating, and it is caught). So the script then waits, at most
        /// <paramref name="stoppedWithinSeconds"/>, for the service to be Stopped, and fails, naming the state it is in, if
        /// it is not: a half-stopped app is never reported stopped.
        /// Prints 'stopped=true', and 'stopMxApp=&lt;its error&gt;' when Stop-MxApp gave up before the service stopped.
        /// </summary>
        public static string StopApp(string serviceConsoleFolder, string appName, int stoppedWithinSeconds)
        {
            var name = Quote(appName);
            var script = ServiceConsoleScript(serviceConsoleFolder);
            script.AppendLine("$stopError = $null");
            script.AppendLine($"try {{ $null = Stop-MxApp -Name {name} }} catch {{ $stopError = $_.Exception.Message }}");
            script.AppendLine($"$service = Get-Service -Name {name}");
            AppendSettleWait(script, name, stoppedWithinSeconds, "'Stopped'",
                "'after Stop-MxApp' + $(if ($null -ne $stopError) { ' (Stop-MxApp: ' + $stopError + ')' } else { '' }) + '; the app is not stopped: look at its log, stop the service by hand and run the agent again'");
            script.AppendLine("if ($null -ne $stopError) { Write-Output ('stopMxApp=' + $stopError) }");
            script.AppendLine("Write-Output 'stopped=true'");
            return script.ToString();
        }

        /// <summary>
        /// Start-MxApp [-SynchronizeDatabase] (AppRunner.Start), only on a Stopped service, since on any other it returns
        /// success doing nothing; afterwards the service must be Running. A start that fails asks the runtime to shut down
        /// and returns at once (RuntimeRunner.ConfigureAndStartRuntime -> Stop), while the service stops only once its
        /// runtime has exited (Service.ServerProcessExited): the failure is reported once the service is Stopped, waited for
        /// at most <paramref name="stoppedWithinSeconds"/>, so that the app is left in a known state. -SynchronizeDatabase
        /// updates the database schema without asking (mendix/docs, automate-mendix-deployment-on-microsoft-windows.md,
        /// "Update App"); only the leader may. Start-MxApp itself has no timeout (the runtime's start request is sent with
        /// Execute(int.MaxValue)): the caller bounds the script. Prints 'started=true'.
        /// </summary>
        public static string StartApp(string serviceConsoleFolder, string appName, bool synchronizeDatabase, int stoppedWithinSeconds)
        {
            var name = Quote(appName);
            var script = ServiceConsoleScript(serviceConsoleFolder);
            script.AppendLine($"$service = Get-Service -Name {name}");
            script.AppendLine($"if ($service.Status -ne 'Stopped') {{ throw ('the Windows service ' + {name} + ' is ' + $service.Status + ', not Stopped, so Start-MxApp would do nothing; it was not started') }}");
            script.AppendLine("$startError = $null");
            script.AppendLine($"try {{ $null = Start-MxApp -Name {name}" + (synchronizeDatabase ? " -SynchronizeDatabase" : string.Empty) + " } catch { $startError = $_.Exception.Message }");
            script.AppendLine($"$service = Get-Service -Name {name}");
            script.AppendLine("if ($null -ne $startError) {");
            AppendSettleWait(script, name, stoppedWithinSeconds, "'Stopped'", "'after a failed Start-MxApp (' + $startError + '): stop it by hand'");
            script.AppendLine("    throw ('Start-MxApp failed, and the app is stopped: ' + $startError)");
            script.AppendLine("}");
            script.AppendLine($"if ($service.Status -ne 'Running') {{ throw ('Start-MxApp returned, but the Windows service ' + {name} + ' is ' + $service.Status + ': look at the app''s log') }}");
            script.AppendLine("Write-Output 'started=true'");
            return script.ToString();
        }

        /// <summary>
        /// Polls $service (Get-Service) every 2 s while its status is not one of <paramref name="settled"/>, at most
        /// <paramref name="withinSeconds"/>; then throws, naming the status, unless it settled.
        /// </summary>
        /// <param name="failure">a PowerShell expression: the rest of the message after "... is still &lt;status&gt; N s ".</param>
        private static void AppendSettleWait(StringBuilder script, string quotedName, int withinSeconds, string settled, string failure)
        {
            const int PollSeconds = 2;
            var seconds = withinSeconds.ToString(CultureInfo.InvariantCulture);
            script.AppendLine($"$settled = @({settled})");
            script.AppendLine($"for ($waited = 0; $settled -notcontains [string]$service.Status -and $waited -lt {seconds}; $waited += {PollSeconds.ToString(CultureInfo.InvariantCulture)}) {{");
            script.AppendLine($"    Start-Sleep -Seconds {PollSeconds.ToString(CultureInfo.InvariantCulture)}");
            script.AppendLine($"    $service = Get-Service -Name {quotedName}");
            script.AppendLine("}");
            script.AppendLine($"if ($settled -notcontains [string]$service.Status) {{ throw ('the Windows service ' + {quotedName} + ' is still ' + $service.Status + ' {seconds} s ' + {failure}) }}");
        }

        /// <summary>
        /// Registers the scheduled task that runs <paramref name="executable"/> with <paramref name="arguments"/> at every
        /// start of Windows, as SYSTEM (S-1-5-18), elevated, one instance at a time, for at most <paramref name="limitHours"/>
        /// hours (ScheduledTasks module; Microsoft Learn, New-ScheduledTaskAction, New-ScheduledTaskTrigger -AtStartup,
        /// New-ScheduledTaskPrincipal, New-ScheduledTaskSettingsSet, Register-ScheduledTask). A task already running that
        /// command with that limit (Settings.ExecutionTimeLimit, an ISO 8601 duration such as PT8H) is left alone.
        /// Prints 'registered=True|False'.
        /// </summary>
        public static string RegisterBootTask(string taskName, string executable, string arguments, int limitHours)
        {
            var limit = limitHours.ToString(CultureInfo.InvariantCulture);
            var script = StopOnError();
            script.AppendLine($"$existing = Get-ScheduledTask -TaskName {Quote(taskName)} -ErrorAction SilentlyContinue");
            script.AppendLine($"if ($null -ne $existing -and @($existing.Actions).Count -eq 1 -and $existing.Actions[0].Execute -eq {Quote(executable)} -and $existing.Actions[0].Arguments -eq {Quote(arguments)} -and $existing.Settings.ExecutionTimeLimit -eq 'PT{limit}H' -and @($existing.Triggers | Where-Object {{ $_.CimClass.CimClassName -eq 'MSFT_TaskBootTrigger' }}).Count -eq 1) {{ Write-Output 'registered=False'; exit 0 }}");
            script.AppendLine($"$action = New-ScheduledTaskAction -Execute {Quote(executable)} -Argument {Quote(arguments)}");
            script.AppendLine("$trigger = New-ScheduledTaskTrigger -AtStartup");
            script.AppendLine("$principal = New-ScheduledTaskPrincipal -UserId 'S-1-5-18' -LogonType ServiceAccount -RunLevel Highest");
            script.AppendLine($"$settings = New-ScheduledTaskSettingsSet -ExecutionTimeLimit (New-TimeSpan -Hours {limit}) -MultipleInstances IgnoreNew");
            script.AppendLine($"$null = Register-ScheduledTask -TaskName {Quote(taskName)} -Action $action -Trigger $trigger -Principal $principal -Settings $settings -Force");
            script.AppendLine("Write-Output 'registered=True'");
            return script.ToString();
        }

        /// <summary>
        /// Finds or creates the local account an app's service runs as (Microsoft.PowerShell.LocalAccounts: Get-LocalUser,
        /// New-LocalUser -Name -Password &lt;SecureString&gt; -PasswordNeverExpires -AccountNeverExpires -UserMayNotChangePassword,
        /// Set-LocalUser; Microsoft Learn, learn.microsoft.com/powershell/module/microsoft.powershell.localaccounts).
        /// A new account's password is generated here from a cryptographic random source, written to
        /// <paramref name="secretFile"/> in a folder whose access list (no inheritance) admits only SYSTEM (S-1-5-18) and
        /// Administrators (S-1-5-32-544), and never printed. An existing account keeps its password (its app's service holds
        /// it), unless <paramref name="passwordNeeded"/> (an app about to be created, whose New-MxApp takes it) and the file
        /// is gone: then a new one is set. Prints 'account=found|created|passwordReset'.
        /// </summary>
        public static string EnsureServiceAccount(string accountName, string secretFile, bool passwordNeeded)
        {
            var script = StopOnError();
            script.AppendLine($"$account = {Quote(accountName)}");
            script.AppendLine($"$secretFile = {Quote(secretFile)}");
            script.AppendLine($"$passwordNeeded = ${(passwordNeeded ? "true" : "false")}");
            script.AppendLine("$folder = Split-Path -Path $secretFile -Parent");
            script.AppendLine("if (-not (Test-Path -LiteralPath $folder)) { $null = New-Item -ItemType Directory -Path $folder -Force }");
            script.AppendLine("$acl = New-Object -TypeName System.Security.AccessControl.DirectorySecurity");
            script.AppendLine("$acl.SetAccessRuleProtection($true, $false)");
            script.AppendLine("foreach ($sid in @('S-1-5-18', 'S-1-5-32-544')) {");
            script.AppendLine("    $identity = New-Object -TypeName System.Security.Principal.SecurityIdentifier -ArgumentList $sid");
            script.AppendLine("    $acl.AddAccessRule((New-Object -TypeName System.Security.AccessControl.FileSystemAccessRule -ArgumentList $identity, 'FullControl', 'ContainerInherit, ObjectInherit', 'None', 'Allow'))");
            script.AppendLine("}");
            script.AppendLine("Set-Acl -LiteralPath $folder -AclObject $acl");
            script.AppendLine("$user = Get-LocalUser -Name $account -ErrorAction SilentlyContinue");
            script.AppendLine("$newPassword = -not (Test-Path -LiteralPath $secretFile) -and ($null -eq $user -or $passwordNeeded)");
            script.AppendLine("if ($newPassword) {");
            script.AppendLine("    $alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'");
            script.AppendLine("    $bytes = New-Object -TypeName 'byte[]' -ArgumentList 32");
            script.AppendLine("    $random = [System.Security.Cryptography.RandomNumberGenerator]::Create()");
            script.AppendLine("    $random.GetBytes($bytes)");
            script.AppendLine("    $plain = 'Mx1-' + (-join ($bytes | ForEach-Object { $alphabet[$_ % 64] }))");
            script.AppendLine("    Set-Content -LiteralPath $secretFile -Value $plain -NoNewline -Encoding Ascii");
            script.AppendLine("    $plain = $null");
            script.AppendLine("}");
            script.AppendLine("if ($null -eq $user) {");
            script.AppendLine("    $password = ConvertTo-SecureString -String (Get-Content -LiteralPath $secretFile -Raw) -AsPlainText -Force");
            script.AppendLine("    $null = New-LocalUser -Name $account -Password $password -PasswordNeverExpires -AccountNeverExpires -UserMayNotChangePassword -Description 'Mendix app service (mendix-node-agent)'");
            script.AppendLine("    Write-Output 'account=created'");
            script.AppendLine("} elseif ($newPassword) {");
            script.AppendLine("    $password = ConvertTo-SecureString -String (Get-Content -LiteralPath $secretFile -Raw) -AsPlainText -Force");
            script.AppendLine("    Set-LocalUser -Name $account -Password $password");
            script.AppendLine("    Write-Output 'account=passwordReset'");
            script.AppendLine("} else {");
            script.AppendLine("    Write-Output 'account=found'");
            script.AppendLine("}");
            return script.ToString();
        }

        /// <summary>
        /// Gives the account (a local account, or a group such as IIS_IUSRS) each right on each folder (created when missing),
        /// inherited by everything in it or on the folder only, where its access list does not hold that allow rule yet
        /// (Get-Acl, Set-Acl, FileSystemAccessRule). Prints 'granted=&lt;folder&gt;' per change and 'grants=done'.
        /// </summary>
        public static string GrantFolderRights(string accountName, IReadOnlyList<FolderGrant> grants)
        {
            var script = StopOnError();
            script.AppendLine($"$account = {Quote(accountName)}");
            var list = string.Join(", ", grants.Select(g => $"@({Quote(g.Path)}, {Quote(g.Right.ToString())}, {Quote(g.Inherited ? "ContainerInherit, ObjectInherit" : "None")})"));
            script.AppendLine($"foreach ($grant in @({list})) {{");
            script.AppendLine("    $path = $grant[0]");
            script.AppendLine("    $rights = $grant[1]");
            script.AppendLine("    $inheritance = $grant[2]");
            script.AppendLine("    if (-not (Test-Path -LiteralPath $path)) { $null = New-Item -ItemType Directory -Path $path -Force }");
            script.AppendLine("    $acl = Get-Acl -LiteralPath $path");
            script.AppendLine("    $held = @($acl.Access | Where-Object { ([string]$_.AccessControlType) -eq 'Allow' -and ([string]$_.IdentityReference) -match ('(^|\\\\)' + [regex]::Escape($account) + '$') -and ([string]$_.FileSystemRights) -match ('(^|, )' + $rights + '(,|$)') -and ($inheritance -eq 'None' -or ([string]$_.InheritanceFlags) -match 'ContainerInherit') })");
            script.AppendLine("    if ($held.Count -eq 0) {");
            script.AppendLine("        $acl.AddAccessRule((New-Object -TypeName System.Security.AccessControl.FileSystemAccessRule -ArgumentList $account, $rights, $inheritance, 'None', 'Allow'))");
            script.AppendLine("        Set-Acl -LiteralPath $path -AclObject $acl");
            script.AppendLine("        Write-Output ('granted=' + $path)");
            script.AppendLine("    }");
            script.AppendLine("}");
            script.AppendLine("Write-Output 'grants=done'");
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
