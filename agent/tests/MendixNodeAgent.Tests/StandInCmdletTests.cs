using System;
using System.Collections;
using System.IO;
using System.Linq;
using MendixNodeAgent.Settings;
using MendixNodeAgent.Tests.Emulators;
using MendixNodeAgent.Tests.Support;
using MendixNodeAgent.Windows;
using Xunit;

namespace MendixNodeAgent.Tests
{
    /// <summary>
    /// The scripts the agent renders, run under PowerShell 7 against stand-ins with the real cmdlets' parameters
    /// (Emulators/StandInCmdlets.ps1): a misspelt, missing or mistyped parameter fails here as on the node.
    /// </summary>
    public class StandInCmdletTests
    {
        private const string Console = @"C:\Program Files\Mendix\Service Console";

        [Fact]
        public void A_missing_mandatory_parameter_or_a_misspelt_one_fails_the_script()
        {
            using (var shell = new StandInPowerShell())
            {
                var missing = shell.Run("$ErrorActionPreference = 'Stop'\n$null = New-MxApp -Name 'app'\n");
                var misspelt = shell.Run("$ErrorActionPreference = 'Stop'\n$null = Update-MxApp -Path 'C:\\m.mda' -Name 'app'\n");
                var mistyped = shell.Run("$ErrorActionPreference = 'Stop'\n$null = New-MxApp -Name 'app' -Credential 'mx-app'\n");

                Assert.Equal(1, missing.ExitCode);
                Assert.Contains("Credential", missing.Errors);
                Assert.Equal(1, misspelt.ExitCode);
                Assert.Contains("A parameter cannot be found that matches parameter name 'Path'", misspelt.Errors);
                Assert.Equal(1, mistyped.ExitCode);
                Assert.Empty(shell.CallsOf("New-MxApp"));
            }
        }

        [Fact]
        public void New_mxapp_gets_the_name_and_a_credential_for_the_apps_account_read_from_its_secret_file()
        {
            using (var shell = new StandInPowerShell())
            using (var root = new TempAppsRoot())
            {
                var secret = Path.Combine(root.Path, "node-agent", "accounts", "app.password");
                Directory.CreateDirectory(Path.GetDirectoryName(secret)!);
                File.WriteAllText(secret, "Mx1-generated");

                var result = shell.Run(PowerShellScript.CreateApp(Console, "app", @".\mx-app", secret, "Manual"));

                Assert.True(result.ExitCode == 0, result.Errors);
                var call = Assert.Single(shell.CallsOf("New-MxApp"));
                Assert.Equal("app", call.Parameters["Name"]);
                Assert.Equal(@"PSCredential:.\mx-app", call.Parameters["Credential"]);
                Assert.Equal("Manual", call.Parameters["StartupType"]);
                Assert.Equal("Manual", shell.StartTypes["app"]);
                Assert.Equal("Manual", ServiceConsoleSettingsReader.Read(Path.Combine(shell.AppsPath, "app", "Settings.yaml"))!.StartMode);
                Assert.Equal(@"C:\Program Files\Mendix\Service Console\Mendix.Service.Commands.dll", shell.CallsOf("Import-Module").Single().Parameters["Name"]);
                Assert.DoesNotContain("Mx1-generated", string.Join("\n", shell.Scripts));
            }
        }

