using System;
using System.Globalization;
using MendixNodeAgent.Identity;
#if NETFRAMEWORK
using System.Data.SqlClient;
#endif

namespace MendixNodeAgent.Database
{
    /// <summary>
    /// Signs in to an Azure SQL database with .NET Framework's own System.Data.SqlClient (part of .NET Framework 4.8:
    /// nothing to ship), encrypted and with the server's certificate checked (Encrypt=True, TrustServerCertificate=False,
    /// as Azure SQL's connection strings have it), and closes the connection again. An app that signs in with its
    /// managed identity is probed as that identity, as its runtime's JDBC driver will sign in: with an access token for
    /// https://database.windows.net/ from the instance metadata service (SqlConnection.AccessToken, .NET Framework 4.6
    /// and later; Microsoft Learn, "Connect to Azure SQL with Microsoft Entra authentication and SqlClient"), so a missing
    /// identity, database user or grant shows here, before the app is stopped or started. Only .NET Framework builds
    /// have the client; the test build (net10.0) uses fakes.
    /// </summary>
    internal sealed class SqlServerProbe : IDatabaseProbe
    {
        public const string SqlResource = "https://database.windows.net/";

        private readonly IManagedIdentityTokens tokens;

        public SqlServerProbe(IManagedIdentityTokens tokens)
        {
            this.tokens = tokens;
        }

        public void SignIn(DatabaseTarget target, TimeSpan timeout)
        {
            string? token = null;
            if (target.IdentityClientId != null)
            {
                try
                {
                    token = tokens.Token(SqlResource, target.IdentityClientId, "app.identityClientId");
                }
                catch (ManagedIdentityTokenException e)
                {
                    throw new DatabaseUnavailableException(e.Message);
                }
            }
#if NETFRAMEWORK
            var builder = new SqlConnectionStringBuilder
            {
                DataSource = "tcp:" + target.Host + "," + target.Port.ToString(CultureInfo.InvariantCulture),
                InitialCatalog = target.DatabaseName,
                Encrypt = true,
                TrustServerCertificate = false,
                ConnectTimeout = Math.Max(1, (int)timeout.TotalSeconds),
                Pooling = false,
                ApplicationName = "mendix-node-agent",
            };
            if (token == null)
            {
                builder.UserID = target.UserName;
                builder.Password = target.Password;
            }

            try
            {
                using (var connection = new SqlConnection(builder.ConnectionString))
                {
                    if (token != null)
                    {
                        connection.AccessToken = token;
                    }

                    connection.Open();
                }
            }
            catch (SqlException e)
            {
                if (token != null && target.IdentityClientId != null)
                {
                    // A refused token may be one issued before a change (a new user, a new grant): ask afresh next time.
                    tokens.Forget(SqlResource, target.IdentityClientId);
                }

                throw new DatabaseUnavailableException($"SQL error {e.Number.ToString(CultureInfo.InvariantCulture)}: {e.Message.Trim()}");
            }
            catch (InvalidOperationException e)
            {
                throw new DatabaseUnavailableException(e.Message.Trim());
            }
#else
            throw new DatabaseUnavailableException(
                $"this build has no SQL client (System.Data.SqlClient is part of .NET Framework only): {target.Describe()} cannot be asked within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s; run the net48 build on the node");
#endif
        }
    }
}
