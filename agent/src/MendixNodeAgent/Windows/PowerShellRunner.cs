using System;
using System.Diagnostics;
using System.IO;
using System.Text;

namespace MendixNodeAgent.Windows
{
    internal sealed class PowerShellResult
    {
        public PowerShellResult(int exitCode, string output, string errors)
        {
            ExitCode = exitCode;
            Output = output;
            Errors = errors;
        }

        public int ExitCode { get; }

        public string Output { get; }

        public string Errors { get; }
    }

    internal interface IPowerShellRunner
    {
        /// <param name="timeout">how long the script may run; null: <see cref="WindowsPowerShellRunner.DefaultTimeout"/>.</param>
        /// <exception cref="PowerShellTimedOutException">the script was ended at its time limit.</exception>
        PowerShellResult Run(string script, TimeSpan? timeout = null);
    }

    /// <summary>A script ended at its time limit: whatever it was doing was cut off midway.</summary>
    internal sealed class PowerShellTimedOutException : AgentFailureException
    {
        public PowerShellTimedOutException(TimeSpan timeout)
            : base($"Windows PowerShell did not finish within {Timing.Seconds.Of(timeout)} s and was ended")
        {
            Timeout = timeout;
        }

        public TimeSpan Timeout { get; }
    }

    /// <summary>
    /// Runs a script in Windows PowerShell 5.1 (powershell.exe, never pwsh: the Service Console's
    /// cmdlets need it, mendix/docs automate-mendix-deployment-on-microsoft-windows.md) as a child process.
    /// </summary>
    internal sealed class WindowsPowerShellRunner : IPowerShellRunner
    {
        public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(30);

        public PowerShellResult Run(string script, TimeSpan? timeout = null)
        {
            var limit = timeout ?? DefaultTimeout;
            var encoded = Convert.ToBase64String(Encoding.Unicode.GetBytes(script));
            var start = new ProcessStartInfo
            {
                FileName = PowerShellPath(),
                Arguments = "-NoProfile -NonInteractive -ExecutionPolicy Bypass -OutputFormat Text -EncodedCommand " + encoded,
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                CreateNoWindow = true,
            };

            using (var process = new Process { StartInfo = start })
            {
                var output = new StringBuilder();
                var errors = new StringBuilder();
                process.OutputDataReceived += (_, e) => { if (e.Data != null) { lock (output) { output.AppendLine(e.Data); } } };
                process.ErrorDataReceived += (_, e) => { if (e.Data != null) { lock (errors) { errors.AppendLine(e.Data); } } };
                try
                {
                    process.Start();
                }
                catch (Exception e) when (e is System.ComponentModel.Win32Exception || e is InvalidOperationException)
                {
                    throw new AgentFailureException($"cannot start Windows PowerShell at {start.FileName}: {e.Message}", e);
                }

                process.BeginOutputReadLine();
                process.BeginErrorReadLine();
                if (!process.WaitForExit((int)limit.TotalMilliseconds))
                {
                    try { process.Kill(); } catch (InvalidOperationException) { }
                    process.WaitForExit();
                    throw new PowerShellTimedOutException(limit);
                }

                process.WaitForExit();
                lock (output)
                {
                    lock (errors)
                    {
                        return new PowerShellResult(process.ExitCode, output.ToString(), errors.ToString());
                    }
                }
            }
        }

        private static string PowerShellPath()
        {
            var windows = Environment.GetFolderPath(Environment.SpecialFolder.Windows);
            // A 32-bit process would be redirected to the 32-bit PowerShell; Sysnative reaches the 64-bit one.
            var systemFolder = Environment.Is64BitOperatingSystem && !Environment.Is64BitProcess ? "Sysnative" : "System32";
            return Path.Combine(windows, systemFolder, "WindowsPowerShell", "v1.0", "powershell.exe");
        }
    }
}
