import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { offlineDisclaimer } from "../../tools/planReport";
import { repositoryRoot, stackFileConfig } from "../../offline/stackConfig";
import { assertNoSecret, editStackFile, plan, restore, scratchRepository, withEditedRevision } from "./planCliHarness";
import { execFileSync } from "node:child_process";

/** The node names the text output's Nodes section lists. */
function listedNodes(stdout: string): string[] {
    const lines = stdout.split("\n");
    return lines.slice(lines.findIndex((line) => /^Nodes \(\d+\)$/.test(line)) + 1).flatMap((line) => /^ {2}(node-\d+) {2}/.exec(line)?.[1] ?? []);
}

describe("npm run plan for the working tree", () => {
    for (const stack of ["dev", "prod"]) {
        it(`prints ${stack}'s resources as a tree and its nodes, said to be offline, with no secret`, async () => {
            const result = await plan(repositoryRoot, ["--stack", stack]);
            assert.equal(result.status, 0, result.stderr);
            const lines = result.stdout.split("\n");
            assert.equal(lines[0], `Offline plan for stack ${stack} (working tree)`);
            assert.ok(result.stdout.replace(/\s+/g, " ").includes(offlineDisclaimer), "the disclaimer");
            assert.ok(lines.includes(`pulumi:pulumi:Stack mendix-cluster-${stack}`));
            assert.ok(lines.includes("└─ mendix:cluster:MendixCluster mendix"));
            const nodeCount = Number(stackFileConfig(stack)["mendix-cluster:nodeCount"]);
            assert.deepEqual(listedNodes(result.stdout), Array.from({ length: nodeCount }, (_, index) => `node-${index}`));
            assert.ok(lines.some((line) => /^ {2}node-0 {2}leader {2}/.test(line)));
            assert.ok(lines.some((line) => /^ {8}DatabasePassword = \[secret\]$/.test(line)));
            assertNoSecret(result.stdout);
        });
    }

    it("refuses an unknown stack and an unknown ref with exit code 2 and a message naming them", async () => {
        const [stack, ref] = await Promise.all([
            plan(repositoryRoot, ["--stack", "staging"]),
            plan(repositoryRoot, ["--stack", "prod", "--against", "no-such-ref-3f9a"]),
        ]);
        assert.equal(stack.status, 2);
        assert.match(stack.stderr, /--stack: got "staging"; allowed: .*dev.*prod/);
        assert.equal(ref.status, 2);
        assert.match(ref.stderr, /--against: got "no-such-ref-3f9a"; allowed: a branch, tag or commit/);
        assert.equal(stack.stdout + ref.stdout, "");
    });
});

