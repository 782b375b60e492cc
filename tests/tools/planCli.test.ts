import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { parseDocument } from "yaml";
import { offlineDisclaimer } from "../../tools/planReport";
import { offlineSecrets } from "../../offline/azureMocks";
import { repositoryRoot, stackFileConfig } from "../../offline/stackConfig";
import { parseMarkdown, tableRecords } from "./markdownDocument";

interface PlanRun {
    readonly status: number;
    readonly stdout: string;
    readonly stderr: string;
}

/** Runs `tools/plan.ts` as `npm run plan` does, in `cwd`. */
function plan(cwd: string, args: readonly string[]): Promise<PlanRun> {
    return new Promise((resolve) => {
        execFile(process.execPath, ["--import", "tsx", "tools/plan.ts", ...args], { cwd, maxBuffer: 16 * 2 ** 20 }, (error, stdout, stderr) => {
            const status = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
            resolve({ status, stdout, stderr });
        });
    });
}

const secretsOfTheMocks = [offlineSecrets.storageKey, offlineSecrets.randomPassword("mendix-sql-admin-password"), offlineSecrets.randomPassword("mendix-admin-password")];

function assertNoSecret(text: string): void {
    for (const secret of secretsOfTheMocks) {
        assert.ok(!text.includes(secret), `${secret} leaks`);
    }
}

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

/**
 * A throwaway git repository holding a copy of the working tree, committed: its HEAD is what the
 * working tree is now, and edits made in it leave this repository's git state alone.
 */
function copyIntoNewRepository(): string {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), "plan-cli-"));
    try {
        const files = execFileSync("git", ["--no-optional-locks", "-C", repositoryRoot, "ls-files", "-z", "--cached", "--others", "--exclude-standard"], { encoding: "utf8" })
            .split("\0")
            .filter((file) => file !== "");
        for (const file of files) {
            const source = path.join(repositoryRoot, file);
            // A file listed but gone since (a deleted file still in the index) is not part of the working tree.
            if (fs.existsSync(source)) {
                fs.mkdirSync(path.dirname(path.join(directory, file)), { recursive: true });
                fs.copyFileSync(source, path.join(directory, file));
            }
        }
        fs.symlinkSync(path.join(repositoryRoot, "node_modules"), path.join(directory, "node_modules"), "dir");
        fs.symlinkSync(path.join(repositoryRoot, "agent", "publish"), path.join(directory, "agent", "publish"), "dir");
        // As a stack with `pulumi config set --secret adminPassword` would hold it.
        editStackFile(directory, "prod", "mendix-cluster:adminPassword", { secure: "v1:aGVsbG8=:fixture-ciphertext" });
        const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=plan test", "-c", "user.email=plan@example.invalid", ...args], { cwd: directory, stdio: "ignore" });
        git("init", "-q");
        git("add", "-A");
        git("commit", "-q", "-m", "the working tree");
        return directory;
    } catch (error) {
        fs.rmSync(directory, { recursive: true, force: true });
        throw error;
    }
}

function editStackFile(directory: string, stack: string, key: string, value: unknown): void {
    const file = path.join(directory, `Pulumi.${stack}.yaml`);
    const document = parseDocument(fs.readFileSync(file, "utf8"));
    document.setIn(["config", key], value);
    fs.writeFileSync(file, document.toString());
}

