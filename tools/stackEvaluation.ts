import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { mendixClusterProgram } from "../components/program";
import { RunOptions, runStack, StackRun } from "../offline/evaluate";
import { programEntry, programPaths } from "../offline/programSource";
import { standInConfig } from "../offline/standIns";
import { projectConfigDeclarations, repositoryRoot, stackFileConfig } from "../offline/stackConfig";
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

const stackFile = (stack: string) => `Pulumi.${stack}.yaml`;

/** The stack file's encrypted values, with placeholders to run the program with. */
function stackSecrets(stack: string, root: string): EncryptedConfig {
    return encryptedConfig(stackFileConfig(stack, root));
}

/**
 * The stand-ins for `deployerCidrs` and `installers` where the stack file sets none, and the notes
 * that say so; a revision whose program predates a key gets no value of it (it would refuse it).
 */
function standIns(stack: string, root: string): PlanStandIns {
    const known = {
        deployerCidrs: "deployerCidrs" in projectConfigDeclarations(root),
        installers: fs.existsSync(path.join(root, "components", "config", "delivery.ts")),
    };
    return planStandIns(stackFile(stack), stackFileConfig(stack, root), known, standInConfig);
}

function message(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}

type Program = NonNullable<RunOptions["program"]>;

async function run(where: string, options: RunOptions): Promise<StackRun> {
    try {
        return await runStack(options);
    } catch (error) {
        // The program turns everything a user can put right into a RunError: its message alone.
        if (pulumi.RunError.isInstance(error)) {
            throw new RefusedInputError(`The program refused the stack's input ${where}: ${message(error)}`);
        }
        throw new EvaluationError(`The program failed ${where}: ${message(error)}`);
    }
}

/** The stack as this working tree's program registers it. */
export async function planWorkingTree(stack: string): Promise<StackPlan> {
    const secrets = stackSecrets(stack, repositoryRoot);
    const inputs = standIns(stack, repositoryRoot);
    const result = await run("in the working tree", { stack, config: inputs.config, secrets: secrets.standIns });
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
        throw new EvaluationError(`${label} has no ${programEntry}: the plan can only evaluate revisions that have the program`);
    }
    let loaded: unknown;
    try {
        loaded = require(file);
    } catch (error) {
        throw new EvaluationError(`${label}'s ${programEntry} does not load: ${message(error)}`);
    }
    const program = (loaded as { mendixClusterProgram?: unknown }).mendixClusterProgram;
    if (typeof program !== "function") {
        throw new EvaluationError(`${label}'s ${programEntry} exports no mendixClusterProgram function`);
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

/**
 * The working tree against another revision: that revision evaluated as deployed (its own outputs
 * as the last deployment's), then this working tree's program as `pulumi up` would run it next.
 */
export async function compareWithRevision(stack: string, ref: string, commit: string): Promise<StackComparison> {
    const label = `${ref} (${commit.slice(0, 7)})`;
    const revision = exportRevision(repositoryRoot, commit);
    try {
        const secrets = stackSecrets(stack, repositoryRoot);
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
            const first = await run(`at ${label}`, options);
            lastOutputs = first.outputs;
            const deployed = rebased(await run(`at ${label}`, { ...options, lastOutputs }), revision.directory, repositoryRoot);
            before = evaluatedStack(stack, label, deployed, [
                ...encryptedConfigNote(stackFile(stack), revisionSecrets),
                ...revisionNotes(stack, ref, commit, revision.directory),
            ]);
        }
        const inputs = standIns(stack, repositoryRoot);
        const current = await run("in the working tree", { stack, lastOutputs, config: inputs.config, secrets: secrets.standIns });
        const notes = [...encryptedConfigNote(stackFile(stack), secrets), ...inputs.notes];
        return compareStacks(before, evaluatedStack(stack, "working tree", current, notes));
    } finally {
        revision.dispose();
    }
}
