namespace MendixNodeAgent.Windows
{
    internal static partial class PowerShellScript
    {
        /// <summary>
        /// The command lines of the Java processes the app's Windows service started: its runtime's JVM, which the
        /// console's service starts as a child process (Service Console 4.7.1 binaries, RuntimeRunner: UseShellExecute
        /// false); one line 'java=&lt;command line&gt;' each, or 'service=missing' / 'service=stopped'. Win32_Service's
        /// ProcessId and Win32_Process's ParentProcessId and CommandLine (Microsoft Learn, Win32 classes of CIMWin32).
        /// </summary>
        public static string RuntimeJavaCommandLines(string appName)
        {
            var script = new System.Text.StringBuilder();
            script.AppendLine("$ErrorActionPreference = 'Stop'");
            script.AppendLine($"$service = Get-CimInstance -ClassName Win32_Service -Filter (\"Name = '{{0}}'\" -f {Quote(appName)})");
            script.AppendLine("if ($null -eq $service) { Write-Output 'service=missing'; return }");
            script.AppendLine("if ($service.ProcessId -eq 0) { Write-Output 'service=stopped'; return }");
            script.AppendLine("Get-CimInstance -ClassName Win32_Process -Filter (\"ParentProcessId = {0}\" -f $service.ProcessId) |");
            script.AppendLine("    Where-Object { $_.Name -like 'java*.exe' } | ForEach-Object { Write-Output ('java=' + $_.CommandLine) }");
            return script.ToString();
        }
    }
}
