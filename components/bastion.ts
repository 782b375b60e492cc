import * as network from "@pulumi/azure-native/network";
import * as pulumi from "@pulumi/pulumi";
import { Placement } from "./placement";

export interface BastionArgs {
    readonly placement: Placement;
    /** The node subnets: the Bastion subnet is created after them, since Azure changes one subnet of a network at a time. */
    readonly nodeSubnetIds: readonly pulumi.Input<string>[];
}

/**
 * Azure requires the name AzureBastionSubnet and a /26 or larger for it (Microsoft Learn, "About
 * Azure Bastion configuration settings", Azure Bastion subnet), inside the cluster's 10.42.0.0/16.
 */
export const bastionSubnetName = "AzureBastionSubnet";
export const bastionSubnetPrefix = "10.42.250.0/26";

/**
 * The way onto a node without a public address: an Azure Bastion host, Standard SKU with native
 * client support (`az network bastion rdp` / `tunnel` need it), on its own Standard public IP, in
 * the subnet Azure requires for it. It reaches the nodes' private addresses on 3389, which the
 * node NSG lets in from the Bastion subnet.
 */
export class ClusterBastion extends pulumi.ComponentResource {
    readonly hostName: pulumi.Output<string>;

    constructor(name: string, args: BastionArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mendix:cluster:Bastion", name, {}, opts);
        const { placement } = args;
        const common = { resourceGroupName: placement.resourceGroupName, location: placement.location, tags: placement.tags };

        const subnet = new network.Subnet(`${name}-subnet`, {
            resourceGroupName: placement.resourceGroupName,
            virtualNetworkName: pulumi.all([...args.nodeSubnetIds]).apply(() => placement.names.virtualNetwork),
            subnetName: bastionSubnetName,
            addressPrefix: bastionSubnetPrefix,
        }, { parent: this });

        const publicIp = new network.PublicIPAddress(`${name}-ip`, {
            ...common,
            publicIpAddressName: placement.names.bastionPublicIp,
            sku: { name: "Standard", tier: "Regional" },
            publicIPAllocationMethod: "Static",
            publicIPAddressVersion: "IPv4",
        }, { parent: this });

        const host = new network.BastionHost(`${name}-host`, {
            ...common,
            bastionHostName: placement.names.bastionHost,
            sku: { name: "Standard" },
            enableTunneling: true,
            ipConfigurations: [{ name: "primary", subnet: { id: subnet.id }, publicIPAddress: { id: publicIp.id } }],
        }, { parent: this });

        this.hostName = host.name;
        this.registerOutputs({ hostName: this.hostName });
    }
}
