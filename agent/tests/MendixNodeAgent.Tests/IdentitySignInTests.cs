using System.IO;
using System.Linq;
using System.Management.Automation;
using MendixNodeAgent.Settings;
using MendixNodeAgent.Windows;
using MendixNodeAgent.Tests.Emulators;
using MendixNodeAgent.Tests.Support;
using Xunit;

namespace MendixNodeAgent.Tests
{
    /// <summary>
    /// An app on Mendix 10.10 or later signs in with its own managed identity (app.identityClientId): its Settings.yaml
    /// holds no database user, no password and no account key, and names the identity to the runtime's JVM; the Service
    /// Console's view (its settings emulator) is what the runtime gets. An older app keeps the user, password and key.
    /// </summary>
    public class IdentitySignInTests
    {
        private static ConsoleSettings ConsoleView(string path) =>
            ServiceConsoleSettingsReader.Read(path) ?? throw new Xunit.Sdk.XunitException("the Service Console would ignore " + path);

        private const string JdbcUrl = "jdbc:sqlserver://mxdev-sql.database.windows.net:1433;databaseName=app;encrypt=true;trustServerCertificate=false;"
            + "hostNameInCertificate=*.database.windows.net;loginTimeout=30;authentication=ActiveDirectoryManagedIdentity;msiClientId=" + Fixtures.AppClientId;

        [Fact]
        public void An_app_with_its_identity_hands_the_runtime_no_user_no_password_and_no_key_and_names_the_identity_to_its_jvm()
        {
            using (var root = new TempAppsRoot())
            {
                var run = AgentRun.Execute(AgentRun.NoSystem(root.Path, Fixtures.PathOf(Fixtures.IdentityFollower)));

                Assert.Equal(0, run.ExitCode);
                var console = ConsoleView(root.SettingsFile());
                Assert.Equal(new[] { "DatabaseType", "DatabaseHost", "DatabaseName", "DatabaseUseIntegratedSecurity" }, console.DatabaseSettingsSent().Keys);
                Assert.Equal("false", console.DatabaseSettingsSent()["DatabaseUseIntegratedSecurity"]);
                Assert.Equal(JdbcUrl, console.Custom["DatabaseJdbcUrl"]);
                Assert.Equal("true", console.Custom["com.mendix.storage.azure.UseDefaultAzureCredential"]);
                Assert.Equal("https://mxdevfiles.blob.core.windows.net/", console.Custom["com.mendix.storage.azure.BlobEndpoint"]);
                Assert.Equal("files-app", console.Custom["com.mendix.storage.azure.Container"]);
                Assert.DoesNotContain(console.CustomRuntimeSettings, s => s.Key.EndsWith("AccountKey") || s.Key.EndsWith("AccountName"));
                Assert.Equal("-DAZURE_CLIENT_ID=" + Fixtures.AppClientId, console.OtherVMArguments);
            }
        }

        [Fact]
        public void Moving_an_app_to_its_identity_takes_the_user_and_password_out_of_Settings_yaml_and_moving_back_takes_the_jvm_argument_out()
        {
            using (var root = new TempAppsRoot())
            {
                Assert.Equal(0, AgentRun.Execute(AgentRun.NoSystem(root.Path, Fixtures.PathOf(Fixtures.Follower))).ExitCode);
                Assert.Equal(Fixtures.SqlPassword, ConsoleView(root.SettingsFile()).DatabaseSettingsSent()["DatabasePassword"]);

                var toIdentity = AgentRun.Execute(AgentRun.NoSystem(root.Path, Fixtures.PathOf(Fixtures.IdentityFollower)));

                Assert.Equal(0, toIdentity.ExitCode);
                Assert.Contains("Settings.yaml: remove Database.DatabaseUserName (was 'mendixadmin')", toIdentity.Output);
                Assert.Contains("Settings.yaml: remove Database.DatabasePassword (was [secret])", toIdentity.Output);
                Assert.Contains("Settings.yaml: add Runtime.com.mendix.storage.azure.UseDefaultAzureCredential = 'true'", toIdentity.Output);
                Assert.Contains(";encrypt=true;", toIdentity.Output);
                Assert.DoesNotContain(Fixtures.SqlPassword, File.ReadAllText(root.SettingsFile()));
                Assert.DoesNotContain(Fixtures.StorageKey, File.ReadAllText(root.SettingsFile()));
                Assert.DoesNotContain("DatabaseUserName", ConsoleView(root.SettingsFile()).DatabaseSettingsSent().Keys);

                var back = AgentRun.Execute(AgentRun.NoSystem(root.Path, Fixtures.PathOf(Fixtures.Follower)));

                Assert.Equal(0, back.ExitCode);
                var console = ConsoleView(root.SettingsFile());
                Assert.Null(console.OtherVMArguments);
                Assert.Equal("mendixadmin", console.DatabaseSettingsSent()["DatabaseUserName"]);
                Assert.DoesNotContain(console.CustomRuntimeSettings, s => s.Key == "DatabaseJdbcUrl" || s.Key.EndsWith("UseDefaultAzureCredential"));
            }
        }

