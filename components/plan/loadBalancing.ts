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

/** The load balancer's public address: its DNS name when it has one, and its IP address. */
export interface PublicAddress {
    readonly fqdn: string | undefined;
    readonly ipAddress: string;
}

/**
 * How people reach the sites: https when they carry a certificate of the user's, where the agent
 * also redirects http to https; else http (a self-signed certificate makes every browser warn).
 */
function publicScheme(hasCertificate: boolean): "https" | "http" {
    return hasCertificate ? "https" : "http";
}

/** The cluster's address for people: its DNS name when it has one, else the public IP. */
export function clusterUrl(address: PublicAddress, hasCertificate: boolean): string {
    return `${publicScheme(hasCertificate)}://${address.fqdn ?? address.ipAddress}/`;
}

/**
 * An app's public URL, its runtime setting `ApplicationRootUrl`: with the protocol and the path, such
 * as `https://domain.example.com/` (mendix/docs, refguide10/runtime/custom-settings/_index.md,
 * "ApplicationRootUrl"). The app's host name when it has one, else the cluster's address. Mendix 10
 * and later take it over the X-Forwarded-* headers for the links they generate (same page, "Multiple
 * External Domains"), and from 10.18 it decides whether cookies are Secure (releasenotes/studio-pro/10/10.18.md).
 */
export function applicationRootUrl(hostName: string | undefined, address: PublicAddress, hasCertificate: boolean): string {
    return hostName === undefined ? clusterUrl(address, hasCertificate) : `${publicScheme(hasCertificate)}://${hostName}/`;
}
