using System.Collections.Generic;
using System.Linq;
using System.Management.Automation.Language;
using MendixNodeAgent.Iis;
using MendixNodeAgent.Prerequisites;
using MendixNodeAgent.Tests.Support;
using MendixNodeAgent.Windows;
using Xunit;

namespace MendixNodeAgent.Tests
{
    /// <summary>
    /// The scripts for prerequisites, deployment, IIS and certificates, each parsed by the real PowerShell
    /// parser; and the production drivers reading what those scripts print.
    /// </summary>
    public class WindowsScriptTests
    {
        private const string Console = @"C:\Program Files\Mendix\Service Console";

        private static readonly string[] Changing =
        {
            "Install-WindowsFeature", "Start-Process", "Set-WebConfigurationProperty", "Add-WebConfigurationProperty", "New-Item", "Set-ItemProperty",
            "Remove-Item", "Remove-Website", "New-SelfSignedCertificate", "Start-Website", "Install-MxServer", "Update-MxApp", "Stop-MxApp", "Start-MxApp",
        };

        [Fact]
        public void The_prerequisite_inspection_checks_every_feature_module_console_and_java_and_changes_nothing()
        {
            var script = PowerShellScript.InspectPrerequisites(Console, IisFeatures.Required);
            var commands = PowerShellAst.Commands(script);

            Assert.Contains(commands, c => c.Name == "Get-WindowsFeature");
            Assert.DoesNotContain(commands, c => Changing.Contains(c.Name));
            var features = PowerShellAst.Parse(script).FindAll(n => n is ForEachStatementAst, true).Cast<ForEachStatementAst>().First().Condition.Extent.Text;
            foreach (var feature in IisFeatures.Required)
            {
                Assert.Contains("'" + feature + "'", features);
            }

            var literals = StringLiterals(script);
            Assert.Contains("rewrite.dll", literals);
            Assert.Contains("requestRouter.dll", literals);
            Assert.Contains(Console + @"\Mendix.Service.Commands.dll", literals);
        }

        [Fact]
        public void Windows_features_are_installed_by_name()
        {
            var install = Assert.Single(PowerShellAst.Commands(PowerShellScript.InstallWindowsFeatures(new[] { "Web-Server", "Web-Static-Content" })), c => c.Name == "Install-WindowsFeature");

            Assert.Equal("@('Web-Server', 'Web-Static-Content')", install.Parameters["Name"]);
        }

        [Fact]
        public void An_msi_runs_silently_through_msiexec_with_a_log_and_without_restart()
        {
            var script = PowerShellScript.InstallMsi(@"M:\Mendix\Apps\node-agent\downloads\java-21.msi", @"M:\Mendix\Apps\node-agent\downloads\java-21.msi.log");
            var start = Assert.Single(PowerShellAst.Commands(script), c => c.Name == "Start-Process");

            Assert.Equal("msiexec.exe", start.Parameters["FilePath"]);
            Assert.True(start.Parameters.ContainsKey("Wait"));
            Assert.True(start.Parameters.ContainsKey("PassThru"));
            var arguments = StringLiterals(script);
            Assert.Contains("/i", arguments);
            Assert.Contains("\"M:\\Mendix\\Apps\\node-agent\\downloads\\java-21.msi\"", arguments);
            Assert.Contains("/qn", arguments);
            Assert.Contains("/norestart", arguments);
            Assert.Contains("/l*v", arguments);
            Assert.Contains("3010", script);
        }

        [Fact]
        public void The_iis_server_settings_enable_the_arr_proxy_keep_the_host_header_and_allow_the_proto_variable()
        {
            var commands = PowerShellAst.Commands(PowerShellScript.ConfigureIisServer());

            var sets = commands.Where(c => c.Name == "Set-WebConfigurationProperty").ToList();
            Assert.Equal(new[] { "enabled", "preserveHostHeader" }, sets.Select(c => c.Parameters["Name"]));
            Assert.All(sets, c => Assert.Equal("MACHINE/WEBROOT/APPHOST", c.Parameters["PSPath"]));
            Assert.All(sets, c => Assert.Equal("system.webServer/proxy", c.Parameters["Filter"]));
            Assert.All(sets, c => Assert.Equal("$true", c.Parameters["Value"]));
            var add = Assert.Single(commands, c => c.Name == "Add-WebConfigurationProperty");
            Assert.Equal("system.webServer/rewrite/allowedServerVariables", add.Parameters["Filter"]);
            Assert.Contains("HTTP_X_FORWARDED_PROTO", add.Parameters["Value"]);
        }

