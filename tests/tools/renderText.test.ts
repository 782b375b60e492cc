import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { offlineDisclaimer } from "../../tools/planReport";
import { renderText, wrap } from "../../tools/renderText";
import { resource, secretValues } from "./fixtures";
import { fixtureComparison, fixturePlan, fixtureScaleIn } from "./reports";

function assertNoSecret(text: string): void {
    for (const secret of Object.values(secretValues)) {
        assert.ok(!text.includes(secret), `${secret} leaks`);
    }
}

describe("renderText of one stack", () => {
    const cluster = resource("mendix:cluster:MendixCluster", "mendix");
    const nodes = resource("mendix:cluster:Nodes", "mendix-nodes", {}, { parentUrn: cluster.urn });
    const disk = resource("azure-native:compute:Disk", "node-0-data", { zones: ["1"], diskSizeGB: 128 }, { parentUrn: nodes.urn });
    const group = resource("azure-native:resources:ResourceGroup", "mendix-rg", {}, { parentUrn: cluster.urn });
    const text = renderText(fixturePlan([cluster, nodes, disk, group], ["Pulumi.prod.yaml holds adminPassword encrypted."]));
    const lines = text.split("\n");

    it("opens with the title and the offline disclaimer, then the notes", () => {
        assert.equal(lines[0], "Offline plan for stack prod (working tree)");
        assert.equal(lines.slice(2, lines.indexOf("", 2)).join(" "), offlineDisclaimer);
        assert.ok(text.includes("Note: Pulumi.prod.yaml holds adminPassword encrypted."));
    });

    it("draws the resources as a tree by parent, with their facts", () => {
        const start = lines.indexOf("mendix:cluster:MendixCluster mendix");
        assert.deepEqual(lines.slice(start, start + 4), [
            "mendix:cluster:MendixCluster mendix",
            "├─ mendix:cluster:Nodes mendix-nodes",
            "│  └─ azure-native:compute:Disk node-0-data  [zone 1 · 128 GB]",
            "└─ azure-native:resources:ResourceGroup mendix-rg",
        ]);
    });
});

describe("renderText of a stack's nodes", () => {
    const text = renderText(fixturePlan());

    it("lists every node with role, zone, size and each app's settings, secrets redacted", () => {
        const lines = text.split("\n");
        const start = lines.indexOf("Nodes (3)");
        assert.ok(start > 0);
        assert.equal(lines[start + 1], "  node-0  leader  computer mxprod-0  zone 1  size Standard_D4s_v5");
        assert.equal(lines[start + 2], "    app app");
        assert.ok(lines.includes("        DatabasePassword = [secret]"));
        assert.ok(lines.includes("        com.mendix.storage.azure.AccountKey = [secret]"));
        assert.ok(lines.includes("  node-2  follower  computer mxprod-2  zone 3  size Standard_D4s_v5"));
        assertNoSecret(text);
    });
});

describe("renderText of a comparison", () => {
    it("sums up, flags what needs attention, and lists added, changed and removed resources", () => {
        const text = renderText(fixtureComparison(true));
        const lines = text.split("\n");
        assert.equal(lines[0], "Offline plan for stack prod: working tree against main (abc1234)");
        assert.ok(lines.includes("Summary: 2 to add, 4 to change (1 replaced), 0 to remove; the leader stays node-0."));
        assert.ok(lines.includes("Needs attention:"));
        assert.ok(lines.includes("  ~ azure-native:sql:Server mendix-sql-server  [protected · retained on delete]  (in mendix-cluster-prod)  REPLACED"));
        assert.ok(lines.includes("      location: westeurope -> northeurope  (forces replacement)"));
        assert.ok(lines.includes("      settings: customSettings.SessionTimeout: 600000 -> 900000"));
        assert.ok(lines.includes("  + azure-native:compute:VirtualMachine mendix-nodes-node-3-vm  [node-3 follower · apps app · zone 1 · size Standard_D4s_v5]  (in mendix-cluster-prod)"));
        const added = lines.indexOf("Added (2)");
        assert.deepEqual(lines.slice(added + 3, added + 5), ["      runtime settings:", "        DatabaseType = SQLSERVER"], "an added settings blob shows its settings");
        assert.deepEqual(lines.slice(lines.indexOf("Removed (0)")), ["Removed (0)", "  (none)", ""]);
        assertNoSecret(text);
    });

    it("has nothing that needs attention when nothing protected is at risk", () => {
        assert.ok(!renderText(fixtureComparison(false)).includes("Needs attention"));
    });

    it("says which node leaves and what goes with it, as routine, with nothing that needs attention", () => {
        const text = renderText(fixtureScaleIn());
        const lines = text.split("\n");
        assert.ok(!text.includes("Needs attention"), text);
        const leaving = lines.indexOf("Nodes leaving (routine):");
        assert.ok(leaving > 0, text);
        assert.deepEqual(lines.slice(leaving + 1, leaving + 4), [
            "  - node-2 leaves the cluster, and with it its VM mx-prod-node-2, its data disk mx-prod-node-2-data",
            "    (the apps' deployment and logs; their files stay in Blob Storage, their data in SQL), its",
            "    network interface, its role assignment and its settings blob.",
        ]);
    });
});

describe("wrap", () => {
    it("breaks at 100 columns and indents what follows", () => {
        const lines = wrap("word ".repeat(60), "  ", "- ");
        assert.ok(lines.every((line) => line.length <= 100));
        assert.ok(lines[0]?.startsWith("- word"));
        assert.ok(lines.slice(1).every((line) => line.startsWith("  word")));
    });
});
