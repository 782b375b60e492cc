import * as network from "@pulumi/azure-native/network";
import * as pulumi from "@pulumi/pulumi";
import { Zone } from "./config/contract";
import { Placement } from "./placement";
import { required } from "./required";
import { backendPoolName, frontendName, probeIntervalSeconds, probeThreshold, webPorts } from "./plan/loadBalancing";

export interface LoadBalancerArgs {
    readonly placement: Placement;
    readonly zones: readonly Zone[];
    /** The public IP's DNS name label; undefined: no DNS name. */
    readonly dnsLabel: pulumi.Input<string> | undefined;
}

/** A Standard public load balancer in front of every node, on a zone-redundant frontend IP. */
export class ClusterLoadBalancer extends pulumi.ComponentResource {
    readonly backendPoolId: pulumi.Output<string>;
    readonly loadBalancerId: pulumi.Output<string>;
    readonly publicIpId: pulumi.Output<string>;
    readonly publicIpAddress: pulumi.Output<string>;
    /** `<dnsLabel>.<location>.cloudapp.azure.com`, or undefined without a label. */
    readonly fqdn: pulumi.Output<string | undefined>;

    constructor(name: string, args: LoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mendix:cluster:LoadBalancer", name, {}, opts);
        const { placement } = args;
        const lbName = placement.names.loadBalancer;
        const lbId = pulumi.interpolate`${placement.resourceGroupId}/providers/Microsoft.Network/loadBalancers/${lbName}`;
        const childId = (kind: string, child: string) => pulumi.interpolate`${lbId}/${kind}/${child}`;

        const publicIp = new network.PublicIPAddress(`${name}-ip`, {
            resourceGroupName: placement.resourceGroupName,
            location: placement.location,
            tags: placement.tags,
            publicIpAddressName: placement.names.frontendPublicIp,
            sku: { name: "Standard", tier: "Regional" },
            publicIPAllocationMethod: "Static",
            publicIPAddressVersion: "IPv4",
            zones: args.zones.length > 0 ? ["1", "2", "3"] : undefined,
            dnsSettings: args.dnsLabel === undefined ? undefined : { domainNameLabel: args.dnsLabel },
        }, { parent: this });

        const loadBalancer = new network.LoadBalancer(`${name}-lb`, {
            resourceGroupName: placement.resourceGroupName,
            location: placement.location,
            tags: placement.tags,
            loadBalancerName: lbName,
            sku: { name: "Standard", tier: "Regional" },
            frontendIPConfigurations: [{ name: frontendName, publicIPAddress: { id: publicIp.id } }],
            backendAddressPools: [{ name: backendPoolName }],
            probes: webPorts.map((web) => ({
                name: web.name,
                protocol: web.probeProtocol,
                port: web.port,
                requestPath: web.probePath,
                intervalInSeconds: probeIntervalSeconds,
                probeThreshold,
            })),
            loadBalancingRules: webPorts.map((web) => ({
                name: web.name,
                protocol: "Tcp",
                frontendPort: web.port,
                backendPort: web.port,
                frontendIPConfiguration: { id: childId("frontendIPConfigurations", frontendName) },
                backendAddressPool: { id: childId("backendAddressPools", backendPoolName) },
                probe: { id: childId("probes", web.name) },
                loadDistribution: "Default",
                enableFloatingIP: false,
                idleTimeoutInMinutes: 4,
                // Outbound traffic leaves through the subnet's NAT gateway.
                disableOutboundSnat: true,
            })),
        }, { parent: this });

        this.loadBalancerId = loadBalancer.id;
        this.publicIpId = publicIp.id;
        // The pool's id as Azure reports it, the one the rules above name.
        this.backendPoolId = loadBalancer.backendAddressPools.apply((pools) =>
            required(pools?.find((pool) => pool.name === backendPoolName)?.id, `the id of the load balancer's backend pool ${backendPoolName}`));
        this.publicIpAddress = publicIp.ipAddress.apply((address) => required(address, `the address of the public IP ${placement.names.frontendPublicIp}`));
        this.fqdn = publicIp.dnsSettings.apply((dns) => dns?.fqdn);
        this.registerOutputs({ backendPoolId: this.backendPoolId, publicIpAddress: this.publicIpAddress });
    }
}
