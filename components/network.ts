import * as network from "@pulumi/azure-native/network";
import * as pulumi from "@pulumi/pulumi";
import { Zone } from "./config/contract";
import { Placement } from "./placement";
import { inboundRules } from "./plan/securityRules";

export interface NetworkArgs {
    readonly placement: Placement;
    readonly rdpSourceCidrs: readonly string[];
    readonly zones: readonly Zone[];
}

export const addressSpace = "10.42.0.0/16";
export const nodeSubnetPrefix = "10.42.1.0/24";

/**
 * The nodes' network: a subnet behind an NSG, with a NAT gateway for outbound traffic, so that
 * no node needs a public IP of its own. A Microsoft.Storage service endpoint lets the storage
 * account's firewall tell the subnet's traffic apart; SQL is reached through a private endpoint.
 */
export class ClusterNetwork extends pulumi.ComponentResource {
    readonly subnetId: pulumi.Output<string>;
    readonly virtualNetworkId: pulumi.Output<string>;
    /** Every NAT gateway the nodes leave through. */
    readonly natGatewayIds: readonly pulumi.Output<string>[];

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mendix:cluster:Network", name, {}, opts);
        const { placement } = args;
        const common = { resourceGroupName: placement.resourceGroupName, location: placement.location, tags: placement.tags };

        const securityGroup = new network.NetworkSecurityGroup(`${name}-nsg`, {
            ...common,
            networkSecurityGroupName: placement.names.securityGroup,
            securityRules: inboundRules(args.rdpSourceCidrs),
        }, { parent: this });

        const natPublicIp = new network.PublicIPAddress(`${name}-nat-ip`, {
            ...common,
            publicIpAddressName: placement.names.natPublicIp,
            sku: { name: "Standard", tier: "Regional" },
            publicIPAllocationMethod: "Static",
            publicIPAddressVersion: "IPv4",
        }, { parent: this });

        const natGateway = new network.NatGateway(`${name}-nat`, {
            ...common,
            natGatewayName: placement.names.natGateway,
            sku: { name: "Standard" },
            publicIpAddresses: [{ id: natPublicIp.id }],
            idleTimeoutInMinutes: 4,
        }, { parent: this });

        const virtualNetwork = new network.VirtualNetwork(`${name}-vnet`, {
            ...common,
            virtualNetworkName: placement.names.virtualNetwork,
            addressSpace: { addressPrefixes: [addressSpace] },
        }, { parent: this });

        const subnet = new network.Subnet(`${name}-nodes`, {
            resourceGroupName: placement.resourceGroupName,
            virtualNetworkName: virtualNetwork.name,
            subnetName: placement.names.subnet,
            addressPrefix: nodeSubnetPrefix,
            networkSecurityGroup: { id: securityGroup.id },
            natGateway: { id: natGateway.id },
            defaultOutboundAccess: false,
            serviceEndpoints: [{ service: "Microsoft.Storage" }, { service: "Microsoft.KeyVault" }],
        }, { parent: this });

        this.subnetId = subnet.id;
        this.virtualNetworkId = virtualNetwork.id;
        this.natGatewayIds = [natGateway.id];
        this.registerOutputs({ subnetId: this.subnetId, virtualNetworkId: this.virtualNetworkId });
    }
}
