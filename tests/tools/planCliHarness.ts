import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before } from "node:test";
import { parseDocument } from "yaml";
import { offlineSecrets } from "../../offline/azureMocks";
import { repositoryRoot } from "../../offline/stackConfig";
import { copyIntoScratchRepository, scratchGit } from "../../tools/scratchRepository";

/** What the plan CLI tests share: running the CLI as `npm run plan` does, and a scratch repository to edit. */

export interface PlanRun {
    readonly status: number;
    readonly stdout: string;
    readonly stderr: string;
}

/** The arguments `npm run plan` gives node: package.json's `plan` script, read rather than restated. */
function planScriptArguments(): string[] {
    const scripts = (JSON.parse(fs.readFileSync(path.join(repositoryRoot, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    const [command, ...args] = (scripts["plan"] ?? assert.fail("package.json has no plan script")).split(" ");
    assert.equal(command, "node", "the plan script runs node");
    return args;
}

/** The test command's garbage-collector flag (see docs/development.md), passed on to the CLI processes it starts. */
const collectorFlags = process.execArgv.filter((flag) => flag === "--single-threaded-gc");

/** Runs `tools/plan.ts` as `npm run plan` does, in `cwd`. */
export function plan(cwd: string, args: readonly string[]): Promise<PlanRun> {
    return new Promise((resolve) => {
        execFile(process.execPath, [...collectorFlags, ...planScriptArguments(), ...args], { cwd, maxBuffer: 16 * 2 ** 20 }, (error, stdout, stderr) => {
            const status = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
            resolve({ status, stdout, stderr });
        });
    });
}

const secretsOfTheMocks = [offlineSecrets.storageKey, offlineSecrets.randomPassword("mendix-sql-admin-password"), offlineSecrets.randomPassword("mendix-admin-password")];

export function assertNoSecret(text: string): void {
    for (const secret of secretsOfTheMocks) {
        assert.ok(!text.includes(secret), `${secret} leaks`);
    }
}

/**
 * A throwaway git repository holding a copy of the working tree, committed: its HEAD is what the
 * working tree is now, and edits made in it leave this repository's git state alone. Its prod stack
 * holds adminPassword encrypted, as a stack with `pulumi config set --secret adminPassword` would.
 */
function copyIntoNewRepository(): string {
    return copyIntoScratchRepository(repositoryRoot, (directory) => {
        editStackFile(directory, "prod", "mendix-cluster:adminPassword", { secure: "v1:aGVsbG8=:fixture-ciphertext" });
    });
}

export function editStackFile(directory: string, stack: string, key: string, value: unknown): void {
    const file = path.join(directory, `Pulumi.${stack}.yaml`);
    const document = parseDocument(fs.readFileSync(file, "utf8"));
    document.setIn(["config", key], value);
    fs.writeFileSync(file, document.toString());
}


/** A scratch repository for the tests of the enclosing describe, made before them and removed after. */
export function scratchRepository(): () => string {
    let directory = "";
    before(() => {
        directory = copyIntoNewRepository();
    });
    after(() => {
        if (directory !== "") {
            fs.rmSync(directory, { recursive: true, force: true });
        }
    });
    return () => {
        assert.notEqual(directory, "", "the scratch repository is made before the tests");
        return directory;
    };
}

/** Puts a file of the scratch repository back as it was committed. */
export function restore(repository: string, file: string): void {
    execFileSync("git", ["checkout", "-q", "--", file], { cwd: repository });
}

/**
 * Commits an edit of one file as a new HEAD, puts the file back in the working tree as it was, and
 * runs `check` (the working tree is then the revision before HEAD's edit); the commit goes after.
 */
export async function withEditedRevision(repository: string, file: string, edit: (source: string) => string, message: string, check: () => Promise<void>): Promise<void> {
    const absolute = path.join(repository, file);
    fs.writeFileSync(absolute, edit(fs.readFileSync(absolute, "utf8")));
    scratchGit(repository, "commit", "-q", "-am", message);
    try {
        scratchGit(repository, "checkout", "-q", "HEAD~1", "--", file);
        await check();
    } finally {
        scratchGit(repository, "reset", "-q", "--hard", "HEAD~1");
    }
}