        [Fact]
        public void The_service_account_is_created_with_a_generated_password_in_a_folder_only_system_and_administrators_can_read()
        {
            using (var shell = new StandInPowerShell())
            using (var root = new TempAppsRoot())
            {
                var secret = AppFolders.ServiceAccountSecretFile(root.Path, "app");
                var accounts = new WindowsServiceAccounts(shell);
                var account = new AppServiceAccount("mx-app", secret);

                var first = accounts.Ensure(account, passwordNeeded: true);
                var password = File.ReadAllText(secret);
                var second = accounts.Ensure(account, passwordNeeded: true);

                Assert.Equal(AccountOutcome.Created, first);
                Assert.Equal(AccountOutcome.Found, second);
                Assert.Matches("^Mx1-[A-Za-z0-9_-]{32}$", password);
                Assert.Equal(password, File.ReadAllText(secret));
                var user = Assert.Single(shell.CallsOf("New-LocalUser"));
                Assert.Equal("mx-app", user.Parameters["Name"]);
                Assert.Equal("SecureString", user.Parameters["Password"]);
                Assert.Equal("True", user.Parameters["PasswordNeverExpires"]);
                Assert.Equal("True", user.Parameters["AccountNeverExpires"]);
                var acl = shell.CallsOf("Set-Acl").First();
                Assert.Equal(Path.GetDirectoryName(secret), acl.Parameters["LiteralPath"]);
                Assert.Equal("protected;SID:S-1-5-18|FullControl|ContainerInherit, ObjectInherit|None|Allow;SID:S-1-5-32-544|FullControl|ContainerInherit, ObjectInherit|None|Allow", acl.Parameters["AclObject"]);
                Assert.DoesNotContain(password, string.Join("\n", shell.Scripts));
            }
        }

        [Fact]
        public void The_password_file_is_there_only_until_the_apps_service_has_the_password()
        {
            using (var shell = new StandInPowerShell())
            using (var root = new TempAppsRoot())
            {
                var secret = AppFolders.ServiceAccountSecretFile(root.Path, "app");
                var accounts = new WindowsServiceAccounts(shell);
                var account = new AppServiceAccount("mx-app", secret);
                Assert.Equal(AccountOutcome.Created, accounts.Ensure(account, passwordNeeded: true));

                var forgotten = accounts.ForgetPassword(account);
                var withoutApp = accounts.Ensure(account, passwordNeeded: false);
                var fileWithoutApp = File.Exists(secret);
                var forNewApp = accounts.Ensure(account, passwordNeeded: true);

                Assert.True(forgotten);
                Assert.Equal(AccountOutcome.Found, withoutApp);
                Assert.False(fileWithoutApp);
                Assert.Equal(AccountOutcome.PasswordReset, forNewApp);
                Assert.Matches("^Mx1-[A-Za-z0-9_-]{32}$", File.ReadAllText(secret));
                Assert.Equal("mx-app", Assert.Single(shell.CallsOf("Set-LocalUser")).Parameters["Name"]);
                Assert.False(accounts.ForgetPassword(new AppServiceAccount("mx-other", AppFolders.ServiceAccountSecretFile(root.Path, "other"))));
            }
        }

        [Fact]
        public void The_apps_folders_get_the_accounts_rights_once()
        {
            using (var shell = new StandInPowerShell())
            using (var root = new TempAppsRoot())
            {
                var accounts = new WindowsServiceAccounts(shell);
                var account = new AppServiceAccount("mx-app", AppFolders.ServiceAccountSecretFile(root.Path, "app"));
                var grants = AppFolders.ServiceAccountFolders(root.Path, "app");

                var changed = accounts.Grant(account, grants);
                shell.State["Access"] = new object[]
                {
                    new Hashtable { ["AccessControlType"] = "Allow", ["IdentityReference"] = "MXDEV-1\\mx-app", ["FileSystemRights"] = "ReadAndExecute, Synchronize", ["InheritanceFlags"] = "ContainerInherit, ObjectInherit" },
                    new Hashtable { ["AccessControlType"] = "Allow", ["IdentityReference"] = "MXDEV-1\\mx-app", ["FileSystemRights"] = "Modify, Synchronize", ["InheritanceFlags"] = "ContainerInherit, ObjectInherit" },
                };
                var again = accounts.Grant(account, grants);

                Assert.Equal(grants.Select(g => g.Path), changed);
                Assert.Empty(again);
                Assert.True(Directory.Exists(Path.Combine(root.Path, "app", "Project", "data")));
                Assert.Equal(
                    new[] { "mx-app|ReadAndExecute|ContainerInherit, ObjectInherit|None|Allow", "mx-app|Modify|ContainerInherit, ObjectInherit|None|Allow", "mx-app|Modify|ContainerInherit, ObjectInherit|None|Allow", "mx-app|ReadAndExecute|ContainerInherit, ObjectInherit|None|Allow" },
                    shell.CallsOf("Set-Acl").Select(c => c.Parameters["AclObject"]));
            }
        }

