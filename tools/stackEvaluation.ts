import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { mendixClusterProgram } from "../components/program";
import { RunOptions, runStack, StackRun } from "../offline/evaluate";
import { programEntry, programPaths } from "../offline/programSource";
import { standInConfig } from "../offline/standIns";
import { ConfigValue, projectConfigDeclarations, repositoryRoot, stackFileConfig } from "../offline/stackConfig";
import { differsFromWorkingTree, exportRevision, pathsMatchCommit } from "./gitRevision";
import { differingEncryptedValues, EncryptedConfig, encryptedConfig, encryptedConfigNote } from "./encryptedConfig";
import { PlanStandIns, planStandIns } from "./planStandIns";
import { compareStacks, EvaluatedStack, evaluatedStack, StackComparison, StackPlan } from "./planReport";
import { rebasePaths } from "./rebasePaths";

/** The program could not be evaluated; the message says where and why. */
export class EvaluationError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "EvaluationError";
    }
}

/**
 * The program refused its input (a config value, a file the config names, the published agent)
 * and stopped with its own message, as `pulumi up` would.
 */
export class RefusedInputError extends EvaluationError {
    constructor(message: string) {
        super(message);
        this.name = "RefusedInputError";
    }
}

/**
 * The revision planned against could not be evaluated, so there is nothing to compare with: the
 * working tree is neither refused nor passed. Its own failure, and the plan's, not the working tree's.
 */
export class RevisionError extends EvaluationError {
    constructor(label: string, reason: string) {
        super(`The revision ${label} could not be evaluated, so the plan has nothing to compare the working tree with and no verdict on it: ${reason}`);
        this.name = "RevisionError";
    }
}

const stackFile = (stack: string) => `Pulumi.${stack}.yaml`;

/** How a revision is named in messages: the ref and its commit, or the commit alone when the ref is one. */
export function revisionLabel(ref: string, commit: string): string {
    const short = commit.slice(0, 7);
    return /^[0-9a-f]{4,64}$/i.test(ref) && commit.startsWith(ref.toLowerCase()) ? short : `${ref} (${short})`;
}

/** The stack file's encrypted values, with placeholders to run the program with. */
function stackSecrets(stack: string, root: string): EncryptedConfig {
    return encryptedConfig(stackFileConfig(stack, root));
}

/**
 * The stand-ins for `deployerCidrs` and `installers` where the stack file sets none, and the notes
 * that say so; none with `strict`. A revision whose program predates a key gets no value of it (it
 * would refuse it).
 */
function standIns(stack: string, root: string, strict = false): PlanStandIns {
    const known = {
        deployerCidrs: "deployerCidrs" in projectConfigDeclarations(root),
        installers: fs.existsSync(path.join(root, "components", "config", "delivery.ts")),
    };
    return planStandIns(stackFile(stack), stackFileConfig(stack, root), known, standInConfig, strict);
}

function message(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}

type Program = NonNullable<RunOptions["program"]>;

/** The working tree's program, refusing as `pulumi up` would. */
async function run(options: RunOptions): Promise<StackRun> {
    try {
        return await runStack(options);
    } catch (error) {
        // The program turns everything a user can put right into a RunError: its message alone.
        if (pulumi.RunError.isInstance(error)) {
            throw new RefusedInputError(`The program refused the stack's input in the working tree: ${message(error)}`);
        }
        throw new EvaluationError(`The program failed in the working tree: ${message(error)}`);
    }
}

/**
 * A revision's program, run with this working tree's mocks, node_modules and stand-ins: whatever
 * stops it, its refusal of that input included, is the revision's evaluation failing.
 */
async function runRevision(label: string, options: RunOptions): Promise<StackRun> {
    try {
        return await runStack(options);
    } catch (error) {
        throw new RevisionError(label, pulumi.RunError.isInstance(error)
            ? `its program refused the config the plan gave it (its stack file, with this working tree's stand-ins): ${message(error)}`
            : `its program failed under this working tree's mocks and node_modules: ${message(error)}`);
    }
}

/** The stack as this working tree's program registers it; `strict`: with no stand-ins. */
export async function planWorkingTree(stack: string, strict = false): Promise<StackPlan> {
    const secrets = stackSecrets(stack, repositoryRoot);
    const inputs = standIns(stack, repositoryRoot, strict);
    const result = await run({ stack, config: inputs.config, secrets: secrets.standIns });
    const notes = [...encryptedConfigNote(stackFile(stack), secrets), ...inputs.notes];
    return { kind: "plan", stack: evaluatedStack(stack, "working tree", result, notes) };
}

/**
 * The revision's `mendixClusterProgram`. Where the revision's program paths are the working tree's
 * (an edit of stack files alone, say), that is the working tree's, already loaded; otherwise it is
 * loaded by path from the exported revision, so that its own modules come along.
 */
function revisionProgram(directory: string, label: string, commit: string): Program {
    if (pathsMatchCommit(repositoryRoot, commit, programPaths)) {
        return mendixClusterProgram;
    }
    const file = path.join(directory, programEntry);
    if (!fs.existsSync(file)) {
        throw new RevisionError(label, `it has no ${programEntry}, and the plan can only evaluate revisions that have the program`);
    }
    let loaded: unknown;
    try {
        loaded = require(file);
    } catch (error) {
        throw new RevisionError(label, `its ${programEntry} does not load: ${message(error)}`);
    }
    const program = (loaded as { mendixClusterProgram?: unknown }).mendixClusterProgram;
    if (typeof program !== "function") {
        throw new RevisionError(label, `its ${programEntry} exports no mendixClusterProgram function`);
    }
    return program as Program;
}