        [Fact]
        public void Once_the_identitys_settings_have_completed_no_backup_beside_them_holds_the_password_or_the_key()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var (node, identityBlob) = IdentityApp.FirstDeployment(blobs, root);
                var passwordBlob = Mda.BlobAndMda(blobs.Path, Fixtures.Follower);
                Assert.Equal(0, AgentRun.Execute(AgentRun.OnSystem(root.Path, passwordBlob), node.System("mxdev-1")).ExitCode);

                var toIdentity = AgentRun.Execute(AgentRun.OnSystem(root.Path, identityBlob), node.System("mxdev-1"));
                File.WriteAllText(identityBlob, File.ReadAllText(identityBlob).Replace("  SessionTimeout: \"600000\"\n", "  SessionTimeout: \"600000\"\n  MyModule.Greeting: hello\n"));
                var later = AgentRun.Execute(AgentRun.OnSystem(root.Path, identityBlob), node.System("mxdev-1"));

                Assert.Equal(0, toIdentity.ExitCode);
                Assert.Equal(0, later.ExitCode);
                var files = Directory.GetFiles(Path.GetDirectoryName(root.SettingsFile())!, "Settings.yaml*");
                Assert.All(files, file => Assert.DoesNotContain(Fixtures.SqlPassword, File.ReadAllText(file)));
                Assert.All(files, file => Assert.DoesNotContain(Fixtures.StorageKey, File.ReadAllText(file)));
                Assert.Matches(@"app 'app': deleted \S+Settings\.yaml\.bak-\S+: it held a secret Settings\.yaml no longer holds", toIdentity.Output);
                Assert.Single(files, file => file.Contains(SettingsFileWriter.BackupInfix));
            }
        }

        [Fact]
        public void The_operators_own_jvm_arguments_stay_beside_the_identitys()
        {
            using (var root = new TempAppsRoot())
            {
                Directory.CreateDirectory(root.AppFolder());
                File.WriteAllText(root.SettingsFile(), "Version: 1.0.0\nRuntime:\n  OtherVMArguments: -Xss2m -DAZURE_CLIENT_ID=00000000-0000-0000-0000-000000000000 -Dfile.encoding=UTF-8\n");

                Assert.Equal(0, AgentRun.Execute(AgentRun.NoSystem(root.Path, Fixtures.PathOf(Fixtures.IdentityFollower))).ExitCode);

                Assert.Equal("-Xss2m -Dfile.encoding=UTF-8 -DAZURE_CLIENT_ID=" + Fixtures.AppClientId, ConsoleView(root.SettingsFile()).OtherVMArguments);
                var again = AgentRun.Execute(AgentRun.NoSystem(root.Path, Fixtures.PathOf(Fixtures.IdentityFollower)));
                Assert.Contains("already up to date, not rewritten", again.Output);
            }
        }

        [Theory]
        [InlineData(null, "-DAZURE_CLIENT_ID=c", "c")]
        [InlineData("-Xmx2g", "-Xmx2g -DAZURE_CLIENT_ID=c", "c")]
        [InlineData("-DAZURE_CLIENT_ID=old  -Xmx2g", "-Xmx2g -DAZURE_CLIENT_ID=c", "c")]
        [InlineData("-Xmx2g -DAZURE_CLIENT_ID=old", "-Xmx2g", null)]
        [InlineData("-DAZURE_CLIENT_ID=old", null, null)]
        [InlineData(null, null, null)]
        public void The_client_id_argument_is_the_agents_alone(string? arguments, string? expected, string? clientId) =>
            Assert.Equal(expected, JvmArguments.WithClientId(arguments, clientId));

        [Theory]
        [InlineData("ActiveDirectoryMSI")]
        [InlineData("ActiveDirectoryDefault")]
        public void The_other_managed_identity_sign_ins_of_the_jdbc_driver_are_taken_with_the_identitys_msi_client_id(string authentication)
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var blob = Fixtures.Variant(blobs.Path, Fixtures.IdentityFollower, "authentication=ActiveDirectoryManagedIdentity", "authentication=" + authentication);

                var run = AgentRun.Execute(AgentRun.NoSystem(root.Path, blob));

                Assert.Equal(0, run.ExitCode);
                Assert.Contains("authentication=" + authentication + ";msiClientId=" + Fixtures.AppClientId, ConsoleView(root.SettingsFile()).CustomRuntimeSettings.Single(s => s.Key == "DatabaseJdbcUrl").Value);
            }
        }

        [Theory]
        [InlineData("  DatabaseName: app\n", "  DatabaseName: app\n  DatabasePassword: fixture-sql-password\n", "runtimeSettings.DatabasePassword", "is set, but app.identityClientId is too")]
        [InlineData("msiClientId=" + Fixtures.AppClientId, "msiClientId=6f1c2a9e-0000-4000-8000-000000000001", "customSettings.DatabaseJdbcUrl", "names msiClientId '6f1c2a9e-0000-4000-8000-000000000001'")]
        [InlineData("authentication=ActiveDirectoryManagedIdentity", "authentication=SqlPassword", "customSettings.DatabaseJdbcUrl", "does not set authentication=ActiveDirectoryManagedIdentity (or ActiveDirectoryMSI, or ActiveDirectoryDefault)")]
        [InlineData("authentication=ActiveDirectoryManagedIdentity;msiClientId=" + Fixtures.AppClientId, "authentication=ActiveDirectoryDefault", "customSettings.DatabaseJdbcUrl", "names msiClientId ''")]
        [InlineData("loginTimeout=30", "loginTimeout=30;user=mendixsql", "customSettings.DatabaseJdbcUrl", "sets the property 'user'")]
        [InlineData("  com.mendix.storage.azure.UseDefaultAzureCredential: \"true\"\n", "  com.mendix.storage.azure.AccountKey: fixture-storage-key\n  com.mendix.storage.azure.UseDefaultAzureCredential: \"true\"\n", "customSettings.com.mendix.storage.azure.AccountKey", "with no key or shared access signature")]
        [InlineData("  com.mendix.storage.azure.UseDefaultAzureCredential: \"true\"\n", "", "customSettings.com.mendix.storage.azure.UseDefaultAzureCredential", "must be 'true'")]
        [InlineData("  identityClientId: " + Fixtures.AppClientId, "  identityClientId: app-identity", "app.identityClientId", "allowed: the client id (a GUID)")]
        public void A_blob_whose_app_would_not_sign_in_as_its_identity_alone_is_refused(string from, string to, string key, string rule)
        {
            using (var refused = new RefusedBlobRun())
            {
                var blob = refused.Variant(Fixtures.IdentityFollower, from, to);

                var run = refused.Apply(blob);

                Assert.Contains($"{blob}: key '{key}' ", run.Output);
                Assert.Contains(rule, run.Output);
            }
        }

        [Fact]
        public void A_blob_without_a_jdbc_url_for_the_identity_is_refused()
        {
            using (var refused = new RefusedBlobRun())
            {
                var text = Fixtures.Text(Fixtures.IdentityFollower);
                var line = text.Split('\n').Single(l => l.StartsWith("  DatabaseJdbcUrl: "));
                var blob = refused.Write(text.Replace(line + "\n", string.Empty));

                var run = refused.Apply(blob);

                Assert.Contains($"{blob}: key 'customSettings.DatabaseJdbcUrl' is missing; app.identityClientId is {Fixtures.AppClientId}", run.Output);
            }
        }

        [Fact]
        public void On_a_node_the_database_is_waited_for_as_the_apps_identity_and_its_started_jvm_is_found_carrying_the_identity()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var (node, blob) = IdentityApp.FirstDeployment(blobs, root);
                node.Database.Refusals = 1;
                node.Database.Reason = "SQL error 18456: Login failed for user '<token-identified principal>'.";

                var run = AgentRun.Execute(AgentRun.OnSystem(root.Path, blob), node.System("mxdev-1"));

                Assert.Equal(0, run.ExitCode);
                Assert.All(node.Database.SignIns, target => Assert.Equal((Fixtures.AppClientId, (string?)null), (target.IdentityClientId, target.Password)));
                Assert.Contains($"app 'app': database 'app' on mxdev-sql.database.windows.net:1433 as managed identity {Fixtures.AppClientId} does not accept a sign-in yet (SQL error 18456", run.Output);
                Assert.Contains($"app 'app': its Java process carries -DAZURE_CLIENT_ID={Fixtures.AppClientId}", run.Output);
            }
        }

        [Fact]
        public void A_runtime_whose_jvm_did_not_get_the_identity_fails_the_run_naming_what_to_check()
        {
            using (var root = new TempAppsRoot())
            using (var blobs = new TempAppsRoot())
            {
                var (node, blob) = IdentityApp.FirstDeployment(blobs, root);
                node.Java.Dropped = true;

                var run = AgentRun.Execute(AgentRun.OnSystem(root.Path, blob), node.System("mxdev-1"));

                Assert.Equal(1, run.ExitCode);
                Assert.Contains($"app 'app': its Java process was started without -DAZURE_CLIENT_ID={Fixtures.AppClientId}, so its runtime cannot tell which of the VM's identities signs in to Blob Storage; "
                    + "check that the installed Service Console passes Runtime.OtherVMArguments of Settings.yaml to java", run.Output);
            }
        }

        /// <summary>
        /// Get-CimInstance as the JVM query calls it (Microsoft Learn, cimcmdlets/get-ciminstance: -ClassName, -Filter, a WQL
        /// condition): a service by its name, the processes of a parent process id; the instances carry the properties
        /// of Win32_Service (Name, ProcessId) and Win32_Process (Name, ProcessId, ParentProcessId, CommandLine).
        /// </summary>
        private const string CimStandIn = @"
