using System;
using System.Globalization;
#if NETFRAMEWORK
using System.Data.SqlClient;
#endif

namespace MendixNodeAgent.Database
{
    /// <summary>
    /// Signs in to an Azure SQL database with .NET Framework's own System.Data.SqlClient (part of .NET Framework 4.8:
    /// nothing to ship), encrypted and with the server's certificate checked (Encrypt=True, TrustServerCertificate=False,
    /// as Azure SQL's connection strings have it), and closes the connection again. Only .NET Framework builds have it;
    /// the test build (net10.0) uses fakes.
    /// </summary>
    internal sealed class SqlServerProbe : IDatabaseProbe
    {
        public void SignIn(DatabaseTarget target, TimeSpan timeout)
        {
#if NETFRAMEWORK
            var builder = new SqlConnectionStringBuilder
            {
                DataSource = "tcp:" + target.Host + "," + target.Port.ToString(CultureInfo.InvariantCulture),
                InitialCatalog = target.DatabaseName,
                UserID = target.UserName,
                Password = target.Password,
                Encrypt = true,
                TrustServerCertificate = false,
                ConnectTimeout = Math.Max(1, (int)timeout.TotalSeconds),
                Pooling = false,
                ApplicationName = "mendix-node-agent",
            };
            try
            {
                using (var connection = new SqlConnection(builder.ConnectionString))
                {
                    connection.Open();
                }
            }
            catch (SqlException e)
            {
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
