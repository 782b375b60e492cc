import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { describe, it } from "node:test";
import { offlineDisclaimer } from "../../tools/planReport";
import { stackFileConfig } from "../../offline/stackConfig";
import { placeholderSecret } from "../../tools/encryptedConfig";
import { parseMarkdown, tableRecords } from "./markdownDocument";
import { assertNoSecret, editStackFile, plan, restore, scratchRepository, withEditedRevision } from "./planCliHarness";

describe("npm run plan --against a git ref: what an edit shows", () => {
    const repository = scratchRepository();

    it("shows a fourth node's resources as added when prod's nodeCount goes from 3 to 4, in markdown", async () => {
        assert.equal(stackFileConfig("prod", repository())["mendix-cluster:nodeCount"], 3, "the edit starts from 3 nodes");
        editStackFile(repository(), "prod", "mendix-cluster:nodeCount", 4);
        try {
            const result = await plan(repository(), ["--stack", "prod", "--against", "HEAD", "--format", "markdown"]);
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
            restore(repository(), "Pulumi.prod.yaml");
        }
    });

    it("flags a restore as switching every app's database (exit 3), and refuses an instant in the future or fewer nodes with it (exit 4), naming the keys", async () => {
        const anHourAgo = new Date(Date.now() - 60 * 60 * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
        editStackFile(repository(), "prod", "mendix-cluster:restore", { pointInTime: anHourAgo });
        try {
            const result = await plan(repository(), ["--stack", "prod", "--against", "HEAD"]);
            assert.equal(result.status, 3, result.stderr);
            const text = result.stdout.replace(/\s+/g, " ");
            assert.match(text, /! App app switches from database app to app-\d{8}t\d{6}z on node-0, node-1, node-2/);
            assert.match(text, /\+ azure-native:sql:Database mendix-sql-app-\d{8}t\d{6}z \[restored from app to \d{4}-/);
            assert.match(text, /\+ pulumi-nodejs:dynamic\/mendix:FilesRestore mendix-restore-files-\d{8}t\d{6}z \[restores files-app to /);
            editStackFile(repository(), "prod", "mendix-cluster:restore", { pointInTime: "2100-01-01T00:00:00Z" });
            const refused = await plan(repository(), ["--stack", "prod", "--against", "HEAD"]);
            assert.equal(refused.status, 4, refused.stdout);
            assert.match(refused.stderr, /\n {2}- restore\.pointInTime: got "2100-01-01T00:00:00Z"; allowed: an instant in the past/);
            editStackFile(repository(), "prod", "mendix-cluster:restore", { pointInTime: anHourAgo });
            editStackFile(repository(), "prod", "mendix-cluster:nodeCount", 2);
            const fewer = await plan(repository(), ["--stack", "prod", "--against", "HEAD"]);
            assert.equal(fewer.status, 4, fewer.stdout);
            assert.match(fewer.stderr, /\n {2}- nodeCount: got 2; allowed: at least 3 \(the nodes deployed: node-0, node-1, node-2\) while restore\.pointInTime/);
        } finally {
            restore(repository(), "Pulumi.prod.yaml");
        }
    });

    it("evaluates a revision that restored, however long ago, as deployed: the key left in or taken out changes nothing (exit 0)", async () => {
        // Forty days back: past prod's 14-day restore window today, within it when the restore ran.
        const restoredAt = new Date(Date.now() - 40 * 24 * 60 * 60 * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
        const withRestore = (source: string) => source.replace("  mendix-cluster:protect: true\n", `  mendix-cluster:protect: true\n  mendix-cluster:restore:\n    pointInTime: "${restoredAt}"\n`);
        await withEditedRevision(repository(), "Pulumi.prod.yaml", withRestore, "prod restored", async () => {
            const takenOut = await plan(repository(), ["--stack", "prod", "--against", "HEAD"]);
            assert.equal(takenOut.status, 0, takenOut.stderr);
            assert.match(takenOut.stdout, /^Summary: 0 to add, 0 to change \(0 replaced\), 0 to remove;/m);
            execFileSync("git", ["checkout", "-q", "HEAD", "--", "Pulumi.prod.yaml"], { cwd: repository() });
            const leftIn = await plan(repository(), ["--stack", "prod", "--against", "HEAD"]);
            assert.equal(leftIn.status, 0, leftIn.stderr);
            assert.match(leftIn.stdout, /^Summary: 0 to add, 0 to change \(0 replaced\), 0 to remove;/m);
        });
    });

    it("calls prod's nodeCount from 3 to 2 routine (exit 0), naming the node that leaves and what goes with it", async () => {
        editStackFile(repository(), "prod", "mendix-cluster:nodeCount", 2);
        try {
            const result = await plan(repository(), ["--stack", "prod", "--against", "HEAD"]);
            assert.equal(result.status, 0, result.stdout);
            assert.ok(!result.stdout.includes("Needs attention"), result.stdout);
            const leaving = result.stdout.split("\n\n").find((block) => block.startsWith("Nodes leaving (routine):"))?.replace(/\s+/g, " ");
            assert.equal(leaving, "Nodes leaving (routine): - node-2 leaves the cluster, and with it its VM mx-prod-node-2, its data disk mx-prod-node-2-data " +
                "(the apps' deployment and logs; their files stay in Blob Storage, their data in SQL), its network interface, its managed identity, " +
                "3 role assignments, its settings blob, 2 VM extensions and its data collection rule association.");
        } finally {
            restore(repository(), "Pulumi.prod.yaml");
        }
    });

    it("shows a rotation's settings blobs as the secret settings that changed, in text and markdown, never the blobs' text", async () => {
        editStackFile(repository(), "prod", "mendix-cluster:rotation", { generation: 2 });
        try {
            const [text, markdown] = await Promise.all([
                plan(repository(), ["--stack", "prod", "--against", "HEAD"]),
                plan(repository(), ["--stack", "prod", "--against", "HEAD", "--format", "markdown"]),
            ]);
            for (const result of [text, markdown]) {
                assert.equal(result.status, 0, result.stderr);
                assert.doesNotMatch(result.stdout, /schemaVersion|runtimeSettings:|@Microsoft\.KeyVault/, "a blob's text shows");
                assertNoSecret(result.stdout);
            }
            const lines = text.stdout.split("\n");
            assert.equal(lines.filter((line) => line === "      settings: runtimeSettings.DatabasePassword: [secret] -> [secret] (changed)").length, 3, text.stdout);
            assert.ok(!lines.some((line) => line.includes("source.text")), "no row of the blob's text");
        } finally {
            restore(repository(), "Pulumi.prod.yaml");
        }
    });

    it("uses the stack file's own deployerCidrs as written, and shows it in the diff", async () => {
        editStackFile(repository(), "dev", "mendix-cluster:deployerCidrs", ["203.0.113.7"]);
        try {
            const result = await plan(repository(), ["--stack", "dev", "--against", "HEAD"]);
            assert.equal(result.status, 0, result.stderr);
            const lines = result.stdout.split("\n");
            assert.ok(lines.includes("Summary: 0 to add, 1 to change (0 replaced), 0 to remove; the leader stays node-0."), result.stdout);
            const changed = lines.slice(lines.indexOf("Changed (1)") + 1, lines.indexOf("Removed (0)") - 1);
            assert.deepEqual(changed, [
                "  ~ azure-native:storage:StorageAccount mendix-storage-account  [sku Standard_ZRS]  (in mendix-storage)",
                "      networkRuleSet.ipRules: -198.51.100.7 -> +203.0.113.7",
            ]);
            assert.ok(!result.stdout.includes("sets no deployerCidrs"), "no stand-in note");
        } finally {
            restore(repository(), "Pulumi.dev.yaml");
        }
    });

    it("refuses a custom setting named like a secret in plain text with exit 4, naming the command, never the value", async () => {
        const token = "tok-live-5f2e9a7c";
        editStackFile(repository(), "prod", "mendix-cluster:apps", [{ name: "app", customSettings: { "Payments.ApiToken": token, "Payments.TokenTimeout": 30 } }]);
        try {
            const result = await plan(repository(), ["--stack", "prod", "--against", "HEAD"]);
            assert.equal(result.status, 4, result.stdout);
            assert.match(result.stderr, /\n {2}- apps\[0\]\.customSettings\.Payments\.ApiToken: got \[secret\]; allowed: a secret, .*pulumi config set --secret --path 'apps\[0\]\.customSettings\["Payments\.ApiToken"\]' <value>\n/);
            assert.ok(!result.stderr.includes(token), "the token leaks");
            assert.equal(result.stdout, "");
        } finally {
            restore(repository(), "Pulumi.prod.yaml");
        }
    });

    it("masks a secret custom setting in text and markdown, in the nodes and in the diff", async () => {
        editStackFile(repository(), "prod", "mendix-cluster:apps", [{
            name: "app", customSettings: { SessionTimeout: 600000, "Payments.ApiToken": { secure: "v1:dG9rZW4=:fixture-token-ciphertext" }, "Payments.TokenTimeout": 30 },
        }]);
        try {
            const [text, markdown] = await Promise.all([
                plan(repository(), ["--stack", "prod"]),
                plan(repository(), ["--stack", "prod", "--against", "HEAD", "--format", "markdown"]),
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
                assert.ok(!output.includes(placeholderSecret("v1:dG9rZW4=:fixture-token-ciphertext")), "a placeholder shows");
                assertNoSecret(output);
            }
        } finally {
            restore(repository(), "Pulumi.prod.yaml");
        }
    });
});
