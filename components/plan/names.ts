/**
 * Azure names of everything the cluster creates, derived from the stack name so that two stacks
 * never collide, and fixed per node index so that adding a node never renames another.
 * Rules: https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules
 */

export interface ClusterNames {
    readonly prefix: string;
    readonly resourceGroup: string;
    readonly virtualNetwork: string;
    readonly subnet: string;
    readonly securityGroup: string;
    readonly natGateway: string;
    readonly natPublicIp: string;
    readonly frontendPublicIp: string;
    readonly bastionHost: string;
    readonly bastionPublicIp: string;
    readonly loadBalancer: string;
    readonly scaleSet: string;
    readonly settingsContainer: string;
    /** Globally unique: `suffix` comes from a random string kept in the stack's state. */
    storageAccount(suffix: string): string;
    /** Globally unique (`<name>.database.windows.net`). */
    sqlServer(suffix: string): string;
    /** An app's database on the cluster's SQL server. */
    sqlDatabase(app: string): string;
    /** Globally unique (`<name>.vault.azure.net`), 3-24 characters. */
    keyVault(suffix: string): string;
    vm(index: number): string;
    dataDisk(index: number): string;
    networkInterface(index: number): string;
    /** The node's user-assigned managed identity (3-128 characters). */
    nodeIdentity(index: number): string;
    /** The user-assigned identity an app's runtime signs in with; also its database user's name. */
    appIdentity(app: string): string;
    /** The user-assigned identity that is the SQL server's Microsoft Entra admin. */
    readonly sqlAdminIdentity: string;
    /** The Windows computer name, at most 15 characters. */
    computerName(index: number): string;
    filesContainer(app: string): string;
    settingsBlob(nodeName: string, app: string): string;
}

export const nameSuffixLength = 6;

/** `dev`, `Prod_EU` -> `dev`, `prod-eu`: lower-case letters, digits and single hyphens, at most 12. */
export function stackSlug(stack: string): string {
    const slug = stack
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-+|-+$/g, "")
        .slice(0, 12)
        .replace(/-+$/g, "");
    return slug.length > 0 ? slug : "stack";
}

export function clusterNames(stack: string): ClusterNames {
    const slug = stackSlug(stack);
    const compact = slug.replace(/-/g, "");
    const prefix = `mx-${slug}`;
    return {
        prefix,
        resourceGroup: `rg-${prefix}`,
        virtualNetwork: `${prefix}-vnet`,
        subnet: "nodes",
        securityGroup: `${prefix}-nodes-nsg`,
        natGateway: `${prefix}-nat`,
        natPublicIp: `${prefix}-nat-ip`,
        frontendPublicIp: `${prefix}-lb-ip`,
        bastionHost: `${prefix}-bastion`,
        bastionPublicIp: `${prefix}-bastion-ip`,
        loadBalancer: `${prefix}-lb`,
        scaleSet: `${prefix}-vmss`,
        settingsContainer: "node-settings",
        storageAccount: (suffix) => `mx${compact.slice(0, 24 - 2 - nameSuffixLength)}${suffix}`,
        sqlServer: (suffix) => `${prefix}-sql-${suffix}`,
        sqlDatabase: (app) => app,
        keyVault: (suffix) => `kv-${compact.slice(0, 24 - 4 - nameSuffixLength)}-${suffix}`,
        vm: (index) => `${prefix}-node-${index}`,
        dataDisk: (index) => `${prefix}-node-${index}-data`,
        networkInterface: (index) => `${prefix}-node-${index}-nic`,
        nodeIdentity: (index) => `${prefix}-node-${index}-id`,
        appIdentity: (app) => `${prefix}-app-${app}-id`,
        sqlAdminIdentity: `${prefix}-sql-admin-id`,
        computerName: (index) => `mx${compact.slice(0, 10)}-${index}`,
        filesContainer: (app) => `files-${app}`,
        settingsBlob: (nodeName, app) => `nodes/${nodeName}/${app}.yaml`,
    };
}
