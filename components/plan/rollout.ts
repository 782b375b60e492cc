import { NodePlan } from "./nodes";

/**
 * The order in which nodes re-run their agent (and so restart their apps) after a change: followers
 * first, `maxUnavailable` at a time, the leader last, so that the cluster always has nodes serving
 * and keeps its leader for as long as possible. Nodes not deployed before are left out: their
 * first deployment waits for no one, and no one waits for it.
 */
export function rolloutBatches(nodes: readonly NodePlan[], deployed: ReadonlySet<string>, maxUnavailable: number): NodePlan[][] {
    const rolling = nodes.filter((node) => deployed.has(node.name));
    const followers = rolling.filter((node) => !node.leader);
    const batches: NodePlan[][] = [];
    for (let start = 0; start < followers.length; start += maxUnavailable) {
        batches.push(followers.slice(start, start + maxUnavailable));
    }
    const leaders = rolling.filter((node) => node.leader);
    return leaders.length > 0 ? [...batches, leaders] : batches;
}

/** The nodes whose agent must have finished before `node`'s runs: the batch before its own. */
export function rolloutPredecessors(batches: readonly (readonly NodePlan[])[], node: NodePlan): readonly NodePlan[] {
    const batch = batches.findIndex((candidate) => candidate.some((member) => member.name === node.name));
    return batch > 0 ? batches[batch - 1] ?? [] : [];
}