        [Fact]
        public void Iis_worker_processes_pass_through_the_app_folders_and_read_only_the_web_folder_and_the_drain_marker()
        {
            using (var shell = new StandInPowerShell())
            using (var root = new TempAppsRoot())
            {
                var changed = new WindowsServiceAccounts(shell).GrantIisWorkers(AppFolders.IisReadFolders(root.Path, "app"));

                var acls = shell.CallsOf("Set-Acl").ToDictionary(c => c.Parameters["LiteralPath"], c => c.Parameters["AclObject"]);
                Assert.Equal("IIS_IUSRS|ReadAndExecute|None|None|Allow", acls[Path.Combine(root.Path, "app")]);
                Assert.Equal("IIS_IUSRS|ReadAndExecute|None|None|Allow", acls[Path.Combine(root.Path, "app", "Project")]);
                Assert.Equal("IIS_IUSRS|ReadAndExecute|ContainerInherit, ObjectInherit|None|Allow", acls[Path.Combine(root.Path, "app", "Project", "Web")]);
                Assert.Equal("IIS_IUSRS|ReadAndExecute|None|None|Allow", acls[Path.Combine(root.Path, "node-agent")]);
                Assert.Equal("IIS_IUSRS|ReadAndExecute|None|None|Allow", acls[root.Path]);
                Assert.DoesNotContain(Path.Combine(root.Path, "app", "Settings.yaml"), acls.Keys);
                Assert.Contains(Path.Combine(root.Path, "app", "Project", "Web"), changed);
            }
        }

        [Fact]
        public void Stop_waits_for_the_service_when_stop_mxapp_gives_up_after_30_seconds()
        {
            using (var shell = new StandInPowerShell())
            {
                shell.AddApp("app", "Running");
                shell.State["StopTimesOut"] = true;
                ((Hashtable)shell.State["PendingPolls"]!)["app"] = 4;

                new MendixServiceConsole(shell).StopApp("app");

                Assert.Single(shell.CallsOf("Stop-MxApp"));
                Assert.Equal(4, shell.CallsOf("Start-Sleep").Count);
                Assert.Equal("2", shell.CallsOf("Start-Sleep")[0].Parameters["Seconds"]);
                Assert.Equal("Stopped", shell.Services["app"]);
            }
        }

        [Fact]
        public void A_service_still_stopping_after_the_bounded_wait_fails_and_is_never_reported_stopped()
        {
            using (var shell = new StandInPowerShell())
            {
                shell.AddApp("app", "Running");
                shell.State["StopTimesOut"] = true;

                var failure = Assert.Throws<AgentFailureException>(() => new MendixServiceConsole(shell).StopApp("app"));

                Assert.Contains("the Windows service app is still StopPending 120 s after Stop-MxApp (Stop-MxApp: Time out has expired and the operation has not been completed.)", failure.Message);
                Assert.Contains("the app is not stopped", failure.Message);
                Assert.Equal(MendixServiceConsole.SettlesWithinSeconds / 2, shell.CallsOf("Start-Sleep").Count);
            }
        }

