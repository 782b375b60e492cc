using System.Collections.Generic;

namespace MendixNodeAgent.Windows
{
    internal enum MsiOutcome
    {
        Installed,
        InstalledRestartWanted,
        AnotherInstallRunning,
    }

    /// <summary>
    /// msiexec's exit codes the agent acts on (Microsoft Learn, "MsiExec.exe and InstMsi.exe error messages",
    /// learn.microsoft.com/windows/win32/msi/error-codes): 0 success; 3010 ERROR_SUCCESS_REBOOT_REQUIRED and 1641
    /// ERROR_SUCCESS_REBOOT_INITIATED, success with a restart wanted; 1618 ERROR_INSTALL_ALREADY_RUNNING, another
    /// installation in progress, common right after a VM is provisioned: retried with a growing wait.
    /// </summary>
    internal static class MsiExitCode
    {
        public const int Success = 0;
        public const int AnotherInstallRunning = 1618;
        public const int RebootInitiated = 1641;
        public const int RebootRequired = 3010;

        /// <summary>The codes the install script hands back instead of failing.</summary>
        public static IReadOnlyList<int> Answered { get; } = new[] { Success, RebootRequired, RebootInitiated, AnotherInstallRunning };

        /// <summary>The waits before each retry of a 1618: 5 tries within 7.5 minutes.</summary>
        public static IReadOnlyList<int> RetryWaitSeconds { get; } = new[] { 30, 60, 120, 240 };

        public static MsiOutcome? Of(int code)
        {
            switch (code)
            {
                case Success: return MsiOutcome.Installed;
                case RebootRequired:
                case RebootInitiated: return MsiOutcome.InstalledRestartWanted;
                case AnotherInstallRunning: return MsiOutcome.AnotherInstallRunning;
                default: return null;
            }
        }
    }
}
