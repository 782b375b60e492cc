import * as trafficmanager from "@pulumi/azure-native/trafficmanager";
import * as pulumi from "@pulumi/pulumi";
import { Placement } from "./placement";
import { required } from "./required";
import { entryEndpoints, EntryEndpointName, externalEndpointType, trafficManagerMonitor, trafficManagerTtlSeconds } from "./plan/trafficManager";

export interface GlobalEntryArgs {
    /**
     * The standby region's placement: a Traffic Manager profile's metadata lives in its resource
     * group's region, and a region that is down may leave its resource groups' resources unchangeable
     * ("This condition may also apply to global resources like ... Azure Traffic Manager":
     * MicrosoftDocs/azure-docs, `articles/azure-resource-manager/management/overview.md`). The
     * failover changes the profile, so it lives where the failover goes.
     */
    readonly placement: Placement;
    /** The name under trafficmanager.net. */
    readonly dnsName: pulumi.Input<string>;
    /** Each region's load balancer public IP, by the FQDN its DNS label gives it (Azure's answer; a stack with a standby labels both). */
    readonly targets: Readonly<Record<EntryEndpointName, pulumi.Output<string | undefined>>>;
    readonly standbyActive: boolean;
}

/** The one public name in front of both regions (see `plan/trafficManager.ts`). */
export class GlobalEntry extends pulumi.ComponentResource {
    readonly fqdn: pulumi.Output<string>;
    readonly profileName: pulumi.Output<string>;

    constructor(name: string, args: GlobalEntryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mendix:cluster:GlobalEntry", name, {}, opts);
        const { placement } = args;
        const profile = new trafficmanager.Profile(`${name}-profile`, {
            resourceGroupName: placement.resourceGroupName,
            location: "global",
            tags: placement.tags,
            profileName: placement.names.trafficManagerProfile,
            profileStatus: "Enabled",
            trafficRoutingMethod: "Priority",
            dnsConfig: { relativeName: args.dnsName, ttl: trafficManagerTtlSeconds },
            monitorConfig: {
                ...trafficManagerMonitor,
                expectedStatusCodeRanges: [{ min: 200, max: 200 }],
            },
            endpoints: entryEndpoints(args.standbyActive).map((endpoint) => ({
                name: endpoint.name,
                type: externalEndpointType,
                target: args.targets[endpoint.name].apply((fqdn) => required(fqdn, `the DNS name of the ${endpoint.name} region's public IP, the public entry's target`)),
                endpointStatus: endpoint.status,
                priority: endpoint.priority,
            })),
        }, { parent: this });
        this.profileName = profile.name.apply((profileName) => {
            if (profileName === undefined) {
                throw new Error(`Traffic Manager profile ${placement.names.trafficManagerProfile} reports no name`);
            }
            return profileName;
        });
        this.fqdn = profile.dnsConfig.apply((dns) => {
            if (dns?.fqdn === undefined) {
                throw new Error(`Traffic Manager profile ${placement.names.trafficManagerProfile} reports no fqdn`);
            }
            return dns.fqdn;
        });
        this.registerOutputs({ fqdn: this.fqdn });
    }
}
