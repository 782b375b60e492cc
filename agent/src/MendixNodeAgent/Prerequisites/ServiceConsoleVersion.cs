using System;
using System.Collections.Generic;
using System.Linq;

namespace MendixNodeAgent.Prerequisites
{
    /// <summary>
    /// The agent needs Service Console 4.7.4 or newer: New-MxApp exists as a cmdlet only after 4.7.1 (its class there carries
    /// no cmdlet attribute: Service Console 4.7.1 binaries), and the Mendix automation guide names 4.7.4 as the version its
    /// cmdlets need (mendix/docs, deployment/on-premises-design/ms-windows/automate-mendix-deployment-on-microsoft-windows.md).
    /// </summary>
    internal static class ServiceConsoleVersion
    {
        public static readonly Version Oldest = new Version(4, 7, 4);

        /// <param name="registered">DisplayVersion of each installed "Mendix Service Console*" product.</param>
        /// <returns>the newest installed version, when it is new enough.</returns>
        public static Version Check(IReadOnlyList<string> registered)
        {
            var versions = registered.Select(text => Version.TryParse(text.Trim(), out var v) ? v : null).Where(v => v != null).Select(v => v!).ToList();
            if (versions.Count == 0)
            {
                throw new AgentFailureException(
                    "prerequisites: the Service Console's cmdlets are installed, but Windows Installer lists no product named 'Mendix Service Console*' with a version "
                    + $"(found: {(registered.Count == 0 ? "none" : string.Join(", ", registered))}); check how the console was installed: the agent needs {Oldest} or newer");
            }

            var newest = versions.Max()!;
            if (newest < Oldest)
            {
                throw new AgentFailureException(
                    $"prerequisites: Service Console {newest} is installed, but the agent needs {Oldest} or newer (New-MxApp -Credential and the automation cmdlets); "
                    + "install a newer console (prerequisites.installers.serviceConsole, or the image)");
            }

            return newest;
        }
    }
}