        [Fact]
        public void The_console_location_is_set_through_the_consoles_management_assembly()
        {
            var script = PowerShellScript.ConfigureServiceConsoleLocation(Console, @"M:\Mendix");
            var commands = PowerShellAst.Commands(script);

            Assert.Equal(Console + @"\Mendix.Service.Management.dll", Assert.Single(commands, c => c.Name == "Add-Type").Parameters["Path"]);
            Assert.Contains(@"M:\Mendix", StringLiterals(script));
            Assert.Contains("FilesPath", script);
        }

        [Fact]
        public void Deployment_scripts_run_install_mxserver_and_update_mxapp_with_literal_paths()
        {
            var install = PowerShellAst.Commands(PowerShellScript.InstallServerDistribution(Console, @"M:\d\mendix-10.12.4.41735.tar.gz"));
            var update = PowerShellAst.Commands(PowerShellScript.UpdateApp(Console, "app", @"C:\Packages\app-1.mda"));
            var query = PowerShellAst.Commands(PowerShellScript.QueryServerDistribution(Console, "10.12.4.41735"));

            Assert.Equal(new[] { "Import-Module", "Install-MxServer" }, install.Select(c => c.Name));
            Assert.Equal(@"M:\d\mendix-10.12.4.41735.tar.gz", install[1].Parameters["LiteralPath"]);
            Assert.Equal(new[] { "Import-Module", "Update-MxApp" }, update.Select(c => c.Name));
            Assert.Equal(@"C:\Packages\app-1.mda", update[1].Parameters["LiteralPath"]);
            Assert.Equal("app", update[1].Parameters["Name"]);
            Assert.Equal("10.12.4.41735", Assert.Single(query, c => c.Name == "Join-Path").Parameters["ChildPath"]);
            Assert.DoesNotContain(query, c => Changing.Contains(c.Name));
        }

        [Fact]
        public void The_site_inspection_changes_nothing()
        {
            var commands = PowerShellAst.Commands(PowerShellScript.InspectSite("mendix-app"));

            Assert.Contains(commands, c => c.Name == "Get-ChildItem" && c.Parameters["Path"] == "IIS:\\Sites");
            Assert.DoesNotContain(commands, c => Changing.Contains(c.Name));
        }

        [Fact]
        public void Applying_a_site_sets_path_bindings_and_the_certificate_on_each_https_endpoint()
        {
            var bindings = new[] { new SiteBinding("http", "*:80:billing.example.com", 0), new SiteBinding("https", "*:443:billing.example.com", 1) };
            var script = PowerShellScript.ApplySite("mendix-billing", @"M:\Mendix\Apps\billing\Project\Web", bindings, "ABCDEF0123");
            var commands = PowerShellAst.Commands(script);

            var create = Assert.Single(commands, c => c.Name == "New-Item");
            Assert.Equal("IIS:\\Sites\\mendix-billing", create.Parameters["Path"]);
            Assert.Equal(@"M:\Mendix\Apps\billing\Project\Web", create.Parameters["PhysicalPath"]);
            var setBindings = Assert.Single(commands, c => c.Name == "Set-ItemProperty" && c.Parameters["Name"] == "bindings");
            Assert.Contains("bindingInformation = '*:80:billing.example.com'", setBindings.Parameters["Value"]);
            Assert.Contains("bindingInformation = '*:443:billing.example.com'; sslFlags = 1", setBindings.Parameters["Value"]);
            Assert.Contains(commands, c => c.Name == "Remove-Item" && c.Parameters["LiteralPath"] == "IIS:\\SslBindings\\!443!billing.example.com");
            var binding = Assert.Single(commands, c => c.Name == "Get-WebBinding");
            Assert.Equal("billing.example.com", binding.Parameters["HostHeader"]);
            var add = PowerShellAst.Parse(script).FindAll(n => n is InvokeMemberExpressionAst, true).Cast<InvokeMemberExpressionAst>().Single();
            Assert.Equal("AddSslCertificate", add.Member.Extent.Text);
            Assert.Equal(new[] { "ABCDEF0123", "My" }, add.Arguments.Cast<StringConstantExpressionAst>().Select(a => a.Value));
        }