        [Fact]
        public void The_app_lifecycle_scripts_bind_to_the_real_parameters()
        {
            using (var shell = new StandInPowerShell())
            {
                shell.AddApp("app", "Stopped");
                var console = new MendixServiceConsole(shell);

                Assert.Equal(AppRunState.Stopped, console.GetState("app").Run);
                Assert.Equal("Manual", console.GetState("app").StartType);
                Assert.Equal(AppRunState.Missing, console.GetState("other").Run);
                console.UpdateApp("app", @"D:\models\app-1.mda");
                console.StartApp("app", synchronizeDatabase: true, TimeSpan.FromSeconds(600));
                Assert.Equal(AppRunState.Running, console.GetState("app").Run);
                console.InstallServerDistribution(@"M:\Mendix\Apps\node-agent\downloads\mendix-10.12.4.41735.tar.gz");

                Assert.Equal(@"D:\models\app-1.mda", shell.CallsOf("Update-MxApp").Single().Parameters["LiteralPath"]);
                Assert.Equal("app", shell.CallsOf("Update-MxApp").Single().Parameters["Name"]);
                Assert.Equal("True", shell.CallsOf("Start-MxApp").Single().Parameters["SynchronizeDatabase"]);
                Assert.Equal(@"M:\Mendix\Apps\node-agent\downloads\mendix-10.12.4.41735.tar.gz", shell.CallsOf("Install-MxServer").Single().Parameters["LiteralPath"]);
            }
        }

        [Fact]
        public void The_stand_ins_have_the_consoles_three_parameter_sets_and_objects_powershell_cannot_read()
        {
            using (var shell = new StandInPowerShell())
            {
                shell.AddApp("app", "Stopped");
                shell.AddApp("other", "Stopped");

                var both = shell.Run("$ErrorActionPreference = 'Stop'\n$apps = @(Get-MxApp -All)\nWrite-Output ('count=' + $apps.Count)\nWrite-Output ('properties=' + @($apps[0].PSObject.Properties).Count)\nWrite-Output ('name=' + $apps[0].Name)\n");
                var piped = shell.Run("$ErrorActionPreference = 'Stop'\nGet-MxApp -Name 'other' | Start-MxApp\n");
                var mixed = shell.Run("$ErrorActionPreference = 'Stop'\nGet-MxApp -Name 'app' -All\n");

                Assert.True(both.ExitCode == 0, both.Errors);
                Assert.Equal("2", ScriptOutput.Value(ScriptOutput.Lines(both.Output), "count"));
                Assert.Equal("0", ScriptOutput.Value(ScriptOutput.Lines(both.Output), "properties"));
                Assert.Equal(string.Empty, ScriptOutput.Value(ScriptOutput.Lines(both.Output), "name"));
                Assert.True(piped.ExitCode == 0, piped.Errors);
                Assert.Equal("Running", shell.Services["other"]);
                Assert.Equal("Stopped", shell.Services["app"]);
                Assert.Equal(1, mixed.ExitCode);
                Assert.Contains("Parameter set cannot be resolved", mixed.Errors);
            }
        }

        [Fact]
        public void An_unknown_name_is_the_consoles_terminating_error_10_and_a_per_app_failure_a_non_terminating_one()
        {
            using (var shell = new StandInPowerShell())
            {
                shell.AddApp("app", "Stopped");
                shell.StartTypes["app"] = "Disabled";

                var unknown = shell.Run("try { Get-MxApp -Name 'app', 'ghost' } catch { Write-Output ('id=' + $_.FullyQualifiedErrorId); Write-Output ('message=' + $_.Exception.Message) }\nWrite-Output 'after=reached'\n");
                var perApp = shell.Run("Start-MxApp -Name 'app' -ErrorVariable failed -ErrorAction SilentlyContinue | Out-Null\nWrite-Output ('id=' + $failed[0].FullyQualifiedErrorId)\nWrite-Output ('category=' + $failed[0].CategoryInfo.Category)\nWrite-Output ('target=' + $failed[0].TargetObject)\nWrite-Output 'after=reached'\n");

                var unknownLines = ScriptOutput.Lines(unknown.Output);
                Assert.Equal("10,Get-MxApp", ScriptOutput.Value(unknownLines, "id"));
                Assert.Equal("The following specified apps do not exist: ghost", ScriptOutput.Value(unknownLines, "message"));
                var perAppLines = ScriptOutput.Lines(perApp.Output);
                Assert.Equal("AppProcessError,Start-MxApp", ScriptOutput.Value(perAppLines, "id"));
                Assert.Equal("InvalidOperation", ScriptOutput.Value(perAppLines, "category"));
                Assert.Equal("app", ScriptOutput.Value(perAppLines, "target"));
                Assert.Equal("reached", ScriptOutput.Value(perAppLines, "after"));
            }
        }

