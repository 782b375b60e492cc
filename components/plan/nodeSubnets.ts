import { Zone } from "../config/contract";
import { NodePlan } from "./nodes";

/**
 * The node network: one subnet per zone the cluster uses, each with a NAT gateway of its own in that
 * zone, so that losing a zone takes away only that zone's outbound path. A node's subnet follows from
 * its zone alone, and its zone from its index, so changing the node count never moves a node.
 * The first zone's subnet keeps the name and prefix the single node subnet had before.
 */
export interface NodeSubnetPlan {
    /** Undefined on a stack without zones: one regional subnet. */
    readonly zone: Zone | undefined;
    /** The subnet's Azure name. */
    readonly name: string;
    readonly addressPrefix: string;
    /** What the subnet's, NAT gateway's and NAT IP's logical and Azure names end with. */
    readonly key: string;
}

/**
 * Each region's network has an address space of its own (10.42/16 for the stack's region, 10.43/16
 * for the standby): Azure SQL's failover-group guide asks for non-overlapping networks for the two
 * servers' private endpoints (MicrosoftDocs/sql-docs, `azure-sql/database/auto-failover-group-configure-sql-db.md`,
 * "Use Private Link").
 */
export type AddressSpace = "10.42" | "10.43";
export const primaryAddressSpace: AddressSpace = "10.42";
export const standbyAddressSpace: AddressSpace = "10.43";

export const virtualNetworkPrefix = networkPrefix(primaryAddressSpace);

export function networkPrefix(space: AddressSpace): string {
    return `${space}.0.0/16`;
}

function subnetFor(zone: Zone | undefined, space: AddressSpace): NodeSubnetPlan {
    if (zone === undefined || zone === "1") {
        return { zone, name: "nodes", addressPrefix: `${space}.1.0/24`, key: zone === undefined ? "regional" : "zone-1" };
    }
    return { zone, name: `nodes-zone-${zone}`, addressPrefix: `${space}.${zone}.0/24`, key: `zone-${zone}` };
}

/** The subnets, in the order of `zones`; one without a zone when `zones` is empty. */
export function planNodeSubnets(zones: readonly Zone[], space: AddressSpace = primaryAddressSpace): NodeSubnetPlan[] {
    return zones.length === 0 ? [subnetFor(undefined, space)] : zones.map((zone) => subnetFor(zone, space));
}

/** The subnet a node's NIC goes in: the one of its zone. */
export function subnetOfNode(node: Pick<NodePlan, "name" | "zone">, subnets: readonly NodeSubnetPlan[]): NodeSubnetPlan {
    const subnet = subnets.find((candidate) => candidate.zone === node.zone);
    if (subnet === undefined) {
        throw new Error(`no node subnet for ${node.name} in zone ${node.zone ?? "(none)"}; the subnets are for ${subnets.map((candidate) => candidate.zone ?? "(no zone)").join(", ")}`);
    }
    return subnet;
}
