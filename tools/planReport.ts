import { RegisteredResource } from "../offline/evaluate";
import { ClusterNode, describeNodes, leaderOf } from "./clusterNodes";
import { diffStacks, StackDiff } from "./resourceDiff";
import { leavingSentence } from "./leavingNodes";
import { judgePlan, PlanVerdict } from "./planVerdict";

/** Said at the top of every plan, in every format. */
export const offlineDisclaimer =
    "Computed offline from the program under Pulumi's mocks, not by `pulumi preview`: it cannot see drift or " +
    "provider-side defaults, and what Azure or the random provider would compute (IDs, name suffixes, addresses, " +
    "generated passwords) shows as placeholders.";

/** One evaluation of the program for a stack, at one revision. */
export interface EvaluatedStack {
    readonly stack: string;
    /** "working tree", or the git ref and its commit. */
    readonly revision: string;
    readonly resources: readonly RegisteredResource[];
    readonly nodes: readonly ClusterNode[];
    readonly leader: string | undefined;
    /** What the reader must know about how this evaluation differs from a real one. */
    readonly notes: readonly string[];
    /** What the program warned of, as `pulumi preview` would show it. */
    readonly warnings: readonly string[];
}

export interface StackPlan {
    readonly kind: "plan";
    readonly stack: EvaluatedStack;
}

export interface StackComparison {
    readonly kind: "comparison";
    readonly before: EvaluatedStack;
    readonly after: EvaluatedStack;
    readonly diff: StackDiff;
    readonly verdict: PlanVerdict;
}

export type PlanReport = StackPlan | StackComparison;

export function evaluatedStack(
    stack: string,
    revision: string,
    run: { readonly resources: readonly RegisteredResource[]; readonly outputs: Readonly<Record<string, unknown>>; readonly warnings?: readonly string[] },
    notes: readonly string[] = [],
): EvaluatedStack {
    const nodes = describeNodes(run.resources);
    return { stack, revision, resources: run.resources, nodes, leader: leaderOf(run.outputs, nodes), notes, warnings: run.warnings ?? [] };
}

export function compareStacks(before: EvaluatedStack, after: EvaluatedStack): StackComparison {
    const diff = diffStacks(before.resources, after.resources);
    const verdict = judgePlan(diff, before, after);
    return { kind: "comparison", before, after, diff, verdict };
}

/** "6 to add, 1 to change (1 replaced), 0 to remove". */
export function changeCounts(diff: StackDiff): string {
    const replaced = diff.changed.filter((change) => change.replacedBy.length > 0).length;
    return `${diff.added.length} to add, ${diff.changed.length} to change (${replaced} replaced), ${diff.removed.length} to remove`;
}

/** The leader's fate in one sentence. */
export function leaderSentence(verdict: PlanVerdict): string {
    if (verdict.leaderMoves) {
        return `the leader moves from ${verdict.leaderBefore ?? "(none)"} to ${verdict.leaderAfter ?? "(none)"}`;
    }
    return verdict.leaderAfter === undefined ? "no leader" : `the leader stays ${verdict.leaderAfter}`;
}

/** One sentence per thing the verdict flags. */
export function riskSentences(verdict: PlanVerdict): string[] {
    return [
        ...(verdict.leaderMoves
            ? [`The leader moves from ${verdict.leaderBefore ?? "(none)"} to ${verdict.leaderAfter ?? "(none)"}: cluster-wide tasks change node.`]
            : []),
        ...verdict.databaseSwitches.map((change) => `App ${change.app} switches from database ${change.before} to ${change.after} on ${change.nodes.join(", ")}: ` +
            "it runs on that database's data from then on (a restore: docs/restoring.md)."),
        ...restartSentences(verdict),
        ...verdict.byHand.map((update) => `${update.type} ${update.name}: ${update.inputs.join(", ")} changes, which Azure changes only on a deallocated VM and ` +
            "pulumi up never deallocates one: pulumi up refuses it while the VM still runs with the old value. Deallocate, change and start each such VM by hand " +
            "first, one at a time (pulumi up's refusal lists the az commands), then run pulumi up."),
        ...verdict.atRisk.map((risk) => risk.action === "replace"
            ? `${risk.type} ${risk.name} (${risk.because.join(", ")}) would be replaced: ${risk.replacedBy.join(", ")} changed.`
            : `${risk.type} ${risk.name} (${risk.because.join(", ")}) would be removed.`),
    ];
}

/** Restarted VMs in one sentence: Azure restarts them all at once, whatever the rollout's batches. */
function restartSentences(verdict: PlanVerdict): string[] {
    if (verdict.restarts.length === 0) {
        return [];
    }
    const inputs = [...new Set(verdict.restarts.flatMap((update) => update.inputs))].join(", ");
    const every = verdict.restartsEveryNode ? "every node at the same time" : verdict.restarts.length > 1 ? "these nodes at the same time" : "its node";
    return [`${inputs} changes on ${verdict.restarts.map((update) => update.name).join(", ")}: Azure restarts a running VM to apply it, so this restarts ` +
        `${every}, not rollout.maxUnavailable at a time; the apps on them stop until their VMs are back.`];
}

/** One sentence per node a lower node count removes, with what goes with it. */
export function leavingSentences(verdict: PlanVerdict): string[] {
    return verdict.leaving.map(leavingSentence);
}

/** A resource's parent, by name, for tables and lists. */
export function parentName(resource: RegisteredResource): string {
    return resource.parentUrn === "" ? "" : resource.parentUrn.slice(resource.parentUrn.lastIndexOf("::") + 2);
}
