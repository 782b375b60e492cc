using System.Collections.Generic;

namespace MendixNodeAgent.Prerequisites
{
    /// <summary>
    /// The Windows features (Install-WindowsFeature names) that make IIS what Mendix needs.
    /// The Mendix guide asks for "IIS 8 or higher with the following service roles enabled: IIS Management
    /// console, Default Document, Static content" (mendix/docs,
    /// content/en/docs/deployment/on-premises-design/ms-windows/_index.md, "Prerequisites"); the same names
    /// in a scripted Mendix base image: bgelens/Mendix-AzurePack, Documentation/BaseImage_MultiInstance.md
    /// ("Install-WindowsFeature -Name Web-Server, ..., Web-Mgmt-Tools").
    /// Web-Scripting-Tools adds the WebAdministration PowerShell module the agent's IIS scripts use.
    /// </summary>
    internal static class IisFeatures
    {
        public static readonly IReadOnlyList<string> Required = new[]
        {
            "Web-Server",
            "Web-Default-Doc",
            "Web-Static-Content",
            "Web-Mgmt-Console",
            "Web-Scripting-Tools",
        };
    }
}
