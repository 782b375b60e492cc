using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace MendixNodeAgent.Windows
{
    /// <summary>The scripts that check and install the node's prerequisites (part of the one renderer).</summary>
    internal static partial class PowerShellScript
    {
        /// <summary>The ARR proxy passes HTTPS to the runtime in this server variable, which a site may only set when the server allows it.</summary>
        public const string ForwardedProtoVariable = "HTTP_X_FORWARDED_PROTO";

        private const string ApplicationHost = "MACHINE/WEBROOT/APPHOST";

        // Windows Installer registers every product under these keys, DisplayName its ProductName and DisplayVersion its
        // ProductVersion (Microsoft Learn, "Uninstall Registry Key", learn.microsoft.com/windows/win32/msi/uninstall-registry-key).
        // The console's MSI names itself "Mendix Service Console 4.7.1", version 4.7.1.14 (the 4.7.1 MSI's Property table).
        private const string UninstallKey = @"HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\*";
        private const string UninstallKey32 = @"HKLM:\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall\*";
        private const string ServiceConsoleProductName = "Mendix Service Console";

        /// <summary>
        /// Changes nothing; prints one line per component:
        /// 'feature:&lt;name&gt;=installed|missing', 'urlRewrite=installed|missing',
        /// 'applicationRequestRouting=installed|missing', 'serviceConsole=installed|missing', 'serviceConsoleVersion=&lt;version&gt;'
        /// for each installed console product and
        /// 'java:&lt;major&gt;=&lt;folder&gt;' for every Java found under Program Files.
        /// URL Rewrite and ARR are found by their IIS modules in %windir%\System32\inetsrv (rewrite.dll,
        /// requestRouter.dll); the console by its cmdlet assembly; a Java by the JAVA_VERSION line of the
        /// 'release' file every JDK and JRE image carries next to bin\java.exe.
        /// </summary>
        public static string InspectPrerequisites(string serviceConsoleFolder, IEnumerable<string> windowsFeatures)
        {
            var script = ScriptImporting("ServerManager");
            script.AppendLine($"foreach ($name in @({string.Join(", ", windowsFeatures.Select(Quote))})) {{");
            script.AppendLine("    $feature = Get-WindowsFeature -Name $name");
            script.AppendLine("    if ($null -ne $feature -and $feature.Installed) { Write-Output ('feature:' + $name + '=installed') } else { Write-Output ('feature:' + $name + '=missing') }");
            script.AppendLine("}");
            script.AppendLine("$inetsrv = Join-Path -Path $env:windir -ChildPath 'System32\\inetsrv'");
            script.AppendLine("if (Test-Path -LiteralPath (Join-Path -Path $inetsrv -ChildPath 'rewrite.dll')) { Write-Output 'urlRewrite=installed' } else { Write-Output 'urlRewrite=missing' }");
            script.AppendLine("if (Test-Path -LiteralPath (Join-Path -Path $inetsrv -ChildPath 'requestRouter.dll')) { Write-Output 'applicationRequestRouting=installed' } else { Write-Output 'applicationRequestRouting=missing' }");
            script.AppendLine($"if (Test-Path -LiteralPath {Quote(ConsoleFile(serviceConsoleFolder, ServiceConsoleModule))}) {{ Write-Output 'serviceConsole=installed' }} else {{ Write-Output 'serviceConsole=missing' }}");
            script.AppendLine($"$uninstall = @({Quote(UninstallKey)}, {Quote(UninstallKey32)})");
            script.AppendLine($"foreach ($entry in @(Get-ItemProperty -Path $uninstall -ErrorAction SilentlyContinue | Where-Object {{ [string]$_.DisplayName -like {Quote(ServiceConsoleProductName + "*")} }})) {{ Write-Output ('serviceConsoleVersion=' + $entry.DisplayVersion) }}");
            script.AppendLine("$releases = @(Get-ChildItem -Path (Join-Path -Path $env:ProgramFiles -ChildPath '*\\*\\release') -File -ErrorAction SilentlyContinue)");
            script.AppendLine("foreach ($release in $releases) {");
            script.AppendLine("    if (-not (Test-Path -LiteralPath (Join-Path -Path $release.DirectoryName -ChildPath 'bin\\java.exe'))) { continue }");
            script.AppendLine("    $line = @(Get-Content -LiteralPath $release.FullName | Where-Object { $_ -match '^JAVA_VERSION=\"(1\\.)?([0-9]+)' }) | Select-Object -First 1");
            script.AppendLine("    if ($null -ne $line -and $line -match '^JAVA_VERSION=\"(1\\.)?([0-9]+)') { Write-Output ('java:' + $Matches[2] + '=' + $release.DirectoryName) }");
            script.AppendLine("}");
            return script.ToString();
        }

        /// <summary>Install-WindowsFeature for the features that are missing; prints 'restartNeeded=...'.</summary>
        public static string InstallWindowsFeatures(IEnumerable<string> windowsFeatures)
        {
            var script = ScriptImporting("ServerManager");
            script.AppendLine($"$result = Install-WindowsFeature -Name @({string.Join(", ", windowsFeatures.Select(Quote))})");
            script.AppendLine("if (-not $result.Success) { throw ('Install-WindowsFeature did not succeed (exit code ' + $result.ExitCode + ')') }");
            script.AppendLine("Write-Output ('restartNeeded=' + $result.RestartNeeded)");
            return script.ToString();
        }

        /// <summary>
        /// Runs a Windows Installer package silently: msiexec /i &lt;package&gt; /qn /norestart, with a verbose log, and prints
        /// 'exitCode=N'. 0 is success, 3010 and 1641 success with a restart wanted, 1618 another installation in progress
        /// (Microsoft Learn, "MsiExec.exe and InstMsi.exe error messages", learn.microsoft.com/windows/win32/msi/error-codes):
        /// the caller retries 1618 (<see cref="MsiExitCode"/>); any other code fails here.
        /// </summary>
        public static string InstallMsi(string packagePath, string logPath)
        {
            var script = StopOnError();
            script.AppendLine($"$arguments = @('/i', {Quote("\"" + packagePath + "\"")}, '/qn', '/norestart', '/l*v', {Quote("\"" + logPath + "\"")})");
            script.AppendLine("$process = Start-Process -FilePath 'msiexec.exe' -ArgumentList $arguments -Wait -PassThru");
            script.AppendLine($"if (@({string.Join(", ", MsiExitCode.Answered.Select(c => c.ToString(CultureInfo.InvariantCulture)))}) -notcontains $process.ExitCode) {{ throw ('msiexec exited with ' + $process.ExitCode + '; its log is ' + {Quote(logPath)}) }}");
            script.AppendLine("Write-Output ('exitCode=' + $process.ExitCode)");
            return script.ToString();
        }

        /// <summary>
        /// The server-level IIS settings Mendix needs, set only where they differ; prints 'changed=True|False':
        /// ARR's proxy enabled (system.webServer/proxy enabled, mendix/docs, deployment/on-premises-design/ms-windows/_index.md,
        /// "Activating a Proxy in ARR"), the original host header kept (preserveHostHeader, same page, "Preserving the
        /// Host Header") and HTTP_X_FORWARDED_PROTO allowed as a server variable (same page, rule "add x-forwarded-proto
        /// header", steps 1-5: "View Server Variables", add it).
        /// </summary>
        public static string ConfigureIisServer()
        {
            var host = Quote(ApplicationHost);
            var script = ScriptImporting("WebAdministration");
            script.AppendLine("$changed = $false");
            foreach (var attribute in new[] { "enabled", "preserveHostHeader" })
            {
                script.AppendLine($"if (-not [bool](Get-WebConfigurationProperty -PSPath {host} -Filter 'system.webServer/proxy' -Name {Quote(attribute)}).Value) {{");
                script.AppendLine($"    Set-WebConfigurationProperty -PSPath {host} -Filter 'system.webServer/proxy' -Name {Quote(attribute)} -Value $true");
                script.AppendLine("    $changed = $true");
                script.AppendLine("}");
            }

            script.AppendLine($"$allowed = @(Get-WebConfigurationProperty -PSPath {host} -Filter 'system.webServer/rewrite/allowedServerVariables' -Name 'Collection' | Where-Object {{ $_.name -eq {Quote(ForwardedProtoVariable)} }})");
            script.AppendLine("if ($allowed.Count -eq 0) {");
            script.AppendLine($"    Add-WebConfigurationProperty -PSPath {host} -Filter 'system.webServer/rewrite/allowedServerVariables' -Name '.' -Value @{{ name = {Quote(ForwardedProtoVariable)} }}");
            script.AppendLine("    $changed = $true");
            script.AppendLine("}");
            script.AppendLine("Write-Output ('changed=' + $changed)");
            return script.ToString();
        }

        /// <summary>
        /// Points the Service Console's "location of apps and server files" at the data disk when it is not there
        /// yet, and prints 'changed=True|False' and 'appsPath=&lt;the console's apps folder&gt;'. The location is
        /// ApplicationManagerSettings.FilesPath in Mendix.Service.Management.dll (bgelens/Mendix-AzurePack,
        /// Documentation/BaseImage_MultiInstance.md, "Register Files Path"; AppsPath as read in MXWAPack/MXWAPack.psm1).
        /// </summary>
        public static string ConfigureServiceConsoleLocation(string serviceConsoleFolder, string filesLocation)
        {
            var script = ScriptLoadingConsoleManagement(serviceConsoleFolder);
            script.AppendLine($"$location = {Quote(filesLocation)}");
            script.AppendLine("$settings = [Mendix.Service.Management.ApplicationManagerSettings]::Instance");
            script.AppendLine("$changed = $false");
            script.AppendLine("if ($settings.FilesPath -ne $location) {");
            script.AppendLine("    $settings = [Mendix.Service.Management.ApplicationManagerSettings]::new()");
            script.AppendLine("    $settings.FilesPath = $location");
            script.AppendLine("    $changed = $true");
            script.AppendLine("}");
            script.AppendLine("Write-Output ('changed=' + $changed)");
            script.AppendLine("Write-Output ('appsPath=' + $settings.AppsPath)");
            return script.ToString();
        }
    }
}
