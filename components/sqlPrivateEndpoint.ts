import * as network from "@pulumi/azure-native/network";
import * as privatedns from "@pulumi/azure-native/privatedns";
import * as pulumi from "@pulumi/pulumi";
import { Placement } from "./placement";
import { sqlPrivateDnsZone } from "./plan/sqlEndpoint";

export interface SqlPrivateEndpointArgs {
    readonly placement: Placement;
    readonly serverId: pulumi.Input<string>;
    readonly subnetId: pulumi.Input<string>;
    readonly virtualNetworkId: pulumi.Input<string>;
}

/**
 * The SQL server's private endpoint in the node subnet, and the private DNS zone that makes
 * `<server>.database.windows.net` resolve to its private address inside the virtual network: the
 * nodes keep the host name they connect to, and the server needs no public endpoint.
 */
export class SqlPrivateEndpoint extends pulumi.ComponentResource {
    readonly privateEndpointId: pulumi.Output<string>;

    constructor(name: string, args: SqlPrivateEndpointArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mendix:cluster:SqlPrivateEndpoint", name, {}, opts);
        const { placement } = args;

        const endpoint = new network.PrivateEndpoint(`${name}-endpoint`, {
            resourceGroupName: placement.resourceGroupName,
            location: placement.location,
            tags: placement.tags,
            privateEndpointName: `${placement.names.prefix}-sql-pe`,
            subnet: { id: args.subnetId },
            privateLinkServiceConnections: [{ name: "sql", privateLinkServiceId: args.serverId, groupIds: ["sqlServer"] }],
        }, { parent: this });

        const zone = new privatedns.PrivateZone(`${name}-zone`, {
            resourceGroupName: placement.resourceGroupName,
            location: "Global",
            tags: placement.tags,
            privateZoneName: sqlPrivateDnsZone,
        }, { parent: this });

        new privatedns.VirtualNetworkLink(`${name}-zone-link`, {
            resourceGroupName: placement.resourceGroupName,
            location: "Global",
            tags: placement.tags,
            privateZoneName: zone.name,
            virtualNetworkLinkName: `${placement.names.prefix}-vnet`,
            virtualNetwork: { id: args.virtualNetworkId },
            registrationEnabled: false,
        }, { parent: this });

        new network.PrivateDnsZoneGroup(`${name}-dns`, {
            resourceGroupName: placement.resourceGroupName,
            privateEndpointName: endpoint.name,
            privateDnsZoneGroupName: "default",
            privateDnsZoneConfigs: [{ name: "sql", privateDnsZoneId: zone.id }],
        }, { parent: this });

        this.privateEndpointId = endpoint.id;
        this.registerOutputs({ privateEndpointId: this.privateEndpointId });
    }
}
