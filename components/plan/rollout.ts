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

export interface RolloutInput {
    readonly nodes: readonly NodePlan[];
    /** Nodes the last deployment had, by name. */
    readonly deployedNodes: readonly string[];
    /** App -> SHA-256 of the model each app's deployed nodes run. */
    readonly deployedModels: Readonly<Record<string, string>>;
    /** App -> SHA-256 of the model this deployment brings. */
    readonly models: Readonly<Record<string, string>>;
    readonly maxUnavailable: number;
    readonly modelChange: "rolling" | "stopAll";
    /**
     * This deployment restores the databases and files (plan/restore.ts): every app of every node is
     * stopped first, so the leader starts first on the restored databases, then every follower at once.
     */
    readonly restoring?: boolean;
}

/** With `stopAll`, the followers whose changed apps stop before the leader runs the new model. */
export interface FollowerStop {
    /** Names the Run Command after the new models, so that each new model stops the apps once. */
    readonly key: string;
    readonly apps: readonly string[];
    readonly nodes: readonly string[];
}

export interface RolloutPlan {
    readonly order: RolloutOrder;
    /** Node name -> the nodes whose agent run must have finished before its own starts. */
    readonly waitsFor: Readonly<Record<string, readonly string[]>>;
    readonly stop: FollowerStop | undefined;
    /** Every node, each after the nodes it waits for: the order to wire their agent runs in. */
    readonly sequence: readonly string[];
}

/**
 * When each node's agent runs. Deployed nodes follow the rollout's batches. A node the last
 * deployment did not have waits for no one, except that while the leader brings a model its nodes
 * have not run yet (a first deployment with a model, or a model change), every follower waits for
 * the leader's run: the leader synchronises the database before any follower starts the app.
 */
export function planRollout(input: RolloutInput): RolloutPlan {
    const deployed = new Set(input.deployedNodes);
    const changed = modelChanged(input.deployedModels, input.models);
    const order = input.restoring === true ? "leaderThenAll" : rolloutOrder(changed, input.modelChange);
    const batches = rolloutBatches(input.nodes, deployed, input.maxUnavailable, order);
    const leader = input.nodes.find((node) => node.leader);
    const leaderModelNew = leader !== undefined && Object.keys(input.models).length > 0 && (changed || !deployed.has(leader.name));
    const waitsFor = Object.fromEntries(input.nodes.map((node) => {
        const predecessors = rolloutPredecessors(batches, node).map((predecessor) => predecessor.name);
        // After a restore the leader synchronises the restored databases before any follower starts.
        const waitsForLeader = (leaderModelNew || input.restoring === true) && !node.leader && predecessors.length === 0;
        return [node.name, waitsForLeader && leader !== undefined ? [leader.name] : predecessors];
    }));
    const changedModels = Object.entries(input.models).filter(([app, sha256]) => input.deployedModels[app] !== sha256).sort(([a], [b]) => a.localeCompare(b));
    const stoppedFollowers = input.nodes.filter((node) => !node.leader && deployed.has(node.name)).map((node) => node.name);
    const stop = rolloutOrder(changed, input.modelChange) === "leaderThenAll" && stoppedFollowers.length > 0
        ? { key: changedModels.map(([, sha256]) => sha256.slice(0, 8)).join("-"), apps: changedModels.map(([app]) => app), nodes: stoppedFollowers }
        : undefined;
    return { order, waitsFor, stop, sequence: dependencyOrder(input.nodes.map((node) => node.name), waitsFor) };
}

function dependencyOrder(names: readonly string[], waitsFor: Readonly<Record<string, readonly string[]>>): string[] {
    const placed: string[] = [];
    const visit = (name: string, path: readonly string[]) => {
        if (placed.includes(name)) {
            return;
        }
        if (path.includes(name)) {
            throw new Error(`the rollout waits in a circle: ${[...path, name].join(" -> ")}`);
        }
        for (const predecessor of waitsFor[name] ?? []) {
            visit(predecessor, [...path, name]);
        }
        placed.push(name);
    };
    names.forEach((name) => visit(name, []));
    return placed;
}
