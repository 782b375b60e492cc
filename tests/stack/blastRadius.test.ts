import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compareStacks, evaluatedStack } from "../../tools/planReport";
import { verdictExitCode } from "../../tools/planVerdict";
import { diffStacks, StackDiff } from "../../tools/resourceDiff";
import { RegisteredResource, runStack, RunOptions } from "../harness/offThread";

/**
 * Runs the program before an edit (the stack as deployed) and after it (against that deployment's
 * outputs, as the next `pulumi up` would). The deployed run knows no earlier outputs, which only
 * changes the rollout's dependencies, which the diff leaves out as Pulumi does.
 */
async function edit(before: RunOptions, after: RunOptions): Promise<StackDiff & { leaders: [unknown, unknown] }> {
    const deployed = await runStack(before);
    const edited = await runStack({ ...after, lastOutputs: deployed.outputs });
    return { ...diffStacks(deployed.resources, edited.resources), leaders: [deployed.outputs["leader"], edited.outputs["leader"]] };
}

const names = (resources: readonly { name: string }[]) => resources.map((resource) => resource.name).sort();
const stateful = ["azure-native:sql:Server", "azure-native:sql:Database", "azure-native:storage:StorageAccount"];

function nodeResources(node: string, apps: readonly string[]): string[] {
    return [
        `mendix-nodes-${node}`, `mendix-nodes-${node}-vm`, `mendix-nodes-${node}-data`, `mendix-nodes-${node}-nic`,
        `mendix-agent-${node}-agent`, ...apps.map((app) => `mendix-agent-${node}-${app}-settings`),
        `mendix-nodes-${node}-identity`, `mendix-nodes-${node}-settings-reader`,
        `mendix-nodes-${node}-sql-admin-password-reader`, `mendix-nodes-${node}-storage-account-key-reader`,
        `mendix-monitor-${node}-ama`, `mendix-monitor-${node}-dcr`,
    ].sort();
}

function assertNoReplacement(diff: StackDiff) {
    assert.deepEqual(diff.changed.filter((change) => change.replacedBy.length > 0).map((change) => `${change.name}: ${change.replacedBy.join(", ")}`), []);
}

