using System;
using System.Globalization;
using System.Linq;
using MendixNodeAgent.Blob;

namespace MendixNodeAgent.Database
{
    /// <summary>
    /// The app's database as its runtime settings name it (secrets resolved): where, which, and who signs in: the SQL
    /// login and its password, or the app's own managed identity (<c>app.identityClientId</c>), as its runtime will.
    /// </summary>
    internal sealed class DatabaseTarget
    {
        public const int DefaultPort = 1433;

        private DatabaseTarget(string host, int port, string databaseName, string? userName, string? password, string? identityClientId)
        {
            Host = host;
            Port = port;
            DatabaseName = databaseName;
            UserName = userName;
            Password = password;
            IdentityClientId = identityClientId;
        }

        public string Host { get; }

        public int Port { get; }

        public string DatabaseName { get; }

        /// <summary>The SQL login; null when the app signs in with its identity.</summary>
        public string? UserName { get; }

        /// <summary>The SQL login's password; null when the app signs in with its identity.</summary>
        public string? Password { get; }

        /// <summary>The client id of the managed identity the app signs in as; null when it signs in with the SQL login.</summary>
        public string? IdentityClientId { get; }

        public static DatabaseTarget WithPassword(string host, int port, string databaseName, string userName, string password) =>
            new DatabaseTarget(host, port, databaseName, userName, password, null);

        public static DatabaseTarget WithIdentity(string host, int port, string databaseName, string identityClientId) =>
            new DatabaseTarget(host, port, databaseName, null, null, identityClientId);

        /// <summary>For the log and errors; never the password.</summary>
        public string Describe() => $"database '{DatabaseName}' on {Host}:{Port.ToString(CultureInfo.InvariantCulture)} as "
            + (IdentityClientId == null ? $"'{UserName}'" : $"managed identity {IdentityClientId}");

        /// <summary>From runtimeSettings: DatabaseHost is host[:port], as Mendix writes it (mxdev-sql.database.windows.net:1433).</summary>
        public static DatabaseTarget Of(NodeSettings blob)
        {
            string Setting(string key) => blob.RuntimeSettings.Where(setting => setting.Key == key).Select(setting => setting.Value).FirstOrDefault()
                ?? throw new InvalidOperationException($"{blob.SourceFile}: runtimeSettings.{key} is missing after validation");

            var hostAndPort = Setting("DatabaseHost").Trim();
            var host = hostAndPort;
            var port = DefaultPort;
            var colon = hostAndPort.LastIndexOf(':');
            if (colon > 0 && int.TryParse(hostAndPort.Substring(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0 && parsed <= 65535)
            {
                host = hostAndPort.Substring(0, colon);
                port = parsed;
            }

            var identity = blob.App.IdentityClientId;
            return identity == null
                ? WithPassword(host, port, Setting("DatabaseName"), Setting("DatabaseUserName"), Setting("DatabasePassword"))
                : WithIdentity(host, port, Setting("DatabaseName"), identity);
        }
    }
}
