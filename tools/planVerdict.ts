import { catalogEntry } from "../components/catalog";
import { clusterNames } from "../components/plan/names";
import { RegisteredResource } from "../offline/evaluate";
import { ClusterNode } from "./clusterNodes";
import { DatabaseSwitch, databaseSwitches } from "./databaseSwitches";
import { LeavingNode, leavingNodes } from "./leavingNodes";
import { StackDiff, touches } from "./resourceDiff";

/** How `npm run plan` ends; documented in its --help. */
export const exitCodes = {
    ok: 0,
    /** The program could not be evaluated (it crashed, or a revision has no program the plan can run). */
    failed: 1,
    /** Bad arguments: an unknown option, stack or git ref. */
    usage: 2,
    /**
     * The edit replaces or removes a protected or data-holding resource (but for a leaving node's own),
     * replaces a remaining node's VM or data disk or the scale set, restarts nodes' VMs together,
     * changes what Azure changes only on a deallocated VM, moves the leader, or changes the database
     * an app's nodes use.
     */
    risky: 3,
    /** The program refused the stack's input (a config value, a file it names, the published agent), as `pulumi up` would. */
    refused: 4,
} as const;

const containerType = "azure-native:storage:BlobContainer";
// Any stack's settings container: its name does not depend on the stack.
const settingsContainer = clusterNames("any").settingsContainer;

/**
 * What a replacement would empty, as the catalogue says (databases, storage, data disks, the Key
 * Vault, the workspace), but for the settings container: the program rewrites its blobs every run.
 */
export function holdsData(resource: RegisteredResource): boolean {
    if (resource.type === containerType && resource.inputs["containerName"] === settingsContainer) {
        return false;
    }
    return catalogEntry(resource.type)?.holdsData ?? false;
}

export interface ResourceAtRisk {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly action: "replace" | "remove";
    /**
     * Why it matters: "protected", "holds data", "rebuilds its node" (a replaced VM or data disk),
     * "rebuilds every node" (a replaced scale set).
     */
    readonly because: readonly string[];
    /** For a replacement, the inputs that force it. */
    readonly replacedBy: readonly string[];
}

/** A resource updated in place in a way that takes it down: restarted, or changed only once deallocated by hand. */
export interface DisruptiveUpdate {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    /** The inputs that cause it. */
    readonly inputs: readonly string[];
}

export interface PlanVerdict {
    readonly leaderBefore: string | undefined;
    readonly leaderAfter: string | undefined;
    readonly leaderMoves: boolean;
    readonly atRisk: readonly ResourceAtRisk[];
    /** Nodes a lower node count removes, with their own resources: routine, and said so. */
    readonly leaving: readonly LeavingNode[];
    /** Apps whose nodes would use another database (a restore). */
    readonly databaseSwitches: readonly DatabaseSwitch[];
    /** Resources Azure restarts to update (a resized VM): all of them at the same time. */
    readonly restarts: readonly DisruptiveUpdate[];
    /** The restarts take in every node of the cluster. */
    readonly restartsEveryNode: boolean;
    /** Updates Azure makes only on a deallocated VM: `pulumi up` goes through once each was made by hand. */
    readonly byHand: readonly DisruptiveUpdate[];
}

/** One side of a comparison, as the verdict reads it. */
export interface JudgedStack {
    readonly resources: readonly RegisteredResource[];
    readonly nodes: readonly ClusterNode[];
    readonly leader: string | undefined;
}

/** Part of a node (its VM, its data disk), as the catalogue says: replacing it takes the node down and rebuilds it. */
export function partOfNode(resource: RegisteredResource): boolean {
    return catalogEntry(resource.type)?.nodePart ?? false;
}

/** Holds the nodes (the scale set), as the catalogue says: replacing it deletes every VM in it. */
export function holdsNodes(resource: RegisteredResource): boolean {
    return catalogEntry(resource.type)?.holdsNodes ?? false;
}