        [Fact]
        public void A_site_for_any_host_name_binds_the_certificate_to_the_ip_endpoint()
        {
            var bindings = new[] { new SiteBinding("http", "*:80:", 0), new SiteBinding("https", "*:443:", 0) };
            var commands = PowerShellAst.Commands(PowerShellScript.ApplySite("mendix-app", @"M:\Mendix\Apps\app\Project\Web", bindings, "ABC"));

            Assert.Contains(commands, c => c.Name == "Remove-Item" && c.Parameters["LiteralPath"] == "IIS:\\SslBindings\\0.0.0.0!443");
        }

        [Fact]
        public void The_sample_site_removal_and_the_self_signed_certificate_use_the_documented_cmdlets()
        {
            var remove = PowerShellAst.Commands(PowerShellScript.RemoveSampleSite());
            var certificate = PowerShellAst.Commands(PowerShellScript.EnsureSelfSignedCertificate("Mendix node mxdev-1", new[] { "mxdev-1", "billing.example.com" }));

            Assert.Equal("Default Web Site", Assert.Single(remove, c => c.Name == "Remove-Website").Parameters["Name"]);
            var make = Assert.Single(certificate, c => c.Name == "New-SelfSignedCertificate");
            Assert.Equal("Cert:\\LocalMachine\\My", make.Parameters["CertStoreLocation"]);
            Assert.Equal("@('mxdev-1', 'billing.example.com')", make.Parameters["DnsName"]);
        }

        [Theory]
        [InlineData("it's")]
        [InlineData("a'; Remove-Item -Recurse C:\\ ; '")]
        [InlineData("$(Stop-Computer)")]
        public void Values_with_quotes_or_code_stay_literals_in_every_new_script(string hostile)
        {
            var scripts = new[]
            {
                PowerShellScript.UpdateApp(Console, hostile, hostile),
                PowerShellScript.InstallServerDistribution(Console, hostile),
                PowerShellScript.QueryServerDistribution(Console, hostile),
                PowerShellScript.InstallMsi(hostile, hostile),
                PowerShellScript.ConfigureServiceConsoleLocation(Console, hostile),
                PowerShellScript.InspectSite(hostile),
                PowerShellScript.ApplySite(hostile, hostile, new[] { new SiteBinding("http", "*:80:" + hostile, 0), new SiteBinding("https", "*:443:" + hostile, 1) }, hostile),
                PowerShellScript.EnsureSelfSignedCertificate(hostile, new[] { hostile }),
            };

            foreach (var script in scripts)
            {
                var commands = PowerShellAst.Commands(script);
                Assert.DoesNotContain(commands, c => c.Name == "Stop-Computer");
                Assert.DoesNotContain(commands, c => c.Name == "Remove-Item" && c.Parameters.ContainsKey("Recurse"));
            }

            Assert.Equal(hostile, PowerShellAst.Commands(PowerShellScript.UpdateApp(Console, hostile, "x.mda")).Last().Parameters["Name"]);
        }

        [Fact]
        public void The_prerequisite_inspection_answer_is_read()
        {
            var output = "feature:Web-Server=installed\nfeature:Web-Default-Doc=missing\nurlRewrite=installed\napplicationRequestRouting=missing\nserviceConsole=installed\n"
                + "java:21=C:\\Program Files\\Eclipse Adoptium\\jdk-21.0.4.7-hotspot\njava:8=C:\\Program Files\\Java\\jre1.8.0_401\n";

            var inspection = PrerequisiteInspection.Parse(output, new[] { "Web-Server", "Web-Default-Doc" });

            Assert.Equal(new[] { "Web-Default-Doc" }, inspection.MissingFeatures);
            Assert.True(inspection.UrlRewrite);
            Assert.False(inspection.ApplicationRequestRouting);
            Assert.True(inspection.ServiceConsole);
            Assert.Equal(new[] { 8, 21 }, inspection.Java.Keys);
            Assert.Throws<AgentFailureException>(() => PrerequisiteInspection.Parse("garbage", new[] { "Web-Server" }));
        }

