using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MendixNodeAgent.Iis;

namespace MendixNodeAgent.Windows
{
    /// <summary>The scripts for the IIS sites and their certificate (part of the one renderer).</summary>
    internal static partial class PowerShellScript
    {
        /// <summary>The site IIS makes on installation; it holds *:80, which the app without a host name needs.</summary>
        public const string SampleSiteName = "Default Web Site";

        /// <summary>
        /// Changes nothing; prints 'exists=false', or 'exists=true', 'physicalPath=...', 'state=...' and one
        /// 'binding=&lt;protocol&gt;|&lt;bindingInformation&gt;|&lt;sslFlags&gt;|&lt;certificate thumbprint&gt;' per binding
        /// (IIS PowerShell provider, IIS:\Sites; Microsoft Learn, "Web Server (IIS) Administration Cmdlets in Windows PowerShell").
        /// </summary>
        public static string InspectSite(string siteName)
        {
            var script = ScriptImporting("WebAdministration");
            script.AppendLine(FindSite("$site", siteName));
            script.AppendLine("if ($null -eq $site) { Write-Output 'exists=false'; exit 0 }");
            script.AppendLine("Write-Output 'exists=true'");
            script.AppendLine("Write-Output ('physicalPath=' + $site.physicalPath)");
            script.AppendLine("Write-Output ('state=' + $site.State)");
            script.AppendLine("foreach ($binding in $site.Bindings.Collection) {");
            script.AppendLine("    $thumbprint = ''");
            script.AppendLine("    if ($binding.protocol -eq 'https') { $thumbprint = [string]$binding.certificateHash }");
            script.AppendLine("    Write-Output ('binding=' + $binding.protocol + '|' + $binding.bindingInformation + '|' + $binding.sslFlags + '|' + $thumbprint)");
            script.AppendLine("}");
            return script.ToString();
        }

        /// <summary>
        /// Creates the site or brings it back to what it must be: physical path, exactly these bindings, the
        /// certificate on every https binding (the http.sys entry of the endpoint replaced, then
        /// AddSslCertificate(thumbprint, 'My')), and started. A binding with a host name uses Server Name
        /// Indication (sslFlags 1; mendix/docs, deployment/on-premises-design/ms-windows/_index.md, "Add HTTPS
        /// binding", "Require Server Name Indication"), whose http.sys entry is IIS:\SslBindings\!443!&lt;host&gt;;
        /// without one it is the IP endpoint 0.0.0.0!443 (blog.kloud.com.au, 2013-04-18, "An overview of Server
        /// Name Indication (SNI) and creating an IIS SNI web SSL binding using PowerShell in Windows Server 2012").
        /// </summary>
        public static string ApplySite(string siteName, string physicalPath, IReadOnlyList<SiteBinding> bindings, string? thumbprint)
        {
            var sitePath = Quote("IIS:\\Sites\\" + siteName);
            var script = ScriptImporting("WebAdministration");
            script.AppendLine(FindSite("$site", siteName));
            script.AppendLine("if ($null -eq $site) {");
            script.AppendLine($"    $null = New-Item -Path {sitePath} -Bindings {BindingTable(bindings[0])} -PhysicalPath {Quote(physicalPath)}");
            script.AppendLine("} else {");
            script.AppendLine($"    Set-ItemProperty -Path {sitePath} -Name 'physicalPath' -Value {Quote(physicalPath)}");
            script.AppendLine("}");
            script.AppendLine($"Set-ItemProperty -Path {sitePath} -Name 'bindings' -Value @({string.Join(", ", bindings.Select(BindingTable))})");
            foreach (var binding in bindings.Where(b => b.IsHttps))
            {
                var sslEndpoint = binding.SslFlags == 1
                    ? "IIS:\\SslBindings\\!" + binding.Port.ToString(CultureInfo.InvariantCulture) + "!" + binding.HostName
                    : "IIS:\\SslBindings\\0.0.0.0!" + binding.Port.ToString(CultureInfo.InvariantCulture);
                script.AppendLine($"if (Test-Path -LiteralPath {Quote(sslEndpoint)}) {{ Remove-Item -LiteralPath {Quote(sslEndpoint)} }}");
                script.AppendLine($"$binding = Get-WebBinding -Name {Quote(siteName)} -Protocol 'https' -Port {binding.Port.ToString(CultureInfo.InvariantCulture)} -HostHeader {Quote(binding.HostName)}");
                script.AppendLine($"$binding.AddSslCertificate({Quote(thumbprint ?? string.Empty)}, 'My')");
            }

            script.AppendLine($"if ((Get-WebsiteState -Name {Quote(siteName)}).Value -ne 'Started') {{ Start-Website -Name {Quote(siteName)} }}");
            return script.ToString();
        }

        /// <summary>Removes IIS's sample site when it is there; prints 'removed=True|False'.</summary>
        public static string RemoveSampleSite()
        {
            var script = ScriptImporting("WebAdministration");
            script.AppendLine(FindSite("$sample", SampleSiteName));
            script.AppendLine("if ($null -eq $sample) { Write-Output 'removed=False'; exit 0 }");
            script.AppendLine($"Remove-Website -Name {Quote(SampleSiteName)}");
            script.AppendLine("Write-Output 'removed=True'");
            return script.ToString();
        }

        /// <summary>
        /// The node's self-signed certificate in Cert:\LocalMachine\My, made once (New-SelfSignedCertificate) and
        /// reused while it is valid for 30 more days; prints 'created=True|False' and 'thumbprint=...'.
        /// </summary>
        public static string EnsureSelfSignedCertificate(string friendlyName, IReadOnlyList<string> dnsNames)
        {
            var script = StopOnError();
            script.AppendLine($"$friendlyName = {Quote(friendlyName)}");
            script.AppendLine("$existing = @(Get-ChildItem -Path 'Cert:\\LocalMachine\\My' | Where-Object { $_.FriendlyName -eq $friendlyName -and $_.HasPrivateKey -and $_.NotAfter -gt (Get-Date).AddDays(30) } | Sort-Object -Property NotAfter -Descending)");
            script.AppendLine("if ($existing.Count -gt 0) { Write-Output 'created=False'; Write-Output ('thumbprint=' + $existing[0].Thumbprint); exit 0 }");
            script.AppendLine($"$certificate = New-SelfSignedCertificate -DnsName @({string.Join(", ", dnsNames.Select(Quote))}) -CertStoreLocation 'Cert:\\LocalMachine\\My' -FriendlyName $friendlyName -NotAfter (Get-Date).AddYears(5)");
            script.AppendLine("Write-Output 'created=True'");
            script.AppendLine("Write-Output ('thumbprint=' + $certificate.Thumbprint)");
            return script.ToString();
        }

        /// <summary>Sets <paramref name="variable"/> to the IIS site of that name, or $null.</summary>
        private static string FindSite(string variable, string siteName) =>
            $"{variable} = Get-ChildItem -Path 'IIS:\\Sites' | Where-Object {{ $_.Name -eq {Quote(siteName)} }}";

        private static string BindingTable(SiteBinding binding) =>
            $"@{{ protocol = {Quote(binding.Protocol)}; bindingInformation = {Quote(binding.BindingInformation)}; sslFlags = {binding.SslFlags.ToString(CultureInfo.InvariantCulture)} }}";
    }
}
