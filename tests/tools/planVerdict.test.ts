import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { describeNodes } from "../../tools/clusterNodes";
import { leavingSentence } from "../../tools/leavingNodes";
import { holdsData, judgePlan, verdictExitCode } from "../../tools/planVerdict";
import { diffStacks } from "../../tools/resourceDiff";
import { RegisteredResource } from "../harness/offThread";
import { clusterResources, nodeDeployment, resource, settingsBlob, urnOf } from "./fixtures";
import { riskSentences } from "../../tools/planReport";

const server = (location: string, protect: boolean) =>
    resource("azure-native:sql:Server", "mendix-sql-server", { serverName: "mx-sql", location }, { protect });
const container = (containerName: string) => resource("azure-native:storage:BlobContainer", `c-${containerName}`, { accountName: "acct", containerName });
const vm = (location: string, vmSize: string) => resource("azure-native:compute:VirtualMachine", "node-1-vm", { vmName: "vm", location, hardwareProfile: { vmSize } });

function judge(before: RegisteredResource[], after: RegisteredResource[], leaders: { before?: string; after?: string } = { before: "node-0", after: "node-0" }) {
    return judgePlan(diffStacks(before, after),
        { resources: before, nodes: describeNodes(before), leader: leaders.before },
        { resources: after, nodes: describeNodes(after), leader: leaders.after });
}

describe("holdsData", () => {
    it("counts SQL servers and databases, storage accounts, file containers, data disks, the Key Vault and the workspace, not the settings container", () => {
        assert.equal(holdsData(server("westeurope", false)), true);
        assert.equal(holdsData(resource("azure-native:sql:Database", "db")), true);
        assert.equal(holdsData(resource("azure-native:storage:StorageAccount", "acct")), true);
        assert.equal(holdsData(container("files-app")), true);
        assert.equal(holdsData(container("node-settings")), false);
        assert.equal(holdsData(resource("azure-native:compute:Disk", "node-0-data-disk")), true);
        assert.equal(holdsData(resource("azure-native:keyvault:Vault", "mendix-key-vault")), true);
        assert.equal(holdsData(resource("azure-native:operationalinsights:Workspace", "mendix-audit-workspace")), true);
        assert.equal(holdsData(vm("westeurope", "Standard_D4s_v5")), false);
        assert.equal(holdsData(resource("azure-native:network:Subnet", "subnet")), false);
    });
});