function reasons(resources: readonly (RegisteredResource | undefined)[], action: ResourceAtRisk["action"]): string[] {
    const present = resources.filter((resource): resource is RegisteredResource => resource !== undefined);
    return [
        ...(present.some((resource) => resource.protect) ? ["protected"] : []),
        ...(present.some(holdsData) ? ["holds data"] : []),
        // A removed VM or disk of a node that stays is rebuilt as well; one of a node that leaves goes with it.
        ...(present.some(partOfNode) ? ["rebuilds its node"] : []),
        ...(action === "replace" && present.some(holdsNodes) ? ["rebuilds every node"] : []),
    ];
}

/** The changed resources (not replaced) whose changed inputs include one of those `inputsOf` names. */
function disruptiveUpdates(diff: StackDiff, inputsOf: (type: string) => readonly string[]): DisruptiveUpdate[] {
    return diff.changed.filter((change) => change.replacedBy.length === 0).flatMap((change) => {
        const inputs = inputsOf(change.type).filter((input) => change.properties.some((property) => touches(property.path, input)));
        return inputs.length === 0 ? [] : [{ urn: change.urn, type: change.type, name: change.name, inputs }];
    });
}

/**
 * What a reviewer must not miss in a diff: a protected or data-holding resource that would be
 * replaced or removed, a node whose VM or data disk would be replaced (the node goes down and is
 * rebuilt), a scale set that would be replaced (every node with it), a leader that would
 * change (the cluster-wide tasks move with it), an app whose nodes would use another database,
 * VMs that Azure restarts to update them (a resize: all at the same time, not in the rollout's
 * batches), and what Azure changes only on a deallocated VM, which must be done by hand first.
 * A node that a lower node count removes takes its own resources with it, its data disk among
 * them: that is routine, and listed as such.
 */
export function judgePlan(diff: StackDiff, before: JudgedStack, after: JudgedStack): PlanVerdict {
    const beforeByUrn = new Map(before.resources.map((resource) => [resource.urn, resource]));
    const afterByUrn = new Map(after.resources.map((resource) => [resource.urn, resource]));
    const replaced = diff.changed.flatMap((change): ResourceAtRisk[] => {
        const because = reasons([beforeByUrn.get(change.urn), afterByUrn.get(change.urn)], "replace");
        return change.replacedBy.length > 0 && because.length > 0
            ? [{ urn: change.urn, type: change.type, name: change.name, action: "replace", because, replacedBy: change.replacedBy }]
            : [];
    });
    const leaving = leavingNodes(before, after, diff.removed);
    const leavesWithItsNode = new Set(leaving.flatMap((node) => node.resources.map((resource) => resource.urn)));
    const removed = diff.removed.flatMap((resource): ResourceAtRisk[] => {
        const because = leavesWithItsNode.has(resource.urn) ? (resource.protect ? ["protected"] : []) : reasons([resource], "remove");
        return because.length > 0 ? [{ urn: resource.urn, type: resource.type, name: resource.name, action: "remove", because, replacedBy: [] }] : [];
    });
    const restarts = disruptiveUpdates(diff, (type) => catalogEntry(type)?.restartedBy ?? []);
    return {
        leaderBefore: before.leader,
        leaderAfter: after.leader,
        leaderMoves: before.leader !== undefined && before.leader !== after.leader,
        atRisk: [...replaced, ...removed],
        leaving,
        databaseSwitches: databaseSwitches(before.nodes, after.nodes),
        restarts,
        restartsEveryNode: after.nodes.length > 0 && after.nodes.every((node) => restarts.some((update) => update.urn === node.vmUrn)),
        byHand: disruptiveUpdates(diff, (type) => catalogEntry(type)?.changedDeallocatedOnly ?? []),
    };
}

export function verdictExitCode(verdict: PlanVerdict): number {
    const flagged = [verdict.atRisk, verdict.databaseSwitches, verdict.restarts, verdict.byHand].some((list) => list.length > 0);
    return verdict.leaderMoves || flagged ? exitCodes.risky : exitCodes.ok;
}