        [Fact]
        public void Start_mxapp_does_nothing_unless_the_service_is_stopped_and_new_mxapp_refuses_an_existing_folder()
        {
            using (var shell = new StandInPowerShell())
            {
                shell.AddApp("app", "StartPending");
                Directory.CreateDirectory(Path.Combine(shell.AppsPath, "leftover"));

                var start = shell.Run("$ErrorActionPreference = 'Stop'\n$null = Start-MxApp -Name 'app'\n");
                var create = shell.Run("$ErrorActionPreference = 'Stop'\n$credential = New-Object -TypeName System.Management.Automation.PSCredential -ArgumentList '.\\mx-leftover', (ConvertTo-SecureString -String 'x' -AsPlainText -Force)\n$null = New-MxApp -Name 'leftover' -Credential $credential -StartupType 'AutomaticDelayedStart'\n");
                var createTyped = shell.Run("$ErrorActionPreference = 'Stop'\n$credential = New-Object -TypeName System.Management.Automation.PSCredential -ArgumentList '.\\mx-leftover', (ConvertTo-SecureString -String 'x' -AsPlainText -Force)\n$null = New-MxApp -Name 'leftover' -Credential $credential -StartupType 'Manual'\n");

                Assert.True(start.ExitCode == 0, start.Errors);
                Assert.Equal("StartPending", shell.Services["app"]);
                Assert.Equal(1, create.ExitCode);
                Assert.Contains("AutomaticDelayedStart", create.Errors);
                Assert.Equal(1, createTyped.ExitCode);
                Assert.Contains("App already exists.", createTyped.Errors);
            }
        }

        [Fact]
        public void Only_the_consoles_unknown_app_error_reads_as_missing_and_a_broken_settings_file_of_another_app_fails_the_query()
        {
            using (var shell = new StandInPowerShell())
            {
                shell.AddApp("app", "Running");
                shell.AddApp("other", "Stopped");
                File.WriteAllText(Path.Combine(shell.AppsPath, "other", "Settings.yaml"), "Version: 1.0.0\nRuntime:\n  RuntimePortNumber: eighty\n");
                var console = new MendixServiceConsole(shell);

                var failure = Assert.Throws<AgentFailureException>(() => console.GetState("app"));
                File.Delete(Path.Combine(shell.AppsPath, "other", "Settings.yaml"));
                var missing = console.GetState("ghost");

                Assert.Contains("service console: cannot query app 'app': Get-MxApp -Name app failed, so whether the app exists is not known", failure.Message);
                Assert.Contains("The input string 'eighty' was not in a correct format", failure.Message);
                Assert.Equal(AppRunState.Missing, missing.Run);
                Assert.Empty(shell.CallsOf("New-MxApp"));
            }
        }

        [Theory]
        [InlineData("StartPending", "Running")]
        [InlineData("StopPending", "Stopped")]
        public void A_pending_service_is_waited_for_until_it_settles(string pending, string settled)
        {
            using (var shell = new StandInPowerShell())
            {
                shell.AddApp("app", pending);
                ((Hashtable)shell.State["PendingPolls"]!)["app"] = 3;

                var state = new MendixServiceConsole(shell).GetState("app");

                Assert.Equal(settled == "Running" ? AppRunState.Running : AppRunState.Stopped, state.Run);
                Assert.Equal(3, shell.CallsOf("Start-Sleep").Count);
            }
        }

