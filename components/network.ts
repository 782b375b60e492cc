import * as network from "@pulumi/azure-native/network";
import * as pulumi from "@pulumi/pulumi";
import { Zone } from "./config/contract";
import { Placement } from "./placement";
import { NodePlan } from "./plan/nodes";
import { AddressSpace, networkPrefix, NodeSubnetPlan, planNodeSubnets, primaryAddressSpace, subnetOfNode } from "./plan/nodeSubnets";
import { inboundRules } from "./plan/securityRules";

export interface NetworkArgs {
    readonly placement: Placement;
    readonly rdpSourceCidrs: readonly string[];
    readonly zones: readonly Zone[];
    /** The region's own address space; the stack's region's by default. */
    readonly addressSpace?: AddressSpace;
}

export interface NodeSubnet {
    readonly plan: NodeSubnetPlan;
    readonly id: pulumi.Output<string>;
}

/**
 * The nodes' network: per zone a subnet behind the shared NSG with a NAT gateway of its own, pinned
 * to that zone with its own zonal public IP, so that no node needs a public IP and losing a zone
 * leaves the other zones' outbound traffic alone. (azure-native's NAT gateway API, 2024-05-01, has
 * only the zonal Standard SKU.) A Microsoft.Storage service endpoint lets the storage account's
 * firewall tell the subnets' traffic apart; SQL and Key Vault are reached through private endpoints.
 */
export class ClusterNetwork extends pulumi.ComponentResource {
    readonly subnets: readonly NodeSubnet[];
    /** Where the private endpoints go: the first node subnet (they serve the whole virtual network). */
    readonly endpointSubnetId: pulumi.Output<string>;
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

        const virtualNetwork = new network.VirtualNetwork(`${name}-vnet`, {
            ...common,
            virtualNetworkName: placement.names.virtualNetwork,
            addressSpace: { addressPrefixes: [networkPrefix(args.addressSpace ?? primaryAddressSpace)] },
        }, { parent: this });

        const natGatewayIds: pulumi.Output<string>[] = [];
        this.subnets = planNodeSubnets(args.zones, args.addressSpace).map((plan) => {
            // A stack without zones keeps the logical names the single NAT gateway and subnet had.
            const zonal = plan.zone === undefined ? "" : `-${plan.zone}`;
            const natPublicIp = new network.PublicIPAddress(`${name}-nat-ip${plan.zone === undefined ? "" : `-${plan.key}`}`, {
                ...common,
                publicIpAddressName: plan.zone === undefined ? placement.names.natPublicIp : `${placement.names.natGateway}${zonal}-ip`,
                sku: { name: "Standard", tier: "Regional" },
                publicIPAllocationMethod: "Static",
                publicIPAddressVersion: "IPv4",
                zones: plan.zone === undefined ? undefined : [plan.zone],
            }, { parent: this });

            const natGateway = new network.NatGateway(`${name}-nat${plan.zone === undefined ? "" : `-${plan.key}`}`, {
                ...common,
                natGatewayName: `${placement.names.natGateway}${zonal}`,
                sku: { name: "Standard" },
                publicIpAddresses: [{ id: natPublicIp.id }],
                idleTimeoutInMinutes: 4,
                zones: plan.zone === undefined ? undefined : [plan.zone],
            }, { parent: this });
            natGatewayIds.push(natGateway.id);

            const subnet = new network.Subnet(plan.name === "nodes" ? `${name}-nodes` : `${name}-nodes-${plan.key}`, {
                resourceGroupName: placement.resourceGroupName,
                virtualNetworkName: virtualNetwork.name,
                subnetName: plan.name,
                addressPrefix: plan.addressPrefix,
                networkSecurityGroup: { id: securityGroup.id },
                natGateway: { id: natGateway.id },
                defaultOutboundAccess: false,
                serviceEndpoints: [{ service: "Microsoft.Storage" }],
            }, { parent: this });
            return { plan, id: subnet.id };
        });

        const first = this.subnets[0];
        if (first === undefined) {
            throw new Error("the node network has no subnet");
        }
        this.endpointSubnetId = first.id;
        this.virtualNetworkId = virtualNetwork.id;
        this.natGatewayIds = natGatewayIds;
        this.registerOutputs({ subnetIds: this.subnetIds, virtualNetworkId: this.virtualNetworkId });
    }

    get subnetIds(): pulumi.Output<string>[] {
        return this.subnets.map((subnet) => subnet.id);
    }

    /** The id of the subnet a node's NIC goes in: its zone's. */
    subnetIdOf(node: NodePlan): pulumi.Output<string> {
        const plan = subnetOfNode(node, this.subnets.map((subnet) => subnet.plan));
        const subnet = this.subnets.find((candidate) => candidate.plan === plan);
        if (subnet === undefined) {
            throw new Error(`no subnet resource for ${plan.name}`);
        }
        return subnet.id;
    }
}