        [Fact]
        public void The_site_inspection_answer_is_read()
        {
            var state = SiteState.Parse(
                "exists=True\nphysicalPath=M:\\Mendix\\Apps\\app\\Project\\Web\nstate=Started\nbinding=http|*:80:|0|\nbinding=https|*:443:app.example.com|1|ABCDEF\n",
                "mendix-app");

            Assert.True(state.Exists);
            Assert.Equal("M:\\Mendix\\Apps\\app\\Project\\Web", state.PhysicalPath);
            Assert.Equal(new[] { "http *:80:", "https *:443:app.example.com (SNI)" }, state.Bindings.Select(b => b.ToString()));
            Assert.Equal("ABCDEF", state.Thumbprints["*:443:app.example.com"]);
            Assert.False(SiteState.Parse("exists=False\n", "mendix-app").Exists);
            Assert.Throws<AgentFailureException>(() => SiteState.Parse("nonsense", "mendix-app"));
        }

        [Fact]
        public void The_production_drivers_read_their_scripts_answers()
        {
            var prerequisites = new WindowsPrerequisites(new AnsweringRunner("changed=True\nappsPath=M:\\Mendix\\Apps\n"));
            var location = prerequisites.ConfigureServiceConsoleLocation(@"M:\Mendix");
            Assert.True(location.Changed);
            Assert.Equal(@"M:\Mendix\Apps", location.AppsPath);
            Assert.False(new WindowsPrerequisites(new AnsweringRunner("changed=False\n")).ConfigureIisServer());
            Assert.True(new WindowsPrerequisites(new AnsweringRunner("restartNeeded=Yes\n")).InstallWindowsFeatures(new[] { "Web-Server" }));
            Assert.False(new WindowsPrerequisites(new AnsweringRunner("restartNeeded=No\n")).InstallWindowsFeatures(new[] { "Web-Server" }));

            var certificate = new WindowsCertificates(new AnsweringRunner("created=False\nthumbprint=0123ABCD\n")).EnsureSelfSigned("Mendix node mxdev-1", new[] { "mxdev-1" });
            Assert.Equal("0123ABCD", certificate.Thumbprint);
            Assert.False(certificate.Changed);

            Assert.True(new WindowsIisSites(new AnsweringRunner("removed=True\n")).RemoveSampleSite());
            Assert.True(new MendixServiceConsole(new AnsweringRunner("installed=true\n")).HasServerDistribution("10.12.4.41735"));

            var failing = new WindowsPrerequisites(new AnsweringRunner(string.Empty, exitCode: 1, errors: "msiexec exited with 1603"));
            var error = Assert.Throws<AgentFailureException>(() => failing.InstallMsi("x.msi", "x.log", "IIS URL Rewrite"));
            Assert.Contains("cannot install IIS URL Rewrite: msiexec exited with 1603", error.Message);
        }

        private static List<string> StringLiterals(string script) =>
            PowerShellAst.Parse(script).FindAll(n => n is StringConstantExpressionAst, true).Cast<StringConstantExpressionAst>().Select(s => s.Value).ToList();

        private sealed class AnsweringRunner : IPowerShellRunner
        {
            private readonly string output;
            private readonly int exitCode;
            private readonly string errors;

            public AnsweringRunner(string output, int exitCode = 0, string errors = "")
            {
                this.output = output;
                this.exitCode = exitCode;
                this.errors = errors;
            }

            public PowerShellResult Run(string script, System.TimeSpan? timeout = null)
            {
                PowerShellAst.Parse(script);
                return new PowerShellResult(exitCode, output, errors);
            }
        }
    }
}
