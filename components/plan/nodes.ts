import { Zone } from "../config/contract";
import { ClusterNames } from "./names";

/** One node of the cluster: where it runs and whether it leads. */
export interface NodePlan {
    readonly index: number;
    /** `node-<index>`: the stable name used in resource names, blob paths and outputs. */
    readonly name: string;
    readonly computerName: string;
    /** Undefined when the cluster is not spread over availability zones. */
    readonly zone: Zone | undefined;
    /** Node 0 runs the cluster-wide tasks; every other node is a follower (`isClusterSlave`). */
    readonly leader: boolean;
}

export const leaderIndex = 0;

export function nodeName(index: number): string {
    return `node-${index}`;
}

/** Node i goes to zone `zones[i % zones.length]`, so a new node never moves an existing one. */
export function planNodes(nodeCount: number, zones: readonly Zone[], names: ClusterNames): NodePlan[] {
    return Array.from({ length: nodeCount }, (_, index) => ({
        index,
        name: nodeName(index),
        computerName: names.computerName(index),
        zone: zones.length > 0 ? zones[index % zones.length] : undefined,
        leader: index === leaderIndex,
    }));
}

/** The index a node's name carries; undefined for a name no node of this stack has. */
export function nodeIndex(name: string): number | undefined {
    const match = /^node-(\d+)$/.exec(name);
    return match === null ? undefined : Number(match[1]);
}
