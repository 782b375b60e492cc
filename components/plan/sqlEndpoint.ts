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

/** `<server>.database.windows.net:1433`, as the Mendix runtime's DatabaseHost. */
export function databaseHost(serverName: string): string {
    return `${sqlServerFqdn(serverName)}:${sqlPort}`;
}
