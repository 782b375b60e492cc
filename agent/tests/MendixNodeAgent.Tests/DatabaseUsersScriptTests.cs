using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using MendixNodeAgent.Tests.Emulators;
using MendixNodeAgent.Tests.Support;
using Xunit;

namespace MendixNodeAgent.Tests
{
    /// <summary>
    /// agent/scripts/database-users.ps1, which the stack runs as a Run Command on the node that carries the SQL server's
    /// Entra admin, run in PowerShell 7 after the stand-ins of RunCommandStandIns.ps1, against the emulators of the
    /// instance metadata service and of Azure SQL.
    /// </summary>
    public class DatabaseUsersScriptTests
    {
        private const string Server = "mx-prod-sql-k3x9q2.database.windows.net";
        private const string AdminClientId = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
        private const string AppClientId = "3d4c5b6a-0000-4000-8000-0000000000a1";
        private const string CrmClientId = "7f6e5d4c-3b2a-4190-8877-665544332211";

        private sealed class ScriptRun
        {
            public ScriptRun(AzureSqlEmulator sql, InstanceMetadataStandIn imds)
            {
                Sql = sql;
                Imds = imds;
            }

            public AzureSqlEmulator Sql { get; }

            public InstanceMetadataStandIn Imds { get; }

            public FakeClock Clock { get; } = new FakeClock();

            /// <returns>what the script wrote to the host, or throws what it failed with.</returns>
            public string Run(int waitSeconds = 1800)
            {
                using (var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2()))
                {
                    runspace.Open();
                    runspace.SessionStateProxy.SetVariable("Imds", Imds);
                    runspace.SessionStateProxy.SetVariable("Sql", Sql);
                    runspace.SessionStateProxy.SetVariable("Clock", Clock);
                    using (var shell = PowerShell.Create())
                    {
                        shell.Runspace = runspace;
                        shell.AddScript(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Emulators", "RunCommandStandIns.ps1"))).Invoke();
                        shell.Commands.Clear();
                        shell.AddScript(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Scripts", "database-users.ps1")));
                        // The stack's parameters, through the command line Run Command hands them over on.
                        var parameters = RunCommandScripts.DatabaseUsersParameters()
                            .Select(p => p.Key == "WaitSeconds" ? new KeyValuePair<string, string>(p.Key, waitSeconds.ToString(CultureInfo.InvariantCulture)) : p);
                        foreach (var parameter in RunCommandLine.AsTheScriptGetsThem(parameters))
                        {
                            shell.AddParameter(parameter.Key, parameter.Value);
                        }

                        shell.Invoke();
                        return string.Join("\n", shell.Streams.Information.Select(record => record.MessageData.ToString()));
                    }
                }
            }
        }

        private static ScriptRun OnTheAdminsNode() =>
            new ScriptRun(new AzureSqlEmulator(Server, AdminClientId, "app", "crm"), new InstanceMetadataStandIn("6f1c2a9e-0000-4000-8000-000000000001", AppClientId, CrmClientId, AdminClientId));

        [Fact]
        public void Each_apps_identity_gets_a_user_by_its_client_id_in_its_own_database_and_db_owner_and_then_signs_in()
        {
            var run = OnTheAdminsNode();

            var output = run.Run();

            var app = run.Sql.Databases["app"];
            Assert.Equal(new[] { "mx-prod-app-app-id" }, app.Users.Keys);
            Assert.Equal((AppClientId, 'E'), (app.Users["mx-prod-app-app-id"].SidAsGuid, app.Users["mx-prod-app-app-id"].Type));
            Assert.Equal(new[] { "mx-prod-app-app-id" }, app.DbOwners);
            Assert.Equal(new[] { "mx-prod-app-crm-id" }, run.Sql.Databases["crm"].Users.Keys);
            Assert.Contains("database 'app': user mx-prod-app-app-id signs in as client id " + AppClientId + ", a member of db_owner", output);
            Assert.All(run.Imds.Requests, request => Assert.Equal(
                "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fdatabase.windows.net%2F&client_id=" + AdminClientId, request));
            // What the app's runtime, and the agent's probe before it, then do: sign in as the app's identity.
            Assert.Equal("mx-prod-app-app-id", run.Sql.SignIn(Server, "app", AzureSqlEmulator.TokenFor("https://database.windows.net/", AppClientId)));
            var refused = Assert.Throws<SqlErrorStandIn>(() => run.Sql.SignIn(Server, "crm", AzureSqlEmulator.TokenFor("https://database.windows.net/", AppClientId)));
            Assert.Equal(18456, refused.Number);
        }

        [Fact]
        public void The_command_line_run_command_hands_values_over_on_changes_what_cmd_changes_and_leaves_base64_alone()
        {
            var sent = new[]
            {
                new KeyValuePair<string, string>("Json", "[{\"database\":\"app\"}]"),
                new KeyValuePair<string, string>("Caret", "abc^123"),
                new KeyValuePair<string, string>("Percent", "%TEMP%x"),
                new KeyValuePair<string, string>("Base64", "W3siZGF0YWJhc2UiOiJhcHAifV0+/="),
                new KeyValuePair<string, string>("Ampersand", "a&b"),
                new KeyValuePair<string, string>("After", "lost"),
            };

            var received = RunCommandLine.AsTheScriptGetsThem(sent).ToDictionary(p => p.Key, p => p.Value);

            Assert.Equal("[{database:app}]", received["Json"]);
            Assert.Equal("abc123", received["Caret"]);
            Assert.Equal(@"C:\Windows\TEMPx", received["Percent"]);
            Assert.Equal("W3siZGF0YWJhc2UiOiJhcHAifV0+/=", received["Base64"]);
            Assert.Equal("a", received["Ampersand"]);
            Assert.Equal(new[] { "Json", "Caret", "Percent", "Base64", "Ampersand" }, received.Keys);
        }

