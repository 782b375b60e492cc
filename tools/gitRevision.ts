import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** Another revision of this repository, exported to a temporary directory. */
export interface ExportedRevision {
    /** The revision's files, with this working tree's node_modules and published agent linked in. */
    readonly directory: string;
    dispose(): void;
}

// Read-only: no optional locks, so that not even `git diff`'s index refresh is written back.
const readOnlyGit = ["--no-optional-locks", "-C"] as const;

function git(root: string, args: readonly string[]): { status: number | null; stdout: string } {
    const result = spawnSync("git", [...readOnlyGit, root, ...args], { encoding: "utf8" });
    return { status: result.error === undefined ? result.status : null, stdout: result.stdout ?? "" };
}

/** The commit a ref names, or undefined when the repository has no such ref (or is no repository). */
export function resolveCommit(root: string, ref: string): string | undefined {
    if (ref.startsWith("-")) {
        return undefined;
    }
    const result = git(root, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`]);
    const commit = result.stdout.trim();
    return result.status === 0 && /^[0-9a-f]{40,64}$/.test(commit) ? commit : undefined;
}

/** Whether `paths` differ between a commit and the working tree (uncommitted edits count). */
export function differsFromWorkingTree(root: string, commit: string, paths: readonly string[]): boolean {
    return git(root, ["diff", "--quiet", commit, "--", ...paths]).status !== 0;
}

/**
 * Whether folders and files of the working tree are as the commit has them: no edit, committed or
 * not, and no file the commit lacks (an untracked or ignored one counts, since the program could load it).
 */
export function pathsMatchCommit(root: string, commit: string, paths: readonly string[]): boolean {
    return !differsFromWorkingTree(root, commit, paths) && git(root, ["ls-files", "--others", "-z", "--", ...paths]).stdout === "";
}

function linkIfPresent(target: string, link: string): void {
    if (fs.existsSync(target) && !fs.existsSync(link)) {
        fs.mkdirSync(path.dirname(link), { recursive: true });
        fs.symlinkSync(target, link, "dir");
    }
}

/**
 * Writes a commit's files (`git archive`, which reads the object store only) to a new temporary
 * directory and links in what a checkout does not hold: node_modules and the published agent.
 */
export function exportRevision(root: string, commit: string): ExportedRevision {
    const temporary = fs.mkdtempSync(path.join(os.tmpdir(), "mendix-plan-"));
    const dispose = () => fs.rmSync(temporary, { recursive: true, force: true });
    try {
        const archive = path.join(temporary, "revision.tar");
        const directory = path.join(temporary, "tree");
        fs.mkdirSync(directory);
        execFileSync("git", [...readOnlyGit, root, "archive", "--format=tar", "-o", archive, commit], { stdio: ["ignore", "ignore", "pipe"] });
        execFileSync("tar", ["-xf", archive, "-C", directory], { stdio: ["ignore", "ignore", "pipe"] });
        fs.rmSync(archive);
        linkIfPresent(path.join(root, "node_modules"), path.join(directory, "node_modules"));
        linkIfPresent(path.join(root, "agent", "publish"), path.join(directory, "agent", "publish"));
        return { directory, dispose };
    } catch (error) {
        dispose();
        throw error;
    }
}
