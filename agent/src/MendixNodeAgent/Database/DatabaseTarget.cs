using System;
using System.Collections.Generic;
using System.Globalization;
using MendixNodeAgent.Blob;

namespace MendixNodeAgent.Database
{
    /// <summary>The app's database as its runtime settings name it (secrets resolved): where, which, and who signs in.</summary>
    internal sealed class DatabaseTarget
    {
        public const int DefaultPort = 1433;

        public DatabaseTarget(string host, int port, string databaseName, string userName, string password)
        {
            Host = host;
            Port = port;
            DatabaseName = databaseName;
            UserName = userName;
            Password = password;
        }

        public string Host { get; }

        public int Port { get; }

        public string DatabaseName { get; }

        public string UserName { get; }

        public string Password { get; }

        /// <summary>For the log and errors; never the password.</summary>
        public string Describe() => $"database '{DatabaseName}' on {Host}:{Port.ToString(CultureInfo.InvariantCulture)} as '{UserName}'";

        /// <summary>From runtimeSettings: DatabaseHost is host[:port], as Mendix writes it (mxdev-sql.database.windows.net:1433).</summary>
        public static DatabaseTarget Of(NodeSettings blob)
        {
            string Setting(string key)
            {
                foreach (var setting in blob.RuntimeSettings)
                {
                    if (setting.Key == key)
                    {
                        return setting.Value;
                    }
                }

                throw new InvalidOperationException($"{blob.SourceFile}: runtimeSettings.{key} is missing after validation");
            }

            var hostAndPort = Setting("DatabaseHost").Trim();
            var host = hostAndPort;
            var port = DefaultPort;
            var colon = hostAndPort.LastIndexOf(':');
            if (colon > 0 && int.TryParse(hostAndPort.Substring(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0 && parsed <= 65535)
            {
                host = hostAndPort.Substring(0, colon);
                port = parsed;
            }

            return new DatabaseTarget(host, port, Setting("DatabaseName"), Setting("DatabaseUserName"), Setting("DatabasePassword"));
        }
    }
}
