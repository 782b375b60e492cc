import { healthProbePath } from "./delivery";

/**
 * The one public name in front of both regions: a Traffic Manager profile with priority routing,
 * the stack's region first and the standby second, each endpoint a region's load balancer IP by its DNS name, the
 * health path probed over HTTPS (TLS stays on the nodes; Traffic Manager's HTTPS probe checks that a
 * certificate is there, not that it is valid).
 *
 * Facts (MicrosoftDocs/azure-docs, `articles/traffic-manager/traffic-manager-monitoring.md`): the
 * probing interval is 30 s or 10 s ("fast probing", billed extra); the probe timeout 5-9 s at 10 s;
 * the tolerated number of failures 0-9, and an endpoint is Degraded after one failure more than it
 * tolerates, the probes one interval apart; a disabled endpoint is in no DNS answer; when every
 * endpoint is Degraded, all of them are answered (priority then puts the stack's region first); DNS
 * resolvers keep an answer for the profile's TTL.
 */

export const trafficManagerMonitor = {
    protocol: "HTTPS",
    port: 443,
    path: healthProbePath,
    intervalInSeconds: 10,
    timeoutInSeconds: 5,
    toleratedNumberOfFailures: 2,
} as const;

/** How long resolvers may keep an answer: the longest a client keeps the region that stopped answering. */
export const trafficManagerTtlSeconds = 30;

export type EntryEndpointName = "primary" | "standby";

/**
 * Traffic Manager's type for an endpoint named by its DNS name: each region's load balancer IP by
 * its FQDN. Not an Azure endpoint (`targetResourceId`): Traffic Manager reads an Azure endpoint's
 * target through Azure Resource Manager ("endpoints from any subscription can be added ... so long
 * as the person configuring the Traffic Manager profile has read access to the endpoint":
 * MicrosoftDocs/azure-docs, `articles/traffic-manager/traffic-manager-endpoint-types.md`), so every
 * change of the profile while the stack's region is down would need that region's resource group
 * to answer; an external endpoint's changes to the underlying service "are not picked up
 * automatically", which is what a profile that must change during that region's loss needs. Its
 * health checks are billed at the Azure endpoints' rate.
 */
export const externalEndpointType = "Microsoft.Network/trafficManagerProfiles/externalEndpoints";

/** The endpoint's type as the REST path names it (`.../trafficmanagerprofiles/<profile>/externalEndpoints/<name>`). */
export const endpointTypePath = "externalEndpoints";

export interface EntryEndpointPlan {
    readonly name: EntryEndpointName;
    readonly priority: number;
    readonly status: "Enabled" | "Disabled";
}

/**
 * The endpoints in priority order. While the stack's region serves, both are enabled: the standby
 * answers the health path only once a failover has started its apps, so the entry moves on its
 * own only to a standby that serves. Once the standby is active the stack's region is disabled, so
 * the entry never sends users back to the lost region's nodes when that region returns.
 */
export function entryEndpoints(standbyActive: boolean): readonly EntryEndpointPlan[] {
    return [
        { name: "primary", priority: 1, status: standbyActive ? "Disabled" : "Enabled" },
        { name: "standby", priority: 2, status: "Enabled" },
    ];
}

/**
 * Seconds from the stack's region failing its health path to Traffic Manager marking it Degraded,
 * at worst: the failure starts just after a successful probe, so the first failing probe begins one
 * interval later and every probe waits out its timeout; the endpoint is Degraded at the
 * (tolerated + 1)-th consecutive failure.
 */
export function detectionSeconds(monitor: { intervalInSeconds: number; timeoutInSeconds: number; toleratedNumberOfFailures: number }): number {
    return monitor.intervalInSeconds * (monitor.toleratedNumberOfFailures + 1) + monitor.timeoutInSeconds;
}

/** Detection plus the TTL: the longest until every client resolves the name to the standby. */
export function entryMoveSeconds(monitor: Parameters<typeof detectionSeconds>[0], ttlSeconds: number): number {
    return detectionSeconds(monitor) + ttlSeconds;
}

/**
 * A profile's fully qualified name: its relative name "combined with the DNS domain name used by
 * Azure Traffic Manager" (Azure SDK reference, DnsConfig.relativeName and .fqdn), trafficmanager.net
 * in Azure's public cloud. Known before the profile exists, so the apps' public URL can name it.
 */
export function trafficManagerFqdn(relativeName: string): string {
    return `${relativeName}.trafficmanager.net`;
}
