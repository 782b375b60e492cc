using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace MendixNodeAgent.Tests.Emulators
{
    /// <summary>A SQL error as System.Data.SqlClient reports one: its number and SQL's message.</summary>
    public sealed class SqlErrorStandIn : Exception
    {
        public SqlErrorStandIn(int number, string message) : base(message)
        {
            Number = number;
        }

        public int Number { get; }
    }

    /// <summary>A contained database user: its name, its SID, its type (E: an Entra user or application).</summary>
    public sealed class EmulatedUser
    {
        public EmulatedUser(string name, byte[] sid, char type)
        {
            Name = name;
            Sid = sid;
            Type = type;
        }

        public string Name { get; }

        public byte[] Sid { get; }

        public char Type { get; }

        /// <summary>CAST(sid AS uniqueidentifier): for an application's user, its application (client) id.</summary>
        public string SidAsGuid => AzureSqlEmulator.GuidOf(Sid);
    }

    /// <summary>One database's principals: its users and the members of db_owner.</summary>
    public sealed class EmulatedDatabase
    {
        public Dictionary<string, EmulatedUser> Users { get; } = new Dictionary<string, EmulatedUser>(StringComparer.OrdinalIgnoreCase);

        public HashSet<string> DbOwners { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// An emulator of what an Azure SQL logical server does with an access-token sign-in and with the statements
    /// agent/scripts/database-users.ps1 sends, strict: a statement of any other shape is not emulated and fails the test.
    /// Sources:
    /// - a token sign-in is let in as the server's Microsoft Entra admin, who is dbo in every database, or as a contained
    ///   user whose SID is the principal's id (for an application its client id), else "Login failed for user
    ///   '&lt;token-identified principal&gt;'." (error 18456); an unknown database is error 4060 (MicrosoftDocs/sql-docs,
    ///   azure-sql/database/authentication-aad-overview.md and logins-create-manage.md);
    /// - CREATE USER [name] WITH SID = 0x..., TYPE = E: a contained user of an Entra principal by its SID, no Graph
    ///   lookup; the SID of an application is the binary form of its application id, as CAST(... AS uniqueidentifier)
    ///   reads it back (MicrosoftDocs/sql-docs issue 2323; azure-sql/database/authentication-microsoft-entra-create-users-with-nonunique-names.md);
    ///   needs ALTER ANY USER (dbo, db_owner, db_accessadmin: t-sql/statements/create-user-transact-sql.md, "Permissions");
    ///   a name in use is error 15023, a SID in use under another name error 15063;
    /// - DROP USER [name]: ALTER ANY USER; an unknown user is error 15151;
    /// - ALTER ROLE [db_owner] ADD MEMBER [name]: "Adding members to fixed database roles requires membership in db_owner"
    ///   (t-sql/statements/alter-role-transact-sql.md); an unknown member is error 15151; a member already is no error;
    /// - IS_ROLEMEMBER(role, principal): 1, 0, or NULL when "database_principal or role isn't valid, or you don't have
    ///   permission to view the role membership"; like a Windows principal not granted access directly ("If
    ///   database_principal is based on a Windows login ... IS_ROLEMEMBER returns NULL"), an Entra principal made by SID
    ///   is one SQL may not validate, so the emulator answers NULL for every user of TYPE = E, as the documentation allows
    ///   (t-sql/functions/is-rolemember-transact-sql.md);
    /// - SELECT COUNT(*) FROM sys.database_role_members AS m JOIN sys.database_principals AS r ... AS u ... WHERE r.name =
    ///   N'db_owner' AND u.name = N'...': the user's memberships of db_owner (t-sql/system-catalog-views/
    ///   sys-database-role-members-transact-sql.md);
    /// - IF [NOT] EXISTS (SELECT 1 FROM sys.database_principals WHERE name = N'...' [AND sid &lt;&gt; 0x...]).
    /// Error texts are SQL Server's (sys.messages).
    /// </summary>
    public sealed class AzureSqlEmulator
    {
        private const string Dbo = "dbo";

        public AzureSqlEmulator(string fqdn, string entraAdminClientId, params string[] databases)
        {
            Fqdn = fqdn;
            EntraAdminClientId = entraAdminClientId;
            foreach (var database in databases)
            {
                Databases[database] = new EmulatedDatabase();
            }
        }

        public string Fqdn { get; }

        public string EntraAdminClientId { get; set; }

        public Dictionary<string, EmulatedDatabase> Databases { get; } = new Dictionary<string, EmulatedDatabase>(StringComparer.OrdinalIgnoreCase);

        /// <summary>How many sign-ins still fail as a server not reached yet (a new server, its private endpoint's DNS).</summary>
        public int UnreachableSignIns { get; set; }

        /// <summary>Users whose db_owner membership another session takes away right after it is given (a race the script must see).</summary>
        public HashSet<string> MembershipsTakenAway { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Every batch executed, with the database it ran in.</summary>
        public List<KeyValuePair<string, string>> Batches { get; } = new List<KeyValuePair<string, string>>();

        /// <summary>How System.Data.SqlClient would be made on the node: New-Object System.Data.SqlClient.SqlConnection.</summary>
        public SqlConnectionStandIn NewConnection() => new SqlConnectionStandIn(this);

        /// <summary>The token the instance metadata service stand-in issues for an identity: its audience and client id.</summary>
        public static string TokenFor(string resource, string clientId) => "token:" + resource + ":" + clientId;

        public static string GuidOf(byte[] sid) => new Guid(sid).ToString();

        /// <summary>Who signs in with the token to the database: dbo for the Entra admin, else the user of the token's principal.</summary>
        internal string SignIn(string server, string database, string? token)
        {
            if (!string.Equals(server, Fqdn, StringComparison.OrdinalIgnoreCase))
            {
                throw new SqlErrorStandIn(11001, $"A network-related or instance-specific error occurred while establishing a connection to SQL Server ({server}).");
            }

            if (UnreachableSignIns > 0)
            {
                UnreachableSignIns--;
                throw new SqlErrorStandIn(40613, $"Database '{database}' on server '{Fqdn}' is not currently available. Please retry the connection later.");
            }

            var match = token == null ? null : Regex.Match(token, "^token:(?<resource>[^:]+://[^:]+):(?<client>[0-9a-f-]{36})$");
            if (match == null || !match.Success || match.Groups["resource"].Value != "https://database.windows.net/")
            {
                throw new SqlErrorStandIn(18456, "Login failed for user '<token-identified principal>'.");
            }

            if (!Databases.TryGetValue(database, out var state))
            {
                throw new SqlErrorStandIn(4060, $"Cannot open database \"{database}\" requested by the login. The login failed.");
            }

            var client = match.Groups["client"].Value;
            if (string.Equals(client, EntraAdminClientId, StringComparison.OrdinalIgnoreCase))
            {
                return Dbo;
            }

            var user = state.Users.Values.FirstOrDefault(candidate => candidate.Type == 'E' && string.Equals(candidate.SidAsGuid, client, StringComparison.OrdinalIgnoreCase));
            return user?.Name ?? throw new SqlErrorStandIn(18456, "Login failed for user '<token-identified principal>'.");
        }

        private static readonly Regex Statement = new Regex(
            @"\G\s*(?:IF\s+(?<cond>(?:NOT\s+)?EXISTS\s*\(SELECT 1 FROM sys\.database_principals WHERE name = N'(?<cname>(?:[^']|'')*)'(?:\s+AND\s+sid\s+<>\s+(?<csid>0x[0-9A-F]+))?\)|IS_ROLEMEMBER\(N'(?<role>(?:[^']|'')*)',\s*N'(?<member>(?:[^']|'')*)'\)\s*=\s*(?<bit>[01]))\s+)?"
            + @"(?<stmt>DROP USER \[(?<drop>(?:[^\]]|\]\])*)\]|CREATE USER \[(?<create>(?:[^\]]|\]\])*)\] WITH SID = (?<sid>0x[0-9A-F]+), TYPE = (?<type>[EX])|ALTER ROLE \[db_owner\] ADD MEMBER \[(?<add>(?:[^\]]|\]\])*)\]);",
            RegexOptions.CultureInvariant);

        internal void Execute(string database, string principal, string batch)
        {
            Batches.Add(new KeyValuePair<string, string>(database, batch));
            var state = Databases[database];
            var position = 0;
            while (batch.Substring(position).Trim().Length > 0)
            {
                var match = Statement.Match(batch, position);
                if (!match.Success)
                {
                    throw new InvalidOperationException($"the Azure SQL emulator does not know the statement at: {batch.Substring(position).Trim()}");
                }

                position = match.Index + match.Length;
                if (match.Groups["cond"].Success || match.Groups["role"].Success)
                {
                    if (!Holds(state, match))
                    {
                        continue;
                    }
                }

                Run(state, principal, match);
            }
        }

        private static bool Holds(EmulatedDatabase state, Match match)
        {
            if (match.Groups["role"].Success)
            {
                var member = Unquote(match.Groups["member"].Value, "'");
                if (Unquote(match.Groups["role"].Value, "'") != "db_owner" || !state.Users.TryGetValue(member, out var principal) || principal.Type == 'E')
                {
                    return false;  // IS_ROLEMEMBER is NULL: the comparison is not true.
                }

                return (state.DbOwners.Contains(member) ? "1" : "0") == match.Groups["bit"].Value;
            }

            var name = Unquote(match.Groups["cname"].Value, "'");
            var exists = state.Users.TryGetValue(name, out var user)
                && (!match.Groups["csid"].Success || !user.Sid.SequenceEqual(Bytes(match.Groups["csid"].Value)));
            return match.Groups["cond"].Value.StartsWith("NOT", StringComparison.Ordinal) ? !exists : exists;
        }

        private static void Run(EmulatedDatabase state, string principal, Match match)
        {
            var mayAlterUsers = principal == Dbo || state.DbOwners.Contains(principal);
            if (match.Groups["create"].Success)
            {
                var name = Unquote(match.Groups["create"].Value, "]");
                if (!mayAlterUsers)
                {
                    throw new SqlErrorStandIn(15247, "User does not have permission to perform this action.");
                }

                var sid = Bytes(match.Groups["sid"].Value);
                if (match.Groups["type"].Value == "E" && sid.Length != 16)
                {
                    throw new InvalidOperationException($"the Azure SQL emulator knows TYPE = E only with the 16-byte SID of a GUID; got {sid.Length} bytes");
                }

                if (state.Users.ContainsKey(name))
                {
                    throw new SqlErrorStandIn(15023, $"User, group, or role '{name}' already exists in the current database.");
                }

                if (state.Users.Values.Any(user => user.Sid.SequenceEqual(sid)))
                {
                    throw new SqlErrorStandIn(15063, "The login already has an account under a different user name.");
                }

                state.Users[name] = new EmulatedUser(name, sid, match.Groups["type"].Value[0]);
            }
            else if (match.Groups["drop"].Success)
            {
                var name = Unquote(match.Groups["drop"].Value, "]");
                if (!mayAlterUsers || !state.Users.ContainsKey(name))
                {
                    throw new SqlErrorStandIn(15151, $"Cannot drop the user '{name}', because it does not exist or you do not have permission.");
                }

                state.Users.Remove(name);
                state.DbOwners.Remove(name);
            }
            else
            {
                var name = Unquote(match.Groups["add"].Value, "]");
                if (!(principal == Dbo || state.DbOwners.Contains(principal)))
                {
                    throw new SqlErrorStandIn(15151, "Cannot alter the role 'db_owner', because it does not exist or you do not have permission.");
                }

                if (!state.Users.ContainsKey(name))
                {
                    throw new SqlErrorStandIn(15151, $"Cannot add the principal '{name}', because it does not exist or you do not have permission.");
                }

                state.DbOwners.Add(name);
            }
        }

        private static readonly Regex MembershipQuery = new Regex(
            @"^SELECT COUNT\(\*\) FROM sys\.database_role_members AS m JOIN sys\.database_principals AS r ON r\.principal_id = m\.role_principal_id "
            + @"JOIN sys\.database_principals AS u ON u\.principal_id = m\.member_principal_id WHERE r\.name = N'db_owner' AND u\.name = N'(?<name>(?:[^']|'')*)'$",
            RegexOptions.CultureInvariant);

        /// <summary>A query's single value: the one query shape the script reads back.</summary>
        internal object Scalar(string database, string query)
        {
            var match = MembershipQuery.Match(query.Trim());
            if (!match.Success)
            {
                throw new InvalidOperationException($"the Azure SQL emulator does not know the query: {query}");
            }

            var name = Unquote(match.Groups["name"].Value, "'");
            var state = Databases[database];
            if (MembershipsTakenAway.Contains(name))
            {
                state.DbOwners.Remove(name);
            }

            return state.DbOwners.Contains(name) ? 1 : 0;
        }

        private static string Unquote(string text, string quote) => text.Replace(quote + quote, quote);

        private static byte[] Bytes(string hex) =>
            Enumerable.Range(0, (hex.Length - 2) / 2).Select(i => byte.Parse(hex.Substring(2 + 2 * i, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray();
    }

    /// <summary>
    /// Stands in for System.Data.SqlClient.SqlConnection with the members database-users.ps1 uses (ConnectionString,
    /// AccessToken, Open, CreateCommand, Dispose), over <see cref="AzureSqlEmulator"/>.
    /// </summary>
    public sealed class SqlConnectionStandIn : IDisposable
    {
        private readonly AzureSqlEmulator server;
        private string? principal;
        private string? database;

        internal SqlConnectionStandIn(AzureSqlEmulator server)
        {
            this.server = server;
        }

        public string ConnectionString { get; set; } = string.Empty;

        public string? AccessToken { get; set; }

        public bool Disposed { get; private set; }

        public void Open()
        {
            var parts = ConnectionString.Split(';').Select(part => part.Split(new[] { '=' }, 2)).Where(pair => pair.Length == 2)
                .ToDictionary(pair => pair[0].Trim(), pair => pair[1].Trim(), StringComparer.OrdinalIgnoreCase);
            var dataSource = Regex.Match(parts.TryGetValue("Server", out var value) ? value : string.Empty, @"^tcp:(?<host>[^,]+),1433$");
            if (!dataSource.Success || !parts.TryGetValue("Initial Catalog", out var catalog) || parts.GetValueOrDefault("Encrypt") != "True"
                || parts.GetValueOrDefault("TrustServerCertificate") != "False" || parts.ContainsKey("User ID") || parts.ContainsKey("Password"))
            {
                throw new InvalidOperationException("the emulator takes an encrypted tcp:<host>,1433 connection with an access token and no user or password; got " + ConnectionString);
            }

            principal = server.SignIn(dataSource.Groups["host"].Value, catalog, AccessToken);
            database = catalog;
        }

        public SqlCommandStandIn CreateCommand() => new SqlCommandStandIn(this);

        internal void Execute(string text)
        {
            if (principal == null || database == null || Disposed)
            {
                throw new InvalidOperationException("ExecuteNonQuery requires an open and available Connection.");
            }

            server.Execute(database, principal, text);
        }

        internal object Scalar(string text)
        {
            if (principal == null || database == null || Disposed)
            {
                throw new InvalidOperationException("ExecuteScalar requires an open and available Connection.");
            }

            return server.Scalar(database, text);
        }

        public void Dispose() => Disposed = true;
    }

    /// <summary>Stands in for System.Data.SqlClient.SqlCommand: CommandText, CommandTimeout, ExecuteNonQuery, ExecuteScalar.</summary>
    public sealed class SqlCommandStandIn
    {
        private readonly SqlConnectionStandIn connection;

        internal SqlCommandStandIn(SqlConnectionStandIn connection)
        {
            this.connection = connection;
        }

        public string CommandText { get; set; } = string.Empty;

        public int CommandTimeout { get; set; } = 30;

        public int ExecuteNonQuery()
        {
            connection.Execute(CommandText);
            return -1;
        }

        public object ExecuteScalar() => connection.Scalar(CommandText);
    }
}