describe("npm run plan --against a git ref: what it exits with", () => {
    const repository = scratchRepository();

    it("finds nothing to do against HEAD when nothing changed, and exits 0", async () => {
        const result = await plan(repository(), ["--stack", "prod", "--against", "HEAD"]);
        assert.equal(result.status, 0, result.stderr);
        const lines = result.stdout.split("\n");
        assert.match(lines[0] ?? "", /^Offline plan for stack prod: working tree against HEAD \([0-9a-f]{7}\)$/);
        assert.ok(lines.includes("Summary: 0 to add, 0 to change (0 replaced), 0 to remove; the leader stays node-0."), result.stdout);
        assert.match(result.stdout.replace(/\s+/g, " "), /Note: Pulumi\.prod\.yaml holds adminPassword encrypted, which cannot be decrypted offline/);
        for (const section of ["Added (0)", "Changed (0)", "Removed (0)"]) {
            assert.equal(lines[lines.indexOf(section) + 1], "  (none)", section);
        }
    });

    it("exits 4 with the program's own message when the stack config is invalid", async () => {
        editStackFile(repository(), "dev", "mendix-cluster:nodeCount", 0);
        try {
            const result = await plan(repository(), ["--stack", "dev"]);
            assert.equal(result.status, 4);
            assert.match(result.stderr, /^plan: The program refused the stack's input in the working tree: .*\n {2}- nodeCount: got 0; allowed: /s);
            assert.ok(!result.stderr.includes("    at "), "no stack trace");
            assert.equal(result.stdout, "");
        } finally {
            restore(repository(), "Pulumi.dev.yaml");
        }
    });

    it("exits 4, as pulumi up refuses them, for a smaller data disk and an admin password set again on deployed nodes", async () => {
        editStackFile(repository(), "prod", "mendix-cluster:dataDiskSizeGb", 128);
        editStackFile(repository(), "prod", "mendix-cluster:adminPassword", { secure: "v1:aGVsbG8=:another-ciphertext" });
        try {
            const result = await plan(repository(), ["--stack", "prod", "--against", "HEAD"]);
            assert.equal(result.status, 4, result.stdout);
            assert.match(result.stderr, /^plan: The program refused the stack's input in the working tree: The stack config has 2 invalid values/);
            assert.match(result.stderr, /\n {2}- dataDiskSizeGb: got 128; allowed: 256 or more: every node's data disk has 256 GB, and Azure cannot shrink a managed disk\n/);
            assert.match(result.stderr, /\n {2}- adminPassword: got \[secret\]; allowed: the password the nodes were deployed with, not another: /);
            assert.equal(result.stdout, "");
        } finally {
            restore(repository(), "Pulumi.prod.yaml");
        }
    });

    it("exits 4, as pulumi up refuses it, for a secret-named setting in plain text beside an encrypted one, naming its path and never its value", async () => {
        editStackFile(repository(), "dev", "mendix-cluster:apps", [{
            name: "app", customSettings: { "Other.Token": { secure: "v1:aGVsbG8=:fixture-token" }, "MyModule.ApiPassword": "hunter2-plain", SessionTimeout: 600000 },
        }]);
        try {
            const result = await plan(repository(), ["--stack", "dev"]);
            assert.equal(result.status, 4, result.stdout);
            assert.match(result.stderr, /\n {2}- apps\[0\]\.customSettings\.MyModule\.ApiPassword: got \[secret\]; allowed: a secret, as its name says .*pulumi config set --secret --path 'apps\[0\]\.customSettings\["MyModule\.ApiPassword"\]' <value>\n/);
            assert.doesNotMatch(result.stderr, /Other\.Token|hunter2/);
        } finally {
            restore(repository(), "Pulumi.dev.yaml");
        }
    });

    it("with --strict, exits 4 as pulumi up refuses them for a stack file without deployerCidrs or installers, with or without --against", async () => {
        const [alone, against] = await Promise.all([
            plan(repository(), ["--stack", "dev", "--strict"]),
            plan(repository(), ["--stack", "dev", "--strict", "--against", "HEAD"]),
        ]);
        for (const result of [alone, against]) {
            assert.equal(result.status, 4, result.stdout);
            assert.match(result.stderr, /^plan: The program refused the stack's input in the working tree: The stack config has 2 invalid values/);
            assert.deepEqual([...result.stderr.matchAll(/^ {2}- ([^:]+):/gm)].map((match) => match[1]), ["deployerCidrs", "installers.serviceConsole"]);
            assert.equal(result.stdout, "");
        }
    });

    it("exits 1, saying the revision could not be evaluated and naming it once, when the revision's program refuses its own stack file", async () => {
        await withEditedRevision(repository(), "Pulumi.dev.yaml", (source) => source.replace(/nodeCount: 2/, "nodeCount: 0"), "a revision whose dev config is refused", async () => {
            const sha = execFileSync("git", ["rev-parse", "--short=7", "HEAD"], { cwd: repository(), encoding: "utf8" }).trim();
            const result = await plan(repository(), ["--stack", "dev", "--against", sha]);
            assert.equal(result.status, 1, result.stdout);
            assert.match(result.stderr, new RegExp(`^plan: The revision ${sha} could not be evaluated, so the plan has nothing to compare the working tree with and no verdict on it: ` +
                "its program refused the config the plan gave it \\(its stack file, with this working tree's stand-ins\\): The stack config has 1 invalid value"));
            assert.ok(!result.stderr.includes(`${sha} (${sha})`), "the commit named once");
            assert.ok(!result.stderr.includes("as pulumi up would"), result.stderr);
        });
    });

    it("exits 4 naming each key when the stack file sets a value the program refuses, stand-ins or not", async () => {
        editStackFile(repository(), "dev", "mendix-cluster:deployerCidrs", ["0.0.0.0/0"]);
        editStackFile(repository(), "dev", "mendix-cluster:installers", { urlRewrite: { sha256: "not-a-hash" } });
        try {
            const result = await plan(repository(), ["--stack", "dev", "--against", "HEAD"]);
            assert.equal(result.status, 4, result.stdout);
            assert.match(result.stderr, /^plan: The program refused the stack's input in the working tree: The stack config has \d+ invalid values/);
            assert.match(result.stderr, /\n {2}- deployerCidrs\[0\]: got "0\.0\.0\.0\/0"; allowed: /);
            assert.match(result.stderr, /\n {2}- installers\.urlRewrite\.sha256: got "not-a-hash"; allowed: /);
            assert.match(result.stderr, /\n {2}- installers\.serviceConsole: got nothing; allowed: /, "what the file leaves out of installers gets no stand-in");
            assert.equal(result.stdout, "");
        } finally {
            restore(repository(), "Pulumi.dev.yaml");
        }
    });
});
