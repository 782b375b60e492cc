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
    /**
     * Globally unique: `suffix` comes from a random string kept in the stack's state. The primary's is
     * the files' account; the standby's, the delivery account of its nodes (`DeliveryStorage`).
     */
    storageAccount(suffix: string): string;
    /** Globally unique (`<name>.database.windows.net`). */
    sqlServer(suffix: string): string;
    /** An app's database on the cluster's SQL server. */
    sqlDatabase(app: string): string;
    /** An app's database restored to an instant (`key`: plan/restore.ts's `restoreKey`); app names have no hyphen, so it is no app's own. */
    restoredSqlDatabase(app: string, key: string): string;
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
    /** The SQL failover group: its name is its listener's, `<name>.database.windows.net`, globally unique. */
    failoverGroup(suffix: string): string;
    /** The Traffic Manager profile in front of both regions, and its name under trafficmanager.net (globally unique). */
    readonly trafficManagerProfile: string;
    trafficManagerDnsName(suffix: string): string;
}

/** Which region of the stack a set of names is for: its own, or the standby that takes over when it is lost. */
export type RegionRole = "primary" | "standby";

/** What a standby region's names carry, so that no name of the standby's equals one of the primary's. */
const standbyTag = "sb";

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

/**
 * The names of one region's resources. The primary's are the names the stack has always had; the
 * standby's carry `sb` (`rg-mx-prod-sb`, `mx-prod-sb-node-0`, computer `mxprodsb-0`, delivery
 * account `mxprodsb<suffix>`), and its settings blobs live under `standby/` in that account's
 * settings container.
 */
export function clusterNames(stack: string, role: RegionRole = "primary"): ClusterNames {
    const slug = stackSlug(stack);
    const tag = role === "standby" ? standbyTag : "";
    const compactStack = slug.replace(/-/g, "");
    const compact = (length: number) => `${compactStack.slice(0, length - tag.length)}${tag}`;
    const prefix = role === "standby" ? `mx-${slug}-${standbyTag}` : `mx-${slug}`;
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
        storageAccount: (suffix) => `mx${compact(24 - 2 - nameSuffixLength)}${suffix}`,
        sqlServer: (suffix) => `${prefix}-sql-${suffix}`,
        sqlDatabase: (app) => app,
        restoredSqlDatabase: (app, key) => `${app}-${key}`,
        keyVault: (suffix) => `kv-${compact(24 - 4 - nameSuffixLength)}-${suffix}`,
        vm: (index) => `${prefix}-node-${index}`,
        dataDisk: (index) => `${prefix}-node-${index}-data`,
        networkInterface: (index) => `${prefix}-node-${index}-nic`,
        nodeIdentity: (index) => `${prefix}-node-${index}-id`,
        appIdentity: (app) => `${prefix}-app-${app}-id`,
        sqlAdminIdentity: `${prefix}-sql-admin-id`,
        computerName: (index) => `mx${compact(10)}-${index}`,
        filesContainer: (app) => `files-${app}`,
        settingsBlob: (nodeName, app) => `${role === "standby" ? "standby/" : ""}nodes/${nodeName}/${app}.yaml`,
        failoverGroup: (suffix) => `mx-${slug}-fog-${suffix}`,
        trafficManagerProfile: `mx-${slug}-entry`,
        trafficManagerDnsName: (suffix) => `mx-${slug}-${suffix}`,
    };
}
