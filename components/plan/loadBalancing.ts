import { healthProbePath } from "./delivery";

/**
 * What the load balancer checks and forwards: one probe and one rule per web port, each rule with
 * its own probe, default (5-tuple) distribution: the Mendix runtime needs no sticky sessions. The
 * probes ask for a path that IIS proxies to the runtime, so a node whose runtime is down leaves the pool.
 */
export interface WebPort {
    readonly name: "http" | "https";
    readonly port: number;
    readonly probeProtocol: "Http" | "Https";
    readonly probePath: string;
}

export const webPorts: readonly WebPort[] = [
    { name: "http", port: 80, probeProtocol: "Http", probePath: healthProbePath },
    { name: "https", port: 443, probeProtocol: "Https", probePath: healthProbePath },
];

export const probeIntervalSeconds = 5;
export const probeThreshold = 2;
export const frontendName = "public";
export const backendPoolName = "nodes";

/**
 * The cluster's address for people: its DNS name when it has one, else the public IP; https when
 * the sites carry a certificate of the user's (a self-signed one makes every browser warn).
 */
export function clusterUrl(address: { readonly fqdn: string | undefined; readonly ipAddress: string }, hasCertificate: boolean): string {
    return `${hasCertificate ? "https" : "http"}://${address.fqdn ?? address.ipAddress}/`;
}
