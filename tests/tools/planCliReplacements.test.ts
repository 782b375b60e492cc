import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { editStackFile, plan, restore, scratchRepository, withEditedRevision } from "./planCliHarness";

describe("npm run plan --against a git ref: replacements flagged", () => {
    const repository = scratchRepository();

    it("exits 3 and flags each node's replaced VM and data disk, and the scale set, when prod's zones become [\"1\"]", async () => {
        editStackFile(repository(), "prod", "mendix-cluster:zones", ["1"]);
        try {
            const result = await plan(repository(), ["--stack", "prod", "--against", "HEAD"]);
            assert.equal(result.status, 3, result.stderr);
            const attention = (result.stdout.split("\n\n").find((block) => block.startsWith("Needs attention:")) ?? "").replace(/\s+/g, " ");
            for (const node of ["node-1", "node-2"]) {
                assert.match(attention, new RegExp(`azure-native:compute:VirtualMachine mendix-nodes-${node}-vm \\(rebuilds its node\\) would be replaced: zones changed\\.`), result.stdout);
                assert.match(attention, new RegExp(`azure-native:compute:Disk mendix-nodes-${node}-data \\(holds data, rebuilds its node\\) would be replaced: zones changed\\.`), result.stdout);
            }
            assert.doesNotMatch(attention, /node-0-(vm|data)/, "node-0 stays in zone 1");
            assert.match(attention, /azure-native:compute:VirtualMachineScaleSet mendix-nodes-vmss \(rebuilds every node\) would be replaced: zones changed\./, result.stdout);
            assert.ok(result.stdout.split("\n").includes("      zones: -2, -3 -> (none added)  (forces replacement)"), result.stdout);
            // Two VMs, their data disks and the scale set replaced; zones 2 and 3's NAT, subnet and alerts removed.
            assert.ok(result.stdout.split("\n").includes("Summary: 0 to add, 8 to change (5 replaced), 8 to remove; the leader stays node-0."), result.stdout);
        } finally {
            restore(repository(), "Pulumi.prod.yaml");
        }
    });

    it("exits 3 for a resize, which restarts every node at the same time, and for encryption at host, which the nodes need changed by hand", async () => {
        editStackFile(repository(), "prod", "mendix-cluster:vmSize", "Standard_D8s_v5");
        editStackFile(repository(), "prod", "mendix-cluster:encryptionAtHost", false);
        try {
            const result = await plan(repository(), ["--stack", "prod", "--against", "HEAD"]);
            assert.equal(result.status, 3, result.stderr);
            const attention = (result.stdout.split("\n\n").find((block) => block.startsWith("Needs attention:")) ?? "").replace(/\s+/g, " ");
            assert.ok(attention.includes("! hardwareProfile.vmSize changes on mendix-nodes-node-0-vm, mendix-nodes-node-1-vm, mendix-nodes-node-2-vm: Azure restarts a running VM " +
                "to apply it, so this restarts every node at the same time, not rollout.maxUnavailable at a time"), result.stdout);
            for (const node of ["node-0", "node-1", "node-2"]) {
                assert.ok(attention.includes(`! azure-native:compute:VirtualMachine mendix-nodes-${node}-vm: securityProfile.encryptionAtHost changes, which Azure changes only on a deallocated VM`), result.stdout);
            }
            assert.match(result.stdout.replace(/\s+/g, " "), /encryptionAtHost changes to false, and the setting of mx-prod-node-0, mx-prod-node-1, mx-prod-node-2 could not be read from Azure/);
        } finally {
            restore(repository(), "Pulumi.prod.yaml");
        }
    });

    it("exits 3 and flags the storage account as replaced when a whole encryption block is added", async () => {
        const baseline = "            ...storageAccountBaseline,\n";
        const withoutBlock = (source: string) => {
            assert.ok(source.includes(baseline), "components/storage.ts gives the account the baseline of every account, its encryption block included");
            return source.replace(baseline, `${baseline}            encryption: undefined,\n`);
        };
        await withEditedRevision(repository(), "components/storage.ts", withoutBlock, "a storage account without an encryption block", async () => {
            const result = await plan(repository(), ["--stack", "dev", "--against", "HEAD"]);
            assert.equal(result.status, 3, result.stderr);
            const lines = result.stdout.split("\n");
            assert.ok(lines.includes("Summary: 0 to add, 1 to change (1 replaced), 0 to remove; the leader stays node-0."), result.stdout);
            const attention = (result.stdout.split("\n\n").find((paragraph) => paragraph.startsWith("Needs attention:")) ?? "").replace(/\s+/g, " ");
            assert.match(attention, /azure-native:storage:StorageAccount mendix-storage-account \(holds data\) would be replaced: encryption\.requireInfrastructureEncryption changed\./, result.stdout);
        });
    });

    it("says once, naming the revision, that the revision's program failed when the mocks refuse its resources", async () => {
        const anchor = "        const nameSuffix = new random.RandomString(";
        const unknownType = 'for (const index of [0, 1]) { new (require("@pulumi/azure-native/compute").AvailabilitySet)(`${name}-avset-${index}`, { resourceGroupName: group.name }, { parent: this }); }\n';
        const withUnknownType = (source: string) => {
            assert.ok(source.includes(anchor), "components/mendixCluster.ts makes the name suffix");
            return source.replace(anchor, unknownType + anchor);
        };
        await withEditedRevision(repository(), "components/mendixCluster.ts", withUnknownType, "a revision whose program registers a type the catalogue lacks", async () => {
            const result = await plan(repository(), ["--stack", "dev", "--against", "HEAD"]);
            assert.equal(result.status, 1, result.stdout);
            assert.equal(result.stdout, "");
            assert.deepEqual(result.stderr.trimEnd().split("\n").length, 1, result.stderr);
            assert.match(result.stderr, /^plan: The revision HEAD \([0-9a-f]{7}\) could not be evaluated, so the plan has nothing to compare the working tree with and no verdict on it: its program failed under this working tree's mocks and node_modules: 2 resources were not registered: azure-native:compute:AvailabilitySet is not in components\/catalog\.ts, the catalogue these mocks answer from \(2 resources: azure-native:compute:AvailabilitySet mendix-avset-0, azure-native:compute:AvailabilitySet mendix-avset-1\)\n$/);
            assert.doesNotMatch(result.stderr, /add a row/, "nothing for the working tree to fix");
        });
    });

    it("exits 3 and says why when an edit would replace the SQL server and storage account", async () => {
        editStackFile(repository(), "dev", "azure-native:location", "northeurope");
        try {
            const result = await plan(repository(), ["--stack", "dev", "--against", "HEAD"]);
            assert.equal(result.status, 3, result.stderr);
            const attention = result.stdout.split("\n\n").find((block) => block.startsWith("Needs attention:")) ?? "";
            assert.match(attention, /azure-native:sql:Server mendix-sql-server \(holds data\) would be replaced: location changed/);
            assert.match(attention, /azure-native:storage:StorageAccount mendix-storage-account \(holds data\) would be replaced/);
        } finally {
            restore(repository(), "Pulumi.dev.yaml");
        }
    });
});
