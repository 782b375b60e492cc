import * as network from "@pulumi/azure-native/network";
import * as privatedns from "@pulumi/azure-native/privatedns";
import * as pulumi from "@pulumi/pulumi";
import { Placement } from "./placement";
import { sqlPrivateDnsZone } from "./plan/sqlEndpoint";

/** What a service's private endpoint connects to, and the private DNS zone Azure names for it (public cloud). */
export interface PrivateLinkTarget {
    /** Short name in the endpoint's Azure name (`<prefix>-<short>-pe`) and its connection. */
    readonly short: string;
    /** The private-link sub-resource: `sqlServer` for SQL, `vault` for Key Vault. */
    readonly groupId: string;
    readonly dnsZone: string;
}

/** Azure's private DNS zones per service: "Azure Private Endpoint private DNS zone values". */
export const privateLinkTargets = {
    sql: { short: "sql", groupId: "sqlServer", dnsZone: sqlPrivateDnsZone },
    keyVault: { short: "kv", groupId: "vault", dnsZone: "privatelink.vaultcore.azure.net" },
    /** Blob storage ("Use private endpoints for Azure Storage", MicrosoftDocs/azure-docs `articles/storage/common/storage-private-endpoints.md`). */
    blob: { short: "blob", groupId: "blob", dnsZone: "privatelink.blob.core.windows.net" },
} as const satisfies Record<string, PrivateLinkTarget>;

/** A private DNS zone another region's endpoint already made, which this endpoint registers in too. */
export interface SharedDnsZone {
    readonly id: pulumi.Input<string>;
    readonly name: pulumi.Input<string>;
    readonly resourceGroupName: pulumi.Input<string>;
}

export interface PrivateEndpointArgs {
    readonly placement: Placement;
    readonly target: PrivateLinkTarget;
    readonly resourceId: pulumi.Input<string>;
    readonly subnetId: pulumi.Input<string>;
    readonly virtualNetworkId: pulumi.Input<string>;
    /**
     * Register in this zone (and link it to the endpoint's network) instead of making one: one zone
     * for both SQL servers of a failover group, as Azure SQL's guide asks.
     */
    readonly sharedZone?: SharedDnsZone;
    /**
     * The shared zone is already linked to this endpoint's network, by another endpoint there: no
     * second link (Azure links a network to a zone once).
     */
    readonly zoneLinkedToNetwork?: boolean;
    /** Tells this endpoint from another of the same service in the network: `<prefix>-<short>-<purpose>-pe`. */
    readonly purpose?: string;
}

/**
 * A service's private endpoint in the node network, and the private DNS zone, linked to the virtual
 * network, that makes the service's public host name resolve to the endpoint's private address
 * there: the nodes keep the host name they connect to, and the service needs no public endpoint.
 */
export class PrivateEndpoint extends pulumi.ComponentResource {
    readonly privateEndpointId: pulumi.Output<string>;
    /** The zone the endpoint's record is in, for another region's endpoint to share. */
    readonly zone: SharedDnsZone;

    constructor(name: string, args: PrivateEndpointArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mendix:cluster:PrivateEndpoint", name, {}, opts);
        const { placement, target } = args;

        const endpoint = new network.PrivateEndpoint(`${name}-endpoint`, {
            resourceGroupName: placement.resourceGroupName,
            location: placement.location,
            tags: placement.tags,
            privateEndpointName: `${placement.names.prefix}-${target.short}${args.purpose === undefined ? "" : `-${args.purpose}`}-pe`,
            subnet: { id: args.subnetId },
            privateLinkServiceConnections: [{ name: target.short, privateLinkServiceId: args.resourceId, groupIds: [target.groupId] }],
        }, { parent: this });

        const zone: SharedDnsZone = args.sharedZone ?? ((created) => ({ id: created.id, name: created.name, resourceGroupName: placement.resourceGroupName }))(
            new privatedns.PrivateZone(`${name}-zone`, {
                resourceGroupName: placement.resourceGroupName,
                location: "Global",
                tags: placement.tags,
                privateZoneName: target.dnsZone,
            }, { parent: this }));

        if (args.zoneLinkedToNetwork !== true) {
            new privatedns.VirtualNetworkLink(`${name}-zone-link`, {
                resourceGroupName: zone.resourceGroupName,
                location: "Global",
                tags: placement.tags,
                privateZoneName: zone.name,
                virtualNetworkLinkName: `${placement.names.prefix}-vnet`,
                virtualNetwork: { id: args.virtualNetworkId },
                registrationEnabled: false,
            }, { parent: this });
        }

        new network.PrivateDnsZoneGroup(`${name}-dns`, {
            resourceGroupName: placement.resourceGroupName,
            privateEndpointName: endpoint.name,
            privateDnsZoneGroupName: "default",
            privateDnsZoneConfigs: [{ name: target.short, privateDnsZoneId: zone.id }],
        }, { parent: this });

        this.privateEndpointId = endpoint.id;
        this.zone = zone;
        this.registerOutputs({ privateEndpointId: this.privateEndpointId });
    }
}