describe("npm run plan --against a git ref", () => {
    let repository = "";
    before(() => {
        repository = copyIntoNewRepository();
    });
    after(() => {
        if (repository !== "") {
            fs.rmSync(repository, { recursive: true, force: true });
        }
    });

    it("finds nothing to do against HEAD when nothing changed, and exits 0", async () => {
        const result = await plan(repository, ["--stack", "prod", "--against", "HEAD"]);
        assert.equal(result.status, 0, result.stderr);
        const lines = result.stdout.split("\n");
        assert.match(lines[0] ?? "", /^Offline plan for stack prod: working tree against HEAD \([0-9a-f]{7}\)$/);
        assert.ok(lines.includes("Summary: 0 to add, 0 to change (0 replaced), 0 to remove; the leader stays node-0."), result.stdout);
        assert.match(result.stdout.replace(/\s+/g, " "), /Note: Pulumi\.prod\.yaml holds adminPassword encrypted, which cannot be decrypted offline/);
        for (const section of ["Added (0)", "Changed (0)", "Removed (0)"]) {
            assert.equal(lines[lines.indexOf(section) + 1], "  (none)", section);
        }
    });

    it("shows a fourth node's resources as added when prod's nodeCount goes from 3 to 4, in markdown", async () => {
        assert.equal(stackFileConfig("prod", repository)["mendix-cluster:nodeCount"], 3, "the edit starts from 3 nodes");
        editStackFile(repository, "prod", "mendix-cluster:nodeCount", 4);
        try {
            const result = await plan(repository, ["--stack", "prod", "--against", "HEAD", "--format", "markdown"]);
            assert.equal(result.status, 0, result.stderr);
            const document = parseMarkdown(result.stdout);
            assert.match(document.headings[0]?.text ?? "", /^Offline plan: `prod`, working tree against HEAD/);
            assert.equal(document.quotes[0], offlineDisclaimer);
            const added = tableRecords(document.details[0]?.tables[0] ?? { headers: [], rows: [] });
            assert.deepEqual(document.details.map((section) => section.summary), [`Added (${added.length})`, "Changed (0)", "Removed (0)"]);
            const addedTypes = new Set(added.map((row) => row["type"]));
            for (const perNode of [
                "azure-native:compute:Disk",
                "azure-native:compute:VirtualMachine",
                "azure-native:compute:VirtualMachineExtension",
                "azure-native:network:NetworkInterface",
                "azure-native:storage:Blob",
            ]) {
                assert.ok(addedTypes.has(perNode), `a ${perNode} is added`);
            }
            assert.ok(added.every((row) => (row["resource"] ?? "").includes("node-3")), "only node-3's resources");
            assert.match(added.find((row) => row["type"] === "azure-native:compute:VirtualMachine")?.["facts"] ?? "", /^node-3 follower · apps app · zone 1 · size /);
            assertNoSecret(result.stdout);
        } finally {
            execFileSync("git", ["checkout", "-q", "--", "Pulumi.prod.yaml"], { cwd: repository });
        }
    });

    it("exits 4 with the program's own message when the stack config is invalid", async () => {
        editStackFile(repository, "dev", "mendix-cluster:nodeCount", 0);
        try {
            const result = await plan(repository, ["--stack", "dev"]);
            assert.equal(result.status, 4);
            assert.match(result.stderr, /^plan: The program refused the stack's input in the working tree: .*\n {2}- nodeCount: got 0; allowed: /s);
            assert.ok(!result.stderr.includes("    at "), "no stack trace");
            assert.equal(result.stdout, "");
        } finally {
            execFileSync("git", ["checkout", "-q", "--", "Pulumi.dev.yaml"], { cwd: repository });
        }
    });

    it("exits 4 naming each key when the stack file sets a value the program refuses, stand-ins or not", async () => {
        editStackFile(repository, "dev", "mendix-cluster:deployerCidrs", ["0.0.0.0/0"]);
        editStackFile(repository, "dev", "mendix-cluster:installers", { urlRewrite: { sha256: "not-a-hash" } });
        try {
            const result = await plan(repository, ["--stack", "dev", "--against", "HEAD"]);
            assert.equal(result.status, 4, result.stdout);
            assert.match(result.stderr, /^plan: The program refused the stack's input in the working tree: The stack config has \d+ invalid values/);
            assert.match(result.stderr, /\n {2}- deployerCidrs\[0\]: got "0\.0\.0\.0\/0"; allowed: /);
            assert.match(result.stderr, /\n {2}- installers\.urlRewrite\.sha256: got "not-a-hash"; allowed: /);
            assert.match(result.stderr, /\n {2}- installers\.serviceConsole: got nothing; allowed: /, "what the file leaves out of installers gets no stand-in");
            assert.equal(result.stdout, "");
        } finally {
            execFileSync("git", ["checkout", "-q", "--", "Pulumi.dev.yaml"], { cwd: repository });
        }
    });

    it("uses the stack file's own deployerCidrs as written, and shows it in the diff", async () => {
        editStackFile(repository, "dev", "mendix-cluster:deployerCidrs", ["203.0.113.7"]);
        try {
            const result = await plan(repository, ["--stack", "dev", "--against", "HEAD"]);
            assert.equal(result.status, 0, result.stderr);
            const lines = result.stdout.split("\n");
            assert.ok(lines.includes("Summary: 0 to add, 1 to change (0 replaced), 0 to remove; the leader stays node-0."), result.stdout);
            const changed = lines.slice(lines.indexOf("Changed (1)") + 1, lines.indexOf("Removed (0)") - 1);
            assert.deepEqual(changed, [
                "  ~ azure-native:storage:StorageAccount mendix-storage-account  [sku Standard_ZRS]  (in mendix-storage)",
                "      networkRuleSet.ipRules[0].iPAddressOrRange: 198.51.100.7 -> 203.0.113.7",
            ]);
            assert.ok(!result.stdout.includes("sets no deployerCidrs"), "no stand-in note");
        } finally {
            execFileSync("git", ["checkout", "-q", "--", "Pulumi.dev.yaml"], { cwd: repository });
        }
    });

    it("masks a custom setting named like a secret in text and markdown, in the nodes and in the diff", async () => {
        const token = "tok-live-5f2e9a7c";
        editStackFile(repository, "prod", "mendix-cluster:apps", [{ name: "app", customSettings: { SessionTimeout: 600000, "Payments.ApiToken": token, "Payments.TokenTimeout": 30 } }]);
        try {
            const [text, markdown] = await Promise.all([
                plan(repository, ["--stack", "prod"]),
                plan(repository, ["--stack", "prod", "--against", "HEAD", "--format", "markdown"]),
            ]);
            assert.equal(text.status, 0, text.stderr);
            assert.equal(markdown.status, 0, markdown.stderr);
            const lines = text.stdout.split("\n");
            assert.equal(lines.filter((line) => line === "        Payments.ApiToken = [secret]").length, 3, "one per node");
            assert.equal(lines.filter((line) => line === "        Payments.TokenTimeout = 30").length, 3, "a timeout is no secret");
            const changed = tableRecords(parseMarkdown(markdown.stdout).details[1]?.tables[0] ?? { headers: [], rows: [] });
            const tokenRows = changed.filter((row) => (row["property"] ?? "").includes("Payments.ApiToken"));
            assert.equal(tokenRows.length, 3, JSON.stringify(changed));
            for (const row of tokenRows) {
                assert.equal(row["after"], "[secret]");
            }
            for (const output of [text.stdout, markdown.stdout, text.stderr, markdown.stderr]) {
                assert.ok(!output.includes(token), "the token leaks");
                assertNoSecret(output);
            }
        } finally {
            execFileSync("git", ["checkout", "-q", "--", "Pulumi.prod.yaml"], { cwd: repository });
        }
    });

    it("exits 3 and flags each node's replaced VM and data disk when prod's zones become [\"1\"]", async () => {
        editStackFile(repository, "prod", "mendix-cluster:zones", ["1"]);
        try {
            const result = await plan(repository, ["--stack", "prod", "--against", "HEAD"]);
            assert.equal(result.status, 3, result.stderr);
            const attention = (result.stdout.split("\n\n").find((block) => block.startsWith("Needs attention:")) ?? "").replace(/\s+/g, " ");
            for (const node of ["node-1", "node-2"]) {
                assert.match(attention, new RegExp(`azure-native:compute:VirtualMachine mendix-nodes-${node}-vm \\(rebuilds its node\\) would be replaced: zones changed\\.`), result.stdout);
                assert.match(attention, new RegExp(`azure-native:compute:Disk mendix-nodes-${node}-data \\(holds data, rebuilds its node\\) would be replaced: zones changed\\.`), result.stdout);
            }
            assert.doesNotMatch(attention, /node-0-(vm|data)/, "node-0 stays in zone 1");
            // Two VMs, their data disks and the scale set replaced; zones 2 and 3's NAT, subnet and alerts removed.
            assert.ok(result.stdout.split("\n").includes("Summary: 0 to add, 8 to change (5 replaced), 8 to remove; the leader stays node-0."), result.stdout);
        } finally {
            execFileSync("git", ["checkout", "-q", "--", "Pulumi.prod.yaml"], { cwd: repository });
        }
    });

    it("exits 3 and flags the storage account as replaced when a whole encryption block is added", async () => {
        const storage = path.join(repository, "components", "storage.ts");
        const source = fs.readFileSync(storage, "utf8");
        const block = /^ {12}encryption: \{\n(?: {16}.*\n)+ {12}\},\n/m;
        assert.match(source, block, "components/storage.ts sets the account's encryption block");
        fs.writeFileSync(storage, source.replace(block, ""));
        const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=plan test", "-c", "user.email=plan@example.invalid", ...args], { cwd: repository, stdio: "ignore" });
        git("commit", "-q", "-am", "a storage account without an encryption block");
        try {
            git("checkout", "-q", "HEAD~1", "--", "components/storage.ts");
            const result = await plan(repository, ["--stack", "dev", "--against", "HEAD"]);
            assert.equal(result.status, 3, result.stderr);
            const lines = result.stdout.split("\n");
            assert.ok(lines.includes("Summary: 0 to add, 1 to change (1 replaced), 0 to remove; the leader stays node-0."), result.stdout);
            const attention = (result.stdout.split("\n\n").find((block) => block.startsWith("Needs attention:")) ?? "").replace(/\s+/g, " ");
            assert.match(attention, /azure-native:storage:StorageAccount mendix-storage-account \(holds data\) would be replaced: encryption\.requireInfrastructureEncryption changed\./, result.stdout);
        } finally {
            git("reset", "-q", "--hard", "HEAD~1");
        }
    });

    it("exits 3 and says why when an edit would replace the SQL server and storage account", async () => {
        editStackFile(repository, "dev", "azure-native:location", "northeurope");
        try {
            const result = await plan(repository, ["--stack", "dev", "--against", "HEAD"]);
            assert.equal(result.status, 3, result.stderr);
            const attention = result.stdout.split("\n\n").find((block) => block.startsWith("Needs attention:")) ?? "";
            assert.match(attention, /azure-native:sql:Server mendix-sql-server \(holds data\) would be replaced: location changed/);
            assert.match(attention, /azure-native:storage:StorageAccount mendix-storage-account \(holds data\) would be replaced/);
        } finally {
            execFileSync("git", ["checkout", "-q", "--", "Pulumi.dev.yaml"], { cwd: repository });
        }
    });
});
