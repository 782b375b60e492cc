import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/**
 * A throwaway git repository holding a copy of a working tree (tracked and untracked files, as git
 * lists them), sharing its node_modules and published agent: edits and commits made in it leave the
 * original repository alone. `prepare` may edit the copy before its first commit.
 */
export function copyIntoScratchRepository(root: string, prepare: (directory: string) => void = () => undefined): string {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), "plan-scratch-"));
    try {
        const files = execFileSync("git", ["--no-optional-locks", "-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard"], { encoding: "utf8" })
            .split("\0")
            .filter((file) => file !== "");
        for (const file of files) {
            const source = path.join(root, file);
            // A file listed but gone since (a deleted file still in the index) is not part of the working tree.
            if (fs.existsSync(source)) {
                fs.mkdirSync(path.dirname(path.join(directory, file)), { recursive: true });
                fs.copyFileSync(source, path.join(directory, file));
            }
        }
        fs.symlinkSync(path.join(root, "node_modules"), path.join(directory, "node_modules"), "dir");
        fs.symlinkSync(path.join(root, "agent", "publish"), path.join(directory, "agent", "publish"), "dir");
        prepare(directory);
        scratchGit(directory, "init", "-q");
        commitAll(directory, "the working tree");
        return directory;
    } catch (error) {
        fs.rmSync(directory, { recursive: true, force: true });
        throw error;
    }
}

/** Runs git in a scratch repository, as a throwaway author. */
export function scratchGit(directory: string, ...args: string[]): void {
    execFileSync("git", ["-c", "user.name=plan scratch", "-c", "user.email=plan@example.invalid", ...args], { cwd: directory, stdio: "ignore" });
}

export function commitAll(directory: string, message: string): void {
    scratchGit(directory, "add", "-A");
    scratchGit(directory, "commit", "-q", "--allow-empty", "-m", message);
}