function rebased(result: StackRun, from: string, to: string): StackRun {
    return { ...result, resources: result.resources.map((resource) => ({
        ...resource,
        inputs: rebasePaths(resource.inputs, from, to),
        visibleInputs: rebasePaths(resource.visibleInputs, from, to),
    })) };
}

function revisionNotes(stack: string, ref: string, commit: string, directory: string): string[] {
    const notes: string[] = [];
    const differing = differingEncryptedValues(stackSecrets(stack, directory), stackSecrets(stack, repositoryRoot));
    if (differing.length > 0) {
        notes.push(`the encrypted value of ${differing.join(", ")} differs between ${ref} and the working tree; the plan counts it as a changed value ` +
            "(a value only re-encrypted, as `pulumi stack change-secrets-provider` does, counts as changed too).");
    }
    if (differsFromWorkingTree(repositoryRoot, commit, ["agent/src"])) {
        notes.push(`the node agent's sources differ between ${ref} and the working tree; both sides use the working tree's published agent, ` +
            "so the agent's own change (new agent blobs and update tags on every node) shows in `pulumi preview`, not here.");
    }
    if (differsFromWorkingTree(repositoryRoot, commit, ["package.json", "package-lock.json"])) {
        notes.push(`the npm dependencies differ between ${ref} and the working tree; ${ref} was evaluated with the working tree's node_modules.`);
    }
    return notes;
}

/** One deployment of a revision, before the one that stands for what is deployed: config over its stack file's, and the time it ran. */
interface LeadingDeployment {
    readonly config: Readonly<Record<string, ConfigValue>>;
    readonly now: Date | undefined;
}

/**
 * The deployments that lead to what a revision stands for, evaluated in turn, each with the last
 * one's outputs: its first deployment, and where its stack file has `restore.pointInTime`, a
 * first deployment without it and then the deployment that restored, a minute after the instant
 * (a stack is never deployed with a restore, and the instant lay within the restore window when
 * it was restored, however long ago that is now).
 */
export function deploymentsLeading(restore: unknown): LeadingDeployment[] {
    const pointInTime = typeof restore === "object" && restore !== null ? (restore as Record<string, unknown>)["pointInTime"] : undefined;
    const instant = typeof pointInTime === "string" ? Date.parse(pointInTime) : Number.NaN;
    if (Number.isNaN(instant)) {
        return [{ config: {}, now: undefined }];
    }
    return [
        { config: { restore: { ...(restore as Record<string, unknown>), pointInTime: null } }, now: undefined },
        { config: {}, now: new Date(instant + 60_000) },
    ];
}

/**
 * The working tree against another revision: that revision evaluated as deployed (its own outputs
 * as the last deployment's), then this working tree's program as `pulumi up` would run it next.
 * `strict`: the working tree with no stand-ins; a required key its stack file lacks is refused
 * first, whatever the revision (which gets stand-ins: it stands for what is deployed).
 */
export async function compareWithRevision(stack: string, ref: string, commit: string, strict = false): Promise<StackComparison> {
    const secrets = stackSecrets(stack, repositoryRoot);
    const inputs = standIns(stack, repositoryRoot, strict);
    if (inputs.withheld.length > 0) {
        // The program refuses a missing key before it reads the last deployment: no revision is needed to say so.
        await run({ stack, config: inputs.config, secrets: secrets.standIns });
    }
    const label = revisionLabel(ref, commit);
    const revision = exportRevision(repositoryRoot, commit);
    try {
        let before: EvaluatedStack;
        let lastOutputs: Record<string, unknown> = {};
        if (!fs.existsSync(path.join(revision.directory, stackFile(stack)))) {
            before = evaluatedStack(stack, label, { resources: [], outputs: {} }, [`${stackFile(stack)} does not exist at ${ref}: everything is new.`]);
        } else {
            const program = revisionProgram(revision.directory, label, commit);
            const revisionSecrets = stackSecrets(stack, revision.directory);
            const options = {
                stack, projectDirectory: revision.directory, program, secrets: revisionSecrets.standIns, config: standIns(stack, revision.directory).config,
            };
            for (const deployment of deploymentsLeading(stackFileConfig(stack, revision.directory)["mendix-cluster:restore"])) {
                lastOutputs = (await runRevision(label, {
                    ...options, config: { ...options.config, ...deployment.config }, lastOutputs, ...(deployment.now === undefined ? {} : { now: deployment.now }),
                })).outputs;
            }
            const deployed = rebased(await runRevision(label, { ...options, lastOutputs }), revision.directory, repositoryRoot);
            before = evaluatedStack(stack, label, deployed, [
                ...encryptedConfigNote(stackFile(stack), revisionSecrets),
                ...revisionNotes(stack, ref, commit, revision.directory),
            ]);
        }
        const current = await run({ stack, lastOutputs, config: inputs.config, secrets: secrets.standIns });
        const notes = [...encryptedConfigNote(stackFile(stack), secrets), ...inputs.notes];
        return compareStacks(before, evaluatedStack(stack, "working tree", current, notes));
    } finally {
        revision.dispose();
    }
}
