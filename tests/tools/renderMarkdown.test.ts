import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { offlineDisclaimer } from "../../tools/planReport";
import { markdownCell, markdownProse, renderMarkdown } from "../../tools/renderMarkdown";
import { clusterResources, secretValues } from "./fixtures";
import { parseMarkdown, tableRecords } from "./markdownDocument";
import { fixtureComparison, fixturePlan, fixtureScaleIn } from "./reports";

function assertNoSecret(text: string): void {
    for (const secret of Object.values(secretValues)) {
        assert.ok(!text.includes(secret), `${secret} leaks`);
    }
}

describe("renderMarkdown of a comparison", () => {
    const markdown = renderMarkdown(fixtureComparison(true));
    const document = parseMarkdown(markdown);

    it("starts with a heading and the offline disclaimer, then a summary line with counts", () => {
        assert.equal(document.headings[0]?.level, 3);
        assert.match(document.headings[0]?.text ?? "", /^Offline plan: `prod`, working tree against main \(abc1234\)$/);
        assert.equal(document.quotes[0], offlineDisclaimer);
        assert.equal(document.paragraphs[0], "**Summary:** 2 to add, 4 to change (1 replaced), 0 to remove; the leader stays node-0.");
        assert.ok(markdown.indexOf(offlineDisclaimer) < markdown.indexOf("**Summary:**"));
    });

    it("warns of the protected SQL server that a new region replaces", () => {
        const warning = document.quotes.find((quote) => quote.startsWith("[!WARNING]"));
        assert.ok(warning);
        assert.match(warning, /azure-native:sql:Server mendix-sql-server \(protected, holds data\) would be replaced: location changed/);
    });

    it("says which node leaves and what goes with it, as routine, without a warning", () => {
        const scaleIn = parseMarkdown(renderMarkdown(fixtureScaleIn()));
        assert.equal(scaleIn.quotes.find((quote) => quote.startsWith("[!WARNING]")), undefined);
        assert.deepEqual(scaleIn.paragraphs.slice(1, 3), [
            "**Nodes leaving** (routine):",
            "- node-2 leaves the cluster, and with it its VM mx-prod-node-2, its data disk mx-prod-node-2-data (the apps' deployment and logs; " +
                "their files stay in Blob Storage, their data in SQL), its network interface, its role assignment and its settings blob.",
        ]);
    });

    it("has collapsible sections of added, changed and removed resources, each with its count", () => {
        assert.deepEqual(document.details.map((section) => section.summary), ["Added (2)", "Changed (4)", "Removed (0)"]);
        assert.deepEqual(document.details[2]?.paragraphs, ["None."]);
    });

    it("tables the added resources with their facts", () => {
        const added = tableRecords(document.details[0]?.tables[0] ?? { headers: [], rows: [] });
        assert.deepEqual(added.map((row) => [row["resource"], row["type"]]), [
            ["mendix-nodes-node-3-vm", "azure-native:compute:VirtualMachine"],
            ["mendix-agent-node-3-app-settings", "azure-native:storage:Blob"],
        ]);
        assert.equal(added[0]?.["facts"], "node-3 follower · apps app · zone 1 · size Standard_D4s_v5");
    });

    it("tables each changed property with before, after and whether it replaces", () => {
        const changed = tableRecords(document.details[1]?.tables[0] ?? { headers: [], rows: [] });
        assert.deepEqual(changed.find((row) => row["resource"] === "mendix-sql-server"), {
            resource: "mendix-sql-server", type: "azure-native:sql:Server", property: "location", before: "westeurope", after: "northeurope", effect: "**replace**",
        });
        const settings = changed.filter((row) => row["property"] === "settings: customSettings.SessionTimeout");
        assert.equal(settings.length, 3, "one row per existing node");
        assert.ok(settings.every((row) => row["before"] === "600000" && row["after"] === "900000" && row["effect"] === "update"));
        assertNoSecret(markdown);
    });

    it("has no warning when nothing protected is at risk and the leader stays", () => {
        const calm = parseMarkdown(renderMarkdown(fixtureComparison(false)));
        assert.equal(calm.quotes.some((quote) => quote.startsWith("[!WARNING]")), false);
    });
});

describe("renderMarkdown of one stack", () => {
    const markdown = renderMarkdown(fixturePlan(clusterResources(2, { Pattern: "a|b" }), ["Pulumi.prod.yaml holds adminPassword encrypted"]));
    const document = parseMarkdown(markdown);

    it("says what it is, that it is offline, and what was left out", () => {
        assert.equal(document.headings[0]?.text, "Offline plan: `prod` (working tree)");
        assert.deepEqual(document.quotes, [offlineDisclaimer, "**Note:** Pulumi.prod.yaml holds adminPassword encrypted"]);
        assert.equal(document.paragraphs[0], "**Summary:** 4 resources, 2 nodes, leader `node-0`.");
    });

    it("tables resources, nodes and every node's settings, secrets redacted and pipes kept", () => {
        assert.deepEqual(document.details.map((section) => section.summary), ["Resources (4)", "Nodes (2)", "Node settings (17)"]);
        const nodes = tableRecords(document.details[1]?.tables[0] ?? { headers: [], rows: [] });
        assert.deepEqual(nodes.map((node) => [node["node"], node["role"], node["zone"], node["apps"]]), [["node-0", "leader", "1", "app"], ["node-1", "follower", "2", "app"]]);
        const settings = tableRecords(document.details[2]?.tables[0] ?? { headers: [], rows: [] });
        const value = (node: string, setting: string) => settings.find((row) => row["node"] === node && row["setting"] === setting)?.["value"];
        assert.equal(value("node-0", "DatabasePassword"), "[secret]");
        assert.equal(value("node-1", "com.mendix.storage.azure.AccountKey"), "[secret]");
        assert.equal(value("node-1", "com.mendix.core.isClusterSlave"), "true");
        assert.equal(value("node-0", "com.mendix.core.isClusterSlave"), undefined);
        assert.equal(value("node-0", "Pattern"), "a|b");
        assertNoSecret(markdown);
    });
});

describe("markdownProse", () => {
    it("escapes HTML outside code spans only", () => {
        assert.equal(markdownProse("a <b> and `set <secret>` & c"), "a &lt;b&gt; and `set <secret>` &amp; c");
    });
});

describe("markdownCell", () => {
    it("keeps a cell on one line, escapes pipes and HTML outside code", () => {
        assert.equal(markdownCell("a|b\nc"), "a\\|b c");
        assert.equal(markdownCell("<b>", false), "&lt;b&gt;");
        assert.equal(markdownCell("x`y", true), "x`y");
        assert.equal(markdownCell("xy", true), "`xy`");
    });
});