function Get-CimInstance {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true, Position = 0)][string]$ClassName, [string]$Filter)
    if ($ClassName -eq 'Win32_Service' -and $Filter -match ""^Name = '([^']+)'$"") { return $services | Where-Object { $_.Name -eq $Matches[1] } }
    if ($ClassName -eq 'Win32_Process' -and $Filter -match '^ParentProcessId = (\d+)$') { return $processes | Where-Object { $_.ParentProcessId -eq [uint32]$Matches[1] } }
    throw ""the stand-in does not answer $ClassName -Filter $Filter""
}
$services = @([pscustomobject]@{ Name = 'app'; ProcessId = [uint32]4120 }, [pscustomobject]@{ Name = 'crm'; ProcessId = [uint32]0 })
$processes = @(
    [pscustomobject]@{ Name = 'java.exe'; ProcessId = [uint32]4200; ParentProcessId = [uint32]4120; CommandLine = '""C:\Java\bin\java.exe"" -DAZURE_CLIENT_ID=x -jar runtimelauncher.jar' },
    [pscustomobject]@{ Name = 'conhost.exe'; ProcessId = [uint32]4201; ParentProcessId = [uint32]4120; CommandLine = 'conhost.exe' })
";

        [Theory]
        [InlineData("app", "java=\"C:\\Java\\bin\\java.exe\" -DAZURE_CLIENT_ID=x -jar runtimelauncher.jar")]
        [InlineData("crm", "service=stopped")]
        [InlineData("hr", "service=missing")]
        public void The_jvm_query_finds_the_java_process_its_apps_service_started(string app, string expected)
        {
            using (var shell = PowerShell.Create())
            {
                shell.AddScript(CimStandIn + PowerShellScript.RuntimeJavaCommandLines(app));
                var output = string.Join("\n", shell.Invoke().Select(line => line.ToString()));

                Assert.False(shell.HadErrors, string.Join("; ", shell.Streams.Error));
                Assert.Equal(expected, output);
            }
        }

        [Fact]
        public void The_database_is_probed_as_the_apps_identity_as_its_runtime_will_sign_in()
        {
            var target = MendixNodeAgent.Database.DatabaseTarget.Of(MendixNodeAgent.Blob.NodeSettingsBlobReader.Read(Fixtures.PathOf(Fixtures.IdentityFollower)));

            Assert.Equal(("mxdev-sql.database.windows.net", 1433, "app", Fixtures.AppClientId), (target.Host, target.Port, target.DatabaseName, target.IdentityClientId));
            Assert.Null(target.UserName);
            Assert.Null(target.Password);
            Assert.Equal("database 'app' on mxdev-sql.database.windows.net:1433 as managed identity " + Fixtures.AppClientId, target.Describe());
        }
    }
}
