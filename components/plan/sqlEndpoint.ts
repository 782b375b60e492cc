/**
 * Where the nodes reach an app's database, known before the SQL server exists: Azure names a
 * logical server's endpoint `<server>.database.windows.net` in its public cloud ("Azure SQL
 * Database and Azure Synapse Analytics connectivity architecture", and the server's
 * `fullyQualifiedDomainName`). The settings blobs are rendered from this plan, not from the
 * server's outputs, so that nothing a node needs to start preparing waits for SQL; the database
 * component checks Azure's answer against it.
 */

export const sqlPort = 1433;

/** The DNS suffix of Azure SQL's logical servers in Azure's public cloud. */
export const sqlServerDnsSuffix = "database.windows.net";

/** Azure's private DNS zone for SQL private endpoints (public cloud). */
export const sqlPrivateDnsZone = `privatelink.${sqlServerDnsSuffix}`;

export function sqlServerFqdn(serverName: string): string {
    return `${serverName}.${sqlServerDnsSuffix}`;
}

/** The server's name in `<server>.database.windows.net`, with or without its port. */
export function serverNameOf(host: string): string {
    const match = new RegExp(`^([a-z0-9-]+)\\.${sqlServerDnsSuffix.replace(/\./g, "\\.")}(:\\d+)?$`).exec(host);
    if (match?.[1] === undefined) {
        throw new Error(`not a SQL server's host name (<server>.${sqlServerDnsSuffix}): ${host}`);
    }
    return match[1];
}

/** `<server>.database.windows.net:1433`, as the Mendix runtime's DatabaseHost. */
export function databaseHost(serverName: string): string {
    return `${sqlServerFqdn(serverName)}:${sqlPort}`;
}

/**
 * The `DatabaseJdbcUrl` with which a Mendix 10.10+ runtime signs in to an app's database as a
 * user-assigned managed identity, and no user or password: the runtime hands the URL to its
 * bundled Microsoft JDBC Driver for SQL Server (mendix/docs `refguide10/runtime/custom-settings/_index.md`,
 * "Microsoft Azure SQL": "appending `Authentication=ActiveDirectoryDefault` to `DatabaseJdbcUrl`").
 *
 * `ActiveDirectoryManagedIdentity` with `msiClientId` asks the instance metadata service for the
 * token of exactly that identity, with no credential chain to walk (microsoft/mssql-jdbc,
 * `SQLServerConnection.java`: the client id is the `user` property if one is set, else
 * `msiClientId`; a non-empty password is refused; `ActiveDirectoryMSI` is its older alias). The
 * value exists since mssql-jdbc 12.1.0 and `ActiveDirectoryDefault` since 12.2.0 (its CHANGELOG):
 * a runtime that documents `ActiveDirectoryDefault` ships 12.2 or later, so it knows this value too.
 * The other keys are those Azure's own JDBC connection strings carry.
 */
export function managedIdentityJdbcUrl(host: string, databaseName: string, clientId: string): string {
    for (const [what, value] of [["host", host], ["database name", databaseName], ["client id", clientId]] as const) {
        if (!/^[A-Za-z0-9.:_-]+$/.test(value)) {
            throw new Error(`a JDBC URL's ${what} must be letters, digits, '.', ':', '_' or '-'; got ${JSON.stringify(value)}`);
        }
    }
    return [
        `jdbc:sqlserver://${host}`,
        `databaseName=${databaseName}`,
        "encrypt=true",
        "trustServerCertificate=false",
        `hostNameInCertificate=*.${sqlServerDnsSuffix}`,
        "loginTimeout=30",
        "authentication=ActiveDirectoryManagedIdentity",
        `msiClientId=${clientId}`,
    ].join(";");
}