        [Fact]
        public void A_paused_service_stays_paused_and_fails_the_query_naming_it()
        {
            using (var shell = new StandInPowerShell())
            {
                shell.AddApp("app", "Paused");
                ((Hashtable)shell.State["PendingPolls"]!)["app"] = 3;

                var failure = Assert.Throws<AgentFailureException>(() => new MendixServiceConsole(shell).GetState("app"));

                Assert.Contains("the Windows service app is still Paused 120 s (neither Running nor Stopped, so Start-MxApp would do nothing)", failure.Message);
                Assert.Equal("Paused", shell.Services["app"]);
                Assert.Empty(shell.CallsOf("Start-MxApp"));
            }
        }

        [Fact]
        public void A_failed_start_leaves_the_service_running_until_its_runtime_has_exited()
        {
            using (var shell = new StandInPowerShell())
            {
                shell.AddApp("app", "Stopped");
                shell.State["UnsyncedDatabases"] = new object[] { "app" };

                var start = shell.Run("Start-MxApp -Name 'app' -ErrorAction SilentlyContinue -ErrorVariable failed | Out-Null\nWrite-Output ('error=' + $failed[0].Exception.Message)\n"
                    + "foreach ($i in 1..4) { Write-Output ('status' + $i + '=' + (Get-Service -Name 'app').Status) }\n");

                var lines = ScriptOutput.Lines(start.Output);
                Assert.Equal("Unable to start the app. Reason: The database is not synchronized with the model.", ScriptOutput.Value(lines, "error"));
                Assert.Equal(new[] { "Running", "StopPending", "Stopped", "Stopped" }, new[] { "status1", "status2", "status3", "status4" }.Select(key => ScriptOutput.Value(lines, key)));
            }
        }

        [Fact]
        public void A_service_that_stays_pending_fails_the_query_naming_its_state()
        {
            using (var shell = new StandInPowerShell())
            {
                shell.AddApp("app", "StartPending");

                var failure = Assert.Throws<AgentFailureException>(() => new MendixServiceConsole(shell).GetState("app"));

                Assert.Contains("the Windows service app is still StartPending 120 s (neither Running nor Stopped, so Start-MxApp would do nothing)", failure.Message);
                Assert.Equal(MendixServiceConsole.SettlesWithinSeconds / 2, shell.CallsOf("Start-Sleep").Count);
                Assert.Empty(shell.CallsOf("Start-MxApp"));
            }
        }

        [Fact]
        public void A_start_that_does_not_end_within_its_bound_is_ended_and_the_app_left_stopped()
        {
            using (var shell = new StandInPowerShell())
            {
                shell.AddApp("app", "Stopped");
                shell.State["StartHangs"] = new object[] { "app" };

                var failure = Assert.Throws<AgentFailureException>(() => new MendixServiceConsole(shell).StartApp("app", synchronizeDatabase: false, TimeSpan.FromSeconds(300)));

                Assert.Contains("app 'app' did not start within 300 s (rollout.readyTimeoutSeconds): Start-MxApp was ended and the app was stopped (its Windows service is Stopped)", failure.Message);
                Assert.Equal(TimeSpan.FromSeconds(300), shell.Timeouts[0]);
                Assert.Single(shell.CallsOf("Stop-MxApp"));
                Assert.Equal("Stopped", shell.Services["app"]);
            }
        }

        [Fact]
        public void A_follower_start_on_a_database_not_in_sync_fails_with_the_consoles_reason_and_leaves_the_service_stopped()
        {
            using (var shell = new StandInPowerShell())
            {
                shell.AddApp("app", "Stopped");
                shell.State["UnsyncedDatabases"] = new object[] { "app" };
                var console = new MendixServiceConsole(shell);

                var failure = Assert.Throws<AgentFailureException>(() => console.StartApp("app", synchronizeDatabase: false, TimeSpan.FromSeconds(300)));
                var afterFailure = shell.Services["app"];
                console.StartApp("app", synchronizeDatabase: true, TimeSpan.FromSeconds(300));

                Assert.Contains("Start-MxApp failed, and the app is stopped: Unable to start the app. Reason: The database is not synchronized with the model.", failure.Message);
                Assert.Equal("Stopped", afterFailure);
                Assert.Equal(2, shell.CallsOf("Start-Sleep").Count);
                Assert.Equal("Running", shell.Services["app"]);
            }
        }

