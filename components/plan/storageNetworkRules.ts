/**
 * The storage account's firewall: deny by default; let in the node subnets (through their
 * Microsoft.Storage service endpoint) and the addresses the deployment runs from, which write the
 * agent and settings blobs. Trusted Azure services (backup, monitoring) keep their access.
 */
export interface StorageNetworkRuleSet<SubnetId> {
    readonly defaultAction: "Deny";
    readonly bypass: "AzureServices";
    readonly virtualNetworkRules: { readonly virtualNetworkResourceId: SubnetId; readonly action: "Allow" }[];
    readonly ipRules: { readonly iPAddressOrRange: string; readonly action: "Allow" }[];
}

/** Azure Storage takes a single address as `a.b.c.d`, not `a.b.c.d/32`. */
export function storageIpRange(cidr: string): string {
    return cidr.endsWith("/32") ? cidr.slice(0, -"/32".length) : cidr;
}

export function storageNetworkRules<SubnetId>(nodeSubnetIds: readonly SubnetId[], deployerCidrs: readonly string[]): StorageNetworkRuleSet<SubnetId> {
    return {
        defaultAction: "Deny",
        bypass: "AzureServices",
        virtualNetworkRules: nodeSubnetIds.map((subnetId) => ({ virtualNetworkResourceId: subnetId, action: "Allow" as const })),
        ipRules: deployerCidrs.map((cidr) => ({ iPAddressOrRange: storageIpRange(cidr), action: "Allow" })),
    };
}