describe("judgePlan", () => {
    it("flags a protected SQL server that a new location replaces", () => {
        const verdict = judge([server("westeurope", true)], [server("northeurope", true)]);
        assert.deepEqual(verdict.atRisk.map((risk) => [risk.name, risk.action, risk.because, risk.replacedBy]), [
            ["mendix-sql-server", "replace", ["protected", "holds data"], ["location"]],
        ]);
        assert.equal(verdictExitCode(verdict), 3);
    });

    // Until components/catalog.ts' storage account row lists isHnsEnabled instead of sku.name (docs/zones-and-regions.md).
    it("lets a storage account's replication change as an update, and flags a change of its kind", () => {
        const account = (sku: string, kind = "StorageV2") => resource("azure-native:storage:StorageAccount", "mendix-storage-account", { accountName: "acct", kind, sku: { name: sku } }, { protect: true });
        assert.deepEqual(diffStacks([account("Standard_ZRS")], [account("Standard_GZRS")]).changed.map((change) => change.replacedBy), [[]]);
        assert.equal(judge([account("Standard_ZRS")], [account("Standard_GZRS")]).atRisk.length, 0);
        assert.equal(judge([account("Standard_ZRS")], [account("Standard_ZRS", "BlobStorage")]).atRisk.length, 1);
    });

    it("flags a data-holding resource even when it is not protected (dev)", () => {
        assert.equal(judge([server("westeurope", false)], [server("northeurope", false)]).atRisk.length, 1);
    });

    it("flags a removed file container, not a removed settings container or an updated VM", () => {
        const verdict = judge(
            [container("files-crm"), container("node-settings"), vm("westeurope", "Standard_D4s_v5")],
            [vm("westeurope", "Standard_D8s_v5")],
        );
        assert.deepEqual(verdict.atRisk.map((risk) => [risk.name, risk.action]), [["c-files-crm", "remove"]]);
    });

    it("lets an unprotected network interface be replaced, and an update that restarts nothing pass", () => {
        const nic = (location: string) => resource("azure-native:network:NetworkInterface", "node-1-nic", { networkInterfaceName: "nic", location });
        const tagged = { ...vm("westeurope", "Standard_D4s_v5"), inputs: { ...vm("westeurope", "Standard_D4s_v5").inputs, tags: { owner: "ops" } } };
        const verdict = judge(
            [nic("westeurope"), vm("westeurope", "Standard_D4s_v5"), server("westeurope", true)],
            [nic("northeurope"), tagged, { ...server("westeurope", true), inputs: { serverName: "mx-sql", location: "westeurope", version: "12.0" } }],
        );
        assert.deepEqual([verdict.atRisk, verdict.restarts, verdict.byHand], [[], [], []]);
        assert.equal(verdictExitCode(verdict), 0);
    });

    it("flags a resize, which Azure applies by restarting each VM, all at once: every node at the same time", () => {
        const nodes = (vmSize: string) => clusterResources(3).map((item) => item.type === "azure-native:compute:VirtualMachine"
            ? { ...item, inputs: { ...item.inputs, hardwareProfile: { vmSize } } } : item);
        const verdict = judge(nodes("Standard_D4s_v5"), nodes("Standard_D8s_v5"));
        assert.deepEqual(verdict.restarts.map((update) => [update.name, update.inputs]), [0, 1, 2].map((index) => [`mendix-nodes-node-${index}-vm`, ["hardwareProfile.vmSize"]]));
        assert.equal(verdict.restartsEveryNode, true);
        assert.equal(verdictExitCode(verdict), 3);
        assert.deepEqual(riskSentences(verdict), ["hardwareProfile.vmSize changes on mendix-nodes-node-0-vm, mendix-nodes-node-1-vm, mendix-nodes-node-2-vm: " +
            "Azure restarts a running VM to apply it, so this restarts every node at the same time, not rollout.maxUnavailable at a time; the apps on them stop until their VMs are back."]);
    });

    it("flags encryption at host changed, which Azure does only on a deallocated VM, as a change by hand", () => {
        const encrypted = (on: boolean) => ({ ...vm("westeurope", "Standard_D4s_v5"), inputs: { ...vm("westeurope", "Standard_D4s_v5").inputs, securityProfile: { encryptionAtHost: on } } });
        const verdict = judge([encrypted(true)], [encrypted(false)]);
        assert.deepEqual(verdict.byHand.map((update) => [update.name, update.inputs]), [["node-1-vm", ["securityProfile.encryptionAtHost"]]]);
        assert.equal(verdictExitCode(verdict), 3);
        assert.match(riskSentences(verdict)[0] ?? "", /^azure-native:compute:VirtualMachine node-1-vm: securityProfile\.encryptionAtHost changes, which Azure changes only on a deallocated VM/);
    });

    it("flags a replaced VM and data disk as rebuilding their node", () => {
        const disk = (zones: string[]) => resource("azure-native:compute:Disk", "node-1-data-disk", { diskName: "disk1", zones });
        const replaced = judge([vm("westeurope", "Standard_D4s_v5"), disk(["1"])], [vm("northeurope", "Standard_D4s_v5"), disk(["2"])]);
        assert.deepEqual(replaced.atRisk.map((risk) => [risk.name, risk.action, risk.because, risk.replacedBy]), [
            ["node-1-vm", "replace", ["rebuilds its node"], ["location"]],
            ["node-1-data-disk", "replace", ["holds data", "rebuilds its node"], ["zones"]],
        ]);
        assert.equal(verdictExitCode(replaced), 3);
    });

    it("lets a node leave with its own resources, its data disk among them, and names it and what goes", () => {
        const three = [0, 1, 2].flatMap(nodeDeployment);
        const verdict = judge(three, [0, 1].flatMap(nodeDeployment));
        assert.deepEqual(verdict.atRisk, []);
        assert.equal(verdictExitCode(verdict), 0);
        assert.deepEqual(verdict.leaving.map((node) => [node.node, node.resources.length]), [["node-2", 6]]);
        assert.equal(leavingSentence(verdict.leaving[0] ?? assert.fail("a node leaves")),
            "node-2 leaves the cluster, and with it its VM mx-prod-node-2, its data disk mx-prod-node-2-data (the apps' deployment and logs; " +
            "their files stay in Blob Storage, their data in SQL), its network interface, its role assignment and its settings blob.");
    });

    it("flags a data disk removed from a node that stays, and a protected resource of a node that leaves", () => {
        const two = [0, 1].flatMap(nodeDeployment);
        const withoutDisk = two.filter((item) => item.name !== "mendix-nodes-node-1-data");
        assert.deepEqual(judge(two, withoutDisk).atRisk.map((risk) => [risk.name, risk.action, risk.because]), [
            ["mendix-nodes-node-1-data", "remove", ["holds data", "rebuilds its node"]],
        ]);
        const protectedDisk = two.map((item) => (item.name === "mendix-nodes-node-1-data" ? { ...item, protect: true } : item));
        const scaledIn = judge(protectedDisk, nodeDeployment(0));
        assert.deepEqual(scaledIn.atRisk.map((risk) => [risk.name, risk.because]), [["mendix-nodes-node-1-data", ["protected"]]]);
        assert.equal(urnOf("mendix:cluster:NodeDeployment", "mendix-nodes-node-1"), scaledIn.leaving[0]?.resources[0]?.urn);
    });

    it("ties no resource to a node whose settings blobs share their component with other nodes' (an older layout)", () => {
        const shared = resource("mendix:cluster:NodeAgent", "mendix-agent");
        const blobs = [0, 1, 2].map((index) => settingsBlob({ name: `node-${index}`, index, leader: index === 0 }, "app", {}, shared.urn));
        const disk = resource("azure-native:compute:Disk", "mendix-nodes-node-2-data", { diskName: "d2" }, { parentUrn: shared.urn });
        const verdict = judge([shared, ...blobs, disk], [shared, ...blobs.slice(0, 2)]);
        assert.deepEqual(verdict.leaving, []);
        assert.deepEqual(verdict.atRisk.map((risk) => [risk.name, risk.because]), [["mendix-nodes-node-2-data", ["holds data", "rebuilds its node"]]]);
    });

    it("flags a removed VM or disk it cannot tie to a node that leaves", () => {
        const removed = judge([vm("westeurope", "Standard_D4s_v5")], []);
        assert.deepEqual(removed.atRisk.map((risk) => [risk.name, risk.because]), [["node-1-vm", ["rebuilds its node"]]]);
    });

    it("flags a replaced scale set as rebuilding every node, and one updated in place not at all", () => {
        const scaleSet = (zones: string[], tags: Record<string, string> = {}) => resource("azure-native:compute:VirtualMachineScaleSet", "nodes", { vmScaleSetName: "vmss", zones, tags });
        const replaced = judge([scaleSet(["1", "2", "3"])], [scaleSet(["1"])]);
        assert.deepEqual(replaced.atRisk.map((risk) => [risk.name, risk.action, risk.because, risk.replacedBy]), [["nodes", "replace", ["rebuilds every node"], ["zones"]]]);
        assert.equal(verdictExitCode(replaced), 3);
        assert.deepEqual(judge([scaleSet(["1"])], [scaleSet(["1"], { owner: "ops" })]).atRisk, []);
    });

    it("flags a leader that moves, not a stack that is new", () => {
        const moved = judge([], [], { before: "node-0", after: "node-1" });
        assert.equal(moved.leaderMoves, true);
        assert.equal(verdictExitCode(moved), 3);
        const fresh = judge([], [], { after: "node-0" });
        assert.equal(fresh.leaderMoves, false);
        assert.equal(verdictExitCode(fresh), 0);
    });
});