describe("the blast radius of an edit", () => {
    const twoApps = { apps: [{ name: "app" }, { name: "crm", hostName: "crm.example.com", customSettings: { SessionTimeout: 600000 } }] };

    it("nodeCount 3 -> 4 adds node 3's resources alone and keeps node 0 the leader", async () => {
        const diff = await edit({ stack: "prod", config: twoApps }, { stack: "prod", config: { ...twoApps, nodeCount: 4 } });
        assert.deepEqual(names(diff.added), nodeResources("node-3", ["app", "crm"]));
        assert.deepEqual(diff.changed, []);
        assert.deepEqual(diff.removed, []);
        assert.deepEqual(diff.leaders, ["node-0", "node-0"]);
    });

    it("nodeCount 4 -> 3 removes node 3's resources alone and keeps node 0 the leader", async () => {
        const diff = await edit({ stack: "prod", config: { nodeCount: 4 } }, { stack: "prod", config: { nodeCount: 3 } });
        assert.deepEqual(names(diff.removed), nodeResources("node-3", ["app"]));
        assert.deepEqual(diff.changed, []);
        assert.deepEqual(diff.added, []);
        assert.deepEqual(diff.leaders, ["node-0", "node-0"]);
    });

    it("a lower node count, in the stack's region or the standby's, is routine: the plan names the node that leaves, nothing needs attention", async () => {
        const standby = (nodeCount: number) => ({ location: "northeurope", nodeCount, active: false });
        const deployed = await runStack({ stack: "prod", config: { nodeCount: 4, standby: standby(2) } });
        const edited = await runStack({ stack: "prod", config: { nodeCount: 3, standby: standby(1) }, lastOutputs: deployed.outputs });
        const comparison = compareStacks(evaluatedStack("prod", "deployed", deployed), evaluatedStack("prod", "edited", edited));
        assert.deepEqual(comparison.verdict.atRisk, []);
        assert.equal(verdictExitCode(comparison.verdict), 0);
        assert.deepEqual(comparison.verdict.leaving.map((node) => [node.node, node.resources.length]), [["standby node-1", 10], ["node-3", 12]]);
        assert.deepEqual(names(comparison.verdict.leaving.find((node) => node.node === "node-3")?.resources ?? []), nodeResources("node-3", ["app"]));
        assert.equal(comparison.diff.removed.length, 22, "the leaving nodes' resources and nothing else");
    });

    it("a changed custom setting of one app changes that app's settings blobs and the nodes' update tags, nothing else", async () => {
        const edited = { apps: [{ name: "app" }, { name: "crm", hostName: "crm.example.com", customSettings: { SessionTimeout: 900000 } }] };
        const diff = await edit({ stack: "prod", config: twoApps }, { stack: "prod", config: edited });
        assert.deepEqual(diff.added, []);
        assert.deepEqual(diff.removed, []);
        const blobs = diff.changed.filter((change) => change.type === "azure-native:storage:Blob");
        assert.deepEqual(names(blobs), ["mendix-agent-node-0-crm-settings", "mendix-agent-node-1-crm-settings", "mendix-agent-node-2-crm-settings"]);
        assert.ok(blobs.every((change) => change.properties.map((property) => property.path).join() === "source.text"));
        const others = diff.changed.filter((change) => change.type !== "azure-native:storage:Blob");
        assert.deepEqual(names(others), ["mendix-agent-node-0-agent", "mendix-agent-node-1-agent", "mendix-agent-node-2-agent"]);
        assert.ok(others.every((change) => change.properties.map((property) => property.path).join() === "forceUpdateTag"));
        assertNoReplacement(diff);
    });

    it("a new app adds its database, container and blobs and changes nothing of the other apps", async () => {
        const diff = await edit({ stack: "prod" }, { stack: "prod", config: { apps: [{ name: "app", customSettings: { SessionTimeout: 600000, ClusterManagerActionInterval: 300000 } }, { name: "crm", hostName: "crm.example.com" }] } });
        assert.deepEqual(names(diff.added), [
            "mendix-agent-node-0-crm-settings", "mendix-agent-node-1-crm-settings", "mendix-agent-node-2-crm-settings",
            "mendix-monitoring-crm-db-connections", "mendix-monitoring-crm-db-deadlocks", "mendix-monitoring-crm-db-load", "mendix-monitoring-crm-db-storage",
            "mendix-monitoring-mendix-crm-errors", "mendix-monitoring-mendix-crm-log-table",
            "mendix-sql-crm", "mendix-sql-crm-backup-retention", "mendix-storage-files-crm",
        ]);
        assert.deepEqual(diff.removed, []);
        // Each node's extension now also downloads and applies the new app's settings; the rule
        // collects the new app's log and the workbook shows it.
        assert.deepEqual(names(diff.changed), [
            "mendix-agent-node-0-agent", "mendix-agent-node-1-agent", "mendix-agent-node-2-agent", "mendix-monitoring-dcr", "mendix-monitoring-workbook",
        ]);
        for (const change of diff.changed.filter((candidate) => candidate.name.startsWith("mendix-agent-"))) {
            assert.deepEqual([...new Set(change.properties.map((property) => property.path.replace(/\[\d+\]$/, "")))].sort(),
                ["forceUpdateTag", "settings.commandToExecute", "settings.fileUris"]);
        }
    });

    it("a vmSize edit changes the VMs alone, in place", async () => {
        const diff = await edit({ stack: "prod" }, { stack: "prod", config: { vmSize: "Standard_D8s_v5" } });
        assert.deepEqual(names(diff.changed), ["mendix-nodes-node-0-vm", "mendix-nodes-node-1-vm", "mendix-nodes-node-2-vm"]);
        assert.ok(diff.changed.every((change) => change.properties.map((property) => property.path).join() === "hardwareProfile.vmSize"));
        assert.deepEqual([...diff.added, ...diff.removed], []);
        assertNoReplacement(diff);
    });

    it("a SQL sku edit changes the databases alone, in place", async () => {
        const diff = await edit({ stack: "prod" }, { stack: "prod", config: { sql: { tier: "BusinessCritical", sku: "BC_Gen5_8", maxSizeGb: 512, zoneRedundant: true } } });
        assert.deepEqual(names(diff.changed), ["mendix-sql-app"]);
        assert.deepEqual(diff.changed[0]?.properties.map((property) => property.path), ["sku.capacity"]);
        assertNoReplacement(diff);
        const premium = await edit({ stack: "dev" }, { stack: "dev", config: { sql: { tier: "Premium", sku: "P2", maxSizeGb: 250, zoneRedundant: false } } });
        assert.deepEqual(names(premium.changed), ["mendix-sql-app"]);
        assertNoReplacement(premium);
    });

    it("protects and retains every stateful resource when protect is on, and no edit above touches them", async () => {
        const run = await runStack({ stack: "prod" });
        const held: RegisteredResource[] = run.resources.filter((resource) => stateful.includes(resource.type));
        assert.equal(held.length, 3);
        assert.ok(held.every((resource) => resource.protect && resource.retainOnDelete));
        for (const [before, after] of [
            [{ stack: "prod" }, { stack: "prod", config: { nodeCount: 5 } }],
            [{ stack: "prod" }, { stack: "prod", config: { vmSize: "Standard_E4s_v5", apps: [{ name: "app", customSettings: { SessionTimeout: 1 } }] } }],
        ] as const) {
            const diff = await edit(before, after);
            assert.deepEqual(diff.changed.filter((change) => stateful.includes(change.type)), []);
            assert.deepEqual(diff.removed.filter((resource) => stateful.includes(resource.type)), []);
        }
    });
});