        [Fact]
        public void An_automatic_service_is_made_manual_with_set_service()
        {
            using (var shell = new StandInPowerShell())
            {
                shell.AddApp("app", "Stopped", startType: "Automatic");
                var console = new MendixServiceConsole(shell);

                var before = console.GetState("app").StartType;
                console.SetManualStartup("app");

                Assert.Equal("Automatic", before);
                Assert.Equal("Manual", console.GetState("app").StartType);
                Assert.Equal("Manual", shell.CallsOf("Set-Service").Single().Parameters["StartupType"]);
            }
        }

        [Fact]
        public void Msiexec_answers_are_handed_back_and_other_codes_fail()
        {
            using (var shell = new StandInPowerShell())
            {
                var prerequisites = new WindowsPrerequisites(shell);
                shell.State["ExitCodes"] = new object[] { 1618, 3010, 1641, 0, 1603 };

                Assert.Equal(1618, prerequisites.InstallMsi(@"M:\d\urlRewrite.msi", @"M:\d\urlRewrite.msi.log", "IIS URL Rewrite"));
                Assert.Equal(3010, prerequisites.InstallMsi(@"M:\d\urlRewrite.msi", @"M:\d\urlRewrite.msi.log", "IIS URL Rewrite"));
                Assert.Equal(1641, prerequisites.InstallMsi(@"M:\d\urlRewrite.msi", @"M:\d\urlRewrite.msi.log", "IIS URL Rewrite"));
                Assert.Equal(0, prerequisites.InstallMsi(@"M:\d\urlRewrite.msi", @"M:\d\urlRewrite.msi.log", "IIS URL Rewrite"));
                var failure = Assert.Throws<AgentFailureException>(() => prerequisites.InstallMsi(@"M:\d\urlRewrite.msi", @"M:\d\urlRewrite.msi.log", "IIS URL Rewrite"));

                Assert.Contains("msiexec exited with 1603", failure.Message);
                Assert.Equal("msiexec.exe", shell.CallsOf("Start-Process")[0].Parameters["FilePath"]);
                Assert.Equal("/i,\"M:\\d\\urlRewrite.msi\",/qn,/norestart,/l*v,\"M:\\d\\urlRewrite.msi.log\"", shell.CallsOf("Start-Process")[0].Parameters["ArgumentList"]);
            }
        }

        [Fact]
        public void The_inspection_reports_the_installed_service_console_version_from_windows_installer()
        {
            using (var shell = new StandInPowerShell())
            {
                shell.State["Features"] = new object[] { "Web-Server" };
                shell.State["Uninstall"] = new object[]
                {
                    new Hashtable { ["DisplayName"] = "Mendix Service Console 4.7.4", ["DisplayVersion"] = "4.7.4.25" },
                    new Hashtable { ["DisplayName"] = "IIS URL Rewrite Module 2", ["DisplayVersion"] = "7.2.1993" },
                };

                var inspection = new WindowsPrerequisites(shell).Inspect(new[] { "Web-Server", "Web-Static-Content" });

                Assert.Equal(new[] { "4.7.4.25" }, inspection.ServiceConsoleVersions);
                Assert.Equal(new[] { "Web-Static-Content" }, inspection.MissingFeatures);
                var registry = shell.CallsOf("Get-ItemProperty").Single();
                Assert.Equal(@"HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\*,HKLM:\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall\*", registry.Parameters["Path"]);
            }
        }

