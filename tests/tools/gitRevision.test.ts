import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { pathsMatchCommit, resolveCommit } from "../../tools/gitRevision";

describe("pathsMatchCommit, which decides whether a revision is planned with the working tree's program", () => {
    let repository = "";
    let commit = "";
    const write = (file: string, text: string) => {
        fs.mkdirSync(path.dirname(path.join(repository, file)), { recursive: true });
        fs.writeFileSync(path.join(repository, file), text);
    };
    const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=test", "-c", "user.email=test@example.invalid", ...args], { cwd: repository, stdio: "ignore" });

    before(() => {
        repository = fs.mkdtempSync(path.join(os.tmpdir(), "git-revision-"));
        write("components/program.ts", "export const a = 1;\n");
        write("Pulumi.dev.yaml", "config: {}\n");
        write(".gitignore", "*.log\n");
        git("init", "-q");
        git("add", "-A");
        git("commit", "-q", "-m", "first");
        commit = resolveCommit(repository, "HEAD") ?? assert.fail("the commit resolves");
    });
    after(() => fs.rmSync(repository, { recursive: true, force: true }));

    it("holds when only files outside the folder changed", () => {
        write("Pulumi.dev.yaml", "config:\n  mendix-cluster:nodeCount: 2\n");
        assert.equal(pathsMatchCommit(repository, commit, ["components"]), true);
        git("checkout", "-q", "--", "Pulumi.dev.yaml");
    });

    it("fails for an edit in the folder, staged or not", () => {
        write("components/program.ts", "export const a = 2;\n");
        assert.equal(pathsMatchCommit(repository, commit, ["components"]), false);
        git("add", "components/program.ts");
        assert.equal(pathsMatchCommit(repository, commit, ["components"]), false);
        git("reset", "-q", "--hard");
        assert.equal(pathsMatchCommit(repository, commit, ["components"]), true);
    });

    it("fails for a file the commit lacks, untracked or ignored", () => {
        for (const file of ["components/extra.ts", "components/debug.log"]) {
            write(file, "x\n");
            assert.equal(pathsMatchCommit(repository, commit, ["components"]), false, file);
            fs.rmSync(path.join(repository, file));
        }
    });
});
