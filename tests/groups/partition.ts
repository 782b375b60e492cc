import * as fs from "node:fs";
import * as path from "node:path";

/**
 * The test files, shared out among a few processes that the test command runs side by side. Each
 * process loads Pulumi and the program once and keeps one evaluation worker (tests/harness/
 * offThread.ts) for all its files, so a stack two files evaluate alike is evaluated once; one
 * process per file spent more time starting than testing. A file still runs on its own with
 * `node --require ./tools/loadTypeScript.cjs --require ./tests/preload.cjs --test <file>`.
 */

const testFolders = ["tests/unit", "tests/stack", "tests/tools", "tests/policy", "tests/structure"] as const;

/** Every test file, relative to the repository, in name order. */
export function allTestFiles(root: string): string[] {
    return testFolders.flatMap((folder) => fs.readdirSync(path.join(root, folder))
        .filter((file) => file.endsWith(".test.ts"))
        .sort()
        .map((file) => `${folder}/${file}`));
}

/**
 * The plan CLI's tests wait on the CLI's own processes, each loading Pulumi afresh: they gain
 * nothing from sharing one, and run as their own files (see `test:stack`, which starts the
 * longest processes first).
 */
export function runsAlone(file: string): boolean {
    return /^tests\/tools\/planCli\w*\.test\.ts$/.test(file);
}

export type Group = "stackEven" | "stackOdd" | "checks";

/**
 * The stack evaluations are most of the work: the files that evaluate a stack (the stack tests,
 * and the catalogue's and the policy pack's checks of what a stack registers) are dealt
 * alternately to two processes.
 */
export function groupOf(file: string, stackFiles: readonly string[]): Group | undefined {
    if (runsAlone(file)) {
        return undefined;
    }
    const stackIndex = stackFiles.indexOf(file);
    if (stackIndex >= 0) {
        return stackIndex % 2 === 0 ? "stackEven" : "stackOdd";
    }
    return "checks";
}

/** The file asks for a stack evaluation (through tests/harness/offThread.ts). */
function evaluatesStacks(file: string, root: string): boolean {
    return /\brunStack(ExpectingFailure)?\(/.test(fs.readFileSync(path.join(root, file), "utf8"));
}

export function filesOf(group: Group, root: string): string[] {
    const files = allTestFiles(root);
    const stackFiles = files.filter((file) => !runsAlone(file) && evaluatesStacks(file, root));
    return files.filter((file) => groupOf(file, stackFiles) === group);
}

/** Loads a group's test files into this process; each registers its tests as it would alone. */
export function loadGroup(group: Group): void {
    const root = path.join(__dirname, "..", "..");
    for (const file of filesOf(group, root)) {
        require(path.join(root, file));
    }
}