        [Fact]
        public void Windows_features_iis_server_settings_and_the_data_disk_bind_to_the_real_parameters()
        {
            using (var shell = new StandInPowerShell())
            {
                shell.State["Disks"] = new object[] { new Hashtable { ["Number"] = 2, ["PartitionStyle"] = "RAW", ["IsOffline"] = true, ["IsReadOnly"] = false } };

                Assert.False(new WindowsPrerequisites(shell).InstallWindowsFeatures(new[] { "Web-Server", "Web-Mgmt-Console" }));
                Assert.True(new WindowsPrerequisites(shell).ConfigureIisServer());
                var disk = shell.Run(PowerShellScript.InitializeDataDisk(2, 'M', "MendixData"));

                Assert.True(disk.ExitCode == 0, disk.Errors);
                Assert.Equal("Web-Server,Web-Mgmt-Console", shell.CallsOf("Install-WindowsFeature").Single().Parameters["Name"]);
                Assert.Equal(2, shell.CallsOf("Set-WebConfigurationProperty").Count);
                Assert.Equal("HTTP_X_FORWARDED_PROTO", ((string)shell.CallsOf("Add-WebConfigurationProperty").Single().Parameters["Value"]).Contains("HTTP_X_FORWARDED_PROTO") ? "HTTP_X_FORWARDED_PROTO" : "missing");
                Assert.Equal("GPT", shell.CallsOf("Initialize-Disk").Single().Parameters["PartitionStyle"]);
                Assert.Equal("M", shell.CallsOf("New-Partition").Single().Parameters["DriveLetter"]);
                Assert.Equal("NTFS", shell.CallsOf("Format-Volume").Single().Parameters["FileSystem"]);
                Assert.Equal("MendixData", shell.CallsOf("Format-Volume").Single().Parameters["NewFileSystemLabel"]);
            }
        }
    
        [Fact]
        public void A_data_volume_whose_disk_grew_is_extended_to_the_disk_once_windows_has_rescanned_it()
        {
            using (var shell = new StandInPowerShell())
            {
                shell.State["Volumes"] = new Hashtable { ["M"] = new Hashtable { ["DiskNumber"] = 2, ["PartitionNumber"] = 2, ["Size"] = 68718428160UL, ["SizeMax"] = 68718428160UL, ["GrownTo"] = 137437904896UL } };

                var extension = new WindowsDataDisk(shell).ExtendVolume('M');

                Assert.True(extension.Extended);
                Assert.Equal(68718428160UL, extension.SizeBefore);
                Assert.Equal(137437904896UL, extension.SizeAfter);
                Assert.Equal(new[] { "Update-HostStorageCache", "Get-Partition", "Get-PartitionSupportedSize", "Resize-Partition", "Get-Partition" },
                    shell.Calls.Select(call => call.Command));
                var resize = shell.CallsOf("Resize-Partition").Single();
                Assert.Equal("M", resize.Parameters["DriveLetter"]);
                Assert.Equal("137437904896", resize.Parameters["Size"]);
            }
        }

        [Fact]
        public void A_data_volume_that_fills_its_disk_is_not_resized_which_windows_would_refuse()
        {
            using (var shell = new StandInPowerShell())
            {
                shell.State["Volumes"] = new Hashtable { ["M"] = new Hashtable { ["DiskNumber"] = 2, ["PartitionNumber"] = 2, ["Size"] = 68718428160UL, ["SizeMax"] = 68718428160UL } };

                var extension = new WindowsDataDisk(shell).ExtendVolume('M');
                var refused = shell.Run("$ErrorActionPreference = 'Stop'\nResize-Partition -DriveLetter 'M' -Size 68718428160\n");

                Assert.False(extension.Extended);
                Assert.Equal(1, refused.ExitCode);
                Assert.Contains("The partition is already the requested size", refused.Errors);
                Assert.Single(shell.CallsOf("Resize-Partition"));
            }
        }

        [Fact]
        public void Extending_a_volume_that_is_not_there_fails_naming_the_letter()
        {
            using (var shell = new StandInPowerShell())
            {
                var failure = Assert.Throws<AgentFailureException>(() => new WindowsDataDisk(shell).ExtendVolume('M'));

                Assert.Contains("cannot extend volume M:", failure.Message);
                Assert.Contains("No MSFT_Partition objects found with property 'DriveLetter' equal to 'M'", failure.Message);
                Assert.Empty(shell.CallsOf("Resize-Partition"));
            }
        }
    }
}