        [Fact]
        public void A_second_run_changes_nothing()
        {
            var run = OnTheAdminsNode();
            run.Run();
            var users = run.Sql.Databases["app"].Users["mx-prod-app-app-id"];

            run.Run();

            Assert.Same(users, run.Sql.Databases["app"].Users["mx-prod-app-app-id"]);
            Assert.Equal(4, run.Sql.Batches.Count);
            Assert.Empty(run.Clock.Pauses);
        }

        [Fact]
        public void A_user_of_the_name_with_another_sid_is_made_again_for_the_identity_of_today()
        {
            var run = OnTheAdminsNode();
            run.Sql.Databases["app"].Users["mx-prod-app-app-id"] = new EmulatedUser("mx-prod-app-app-id", Guid.Parse("11111111-2222-3333-4444-555555555555").ToByteArray(), 'E');

            run.Run();

            Assert.Equal(AppClientId, run.Sql.Databases["app"].Users["mx-prod-app-app-id"].SidAsGuid);
            Assert.Contains("mx-prod-app-app-id", run.Sql.Databases["app"].DbOwners);
        }

        [Fact]
        public void A_server_that_does_not_let_the_admin_in_yet_is_waited_for()
        {
            var run = OnTheAdminsNode();
            run.Sql.UnreachableSignIns = 3;

            var output = run.Run();

            Assert.Equal(new[] { 15.0, 15, 15 }, run.Clock.Pauses.Select(pause => pause.TotalSeconds));
            Assert.Contains($"database 'app' on {Server}: the Entra admin is not let in yet (SQL error 40613: Database 'app' on server '{Server}' is not currently available. Please retry the connection later.); retry 1 in 15 s", output);
            Assert.Equal(2, run.Sql.Databases.Values.Count(database => database.DbOwners.Count == 1));
        }

        [Fact]
        public void A_node_without_the_admin_identity_fails_the_command_after_the_wait_naming_what_to_check()
        {
            var run = new ScriptRun(new AzureSqlEmulator(Server, AdminClientId, "app", "crm"), new InstanceMetadataStandIn("6f1c2a9e-0000-4000-8000-000000000001", AppClientId));

            var failure = Assert.Throws<RuntimeException>(() => run.Run(waitSeconds: 120));

            Assert.StartsWith($"database 'app' on {Server}: its Entra admin (client id {AdminClientId}) was not let in within 120 s (9 attempts); last error: ", failure.Message);
            Assert.Contains("\"error_description\":\"Identity not found\"", failure.Message);
            Assert.EndsWith("Check that this VM carries that identity, that it is the server's Entra admin, and that the server resolves to its private endpoint from this node", failure.Message);
            Assert.Empty(run.Sql.Databases["app"].Users);
        }

        [Fact]
        public void An_identity_that_is_not_the_servers_entra_admin_is_not_let_in()
        {
            var run = OnTheAdminsNode();
            run.Sql.EntraAdminClientId = "99999999-8888-4777-8666-555555555555";

            var failure = Assert.Throws<RuntimeException>(() => run.Run(waitSeconds: 30));

            Assert.Contains("last error: SQL error 18456: Login failed for user '<token-identified principal>'.", failure.Message);
        }

        [Fact]
        public void A_user_already_there_is_made_a_member_of_db_owner_though_sql_cannot_say_whether_it_is()
        {
            var run = OnTheAdminsNode();
            // Made by an earlier run that stopped before the role; IS_ROLEMEMBER answers NULL for it (the emulator's Entra users).
            run.Sql.Databases["app"].Users["mx-prod-app-app-id"] = new EmulatedUser("mx-prod-app-app-id", Guid.Parse(AppClientId).ToByteArray(), 'E');

            run.Run();

            Assert.Equal(new[] { "mx-prod-app-app-id" }, run.Sql.Databases["app"].DbOwners);
        }

        [Fact]
        public void A_membership_the_catalog_does_not_show_afterwards_fails_the_command()
        {
            var run = OnTheAdminsNode();
            run.Sql.MembershipsTakenAway.Add("mx-prod-app-app-id");

            var failure = Assert.Throws<RuntimeException>(() => run.Run());

            Assert.Equal($"database 'app' on {Server}: user mx-prod-app-app-id (client id {AppClientId}) is not a member of db_owner after ALTER ROLE db_owner ADD MEMBER (sys.database_role_members has it 0 times): look at the database's role members and audit log", failure.Message);
            Assert.Empty(run.Sql.Databases["crm"].Users);
        }

        [Fact]
        public void A_statement_sql_refuses_fails_the_command_at_once()
        {
            var run = OnTheAdminsNode();
            // Another user already holds the app identity's SID: SQL refuses a second user for it.
            run.Sql.Databases["app"].Users["someone-else"] = new EmulatedUser("someone-else", Guid.Parse(AppClientId).ToByteArray(), 'E');

            var failure = Assert.Throws<RuntimeException>(() => run.Run());

            Assert.Equal($"database 'app' on {Server}: making user mx-prod-app-app-id (client id {AppClientId}) a member of db_owner failed: SQL error 15063: The login already has an account under a different user name.", failure.Message);
            Assert.Empty(run.Clock.Pauses);
            Assert.Empty(run.Sql.Databases["crm"].Users);
        }
    }
}
