import { NodePlan } from "./nodes";

/**
 * How a change reaches the nodes:
 * - `followersFirst` (settings, agent): followers `maxUnavailable` at a time, the leader last, so
 *   the cluster always has nodes serving and keeps its leader for as long as possible;
 * - `leaderFirst` (a new model, rolling): the leader synchronises the database once, then the
 *   followers start the new model `maxUnavailable` at a time;
 * - `leaderThenAll` (a new model, stopAll): the followers are stopped beforehand; the leader
 *   synchronises, then every follower starts at once.
 */
export type RolloutOrder = "followersFirst" | "leaderFirst" | "leaderThenAll";

export function rolloutOrder(modelChanged: boolean, modelChange: "rolling" | "stopAll"): RolloutOrder {
    return !modelChanged ? "followersFirst" : modelChange === "rolling" ? "leaderFirst" : "leaderThenAll";
}

/**
 * The batches in which nodes re-run their agent (and so restart their apps). Nodes not deployed
 * before are left out: their first deployment waits for no one, and no one waits for it.
 */
export function rolloutBatches(nodes: readonly NodePlan[], deployed: ReadonlySet<string>, maxUnavailable: number, order: RolloutOrder = "followersFirst"): NodePlan[][] {
    const rolling = nodes.filter((node) => deployed.has(node.name));
    const followers = rolling.filter((node) => !node.leader);
    const leaders = rolling.filter((node) => node.leader);
    const batchSize = order === "leaderThenAll" ? Math.max(followers.length, 1) : maxUnavailable;
    const batches: NodePlan[][] = [];
    for (let start = 0; start < followers.length; start += batchSize) {
        batches.push(followers.slice(start, start + batchSize));
    }
    if (leaders.length === 0) {
        return batches;
    }
    return order === "followersFirst" ? [...batches, leaders] : [leaders, ...batches];
}

/** Whether any app gets a model other than the one its deployed nodes run. */
export function modelChanged(deployedModels: Readonly<Record<string, string>>, models: Readonly<Record<string, string>>): boolean {
    return Object.entries(models).some(([app, sha256]) => deployedModels[app] !== sha256);
}

/** The nodes whose agent must have finished before `node`'s runs: the batch before its own. */
export function rolloutPredecessors(batches: readonly (readonly NodePlan[])[], node: NodePlan): readonly NodePlan[] {
    const batch = batches.findIndex((candidate) => candidate.some((member) => member.name === node.name));
    return batch > 0 ? batches[batch - 1] ?? [] : [];
}
