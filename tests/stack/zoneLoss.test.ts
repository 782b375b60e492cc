import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { RegisteredResource, runStack, StackRun } from "../harness/offThread";
import { lostWith, zoneLoss } from "../harness/zoneLoss";

const withInputs = (run: StackRun, resourceType: string, change: (inputs: Record<string, unknown>) => Record<string, unknown>): RegisteredResource[] =>
    run.resources.map((resource) => (resource.type === resourceType ? { ...resource, inputs: change(resource.inputs) } : resource));

describe("prod after the loss of a zone", () => {
    let prod: StackRun;
    before(async () => {
        prod = await runStack({ stack: "prod" });
    });

    const expected: Readonly<Record<string, readonly string[]>> = {
        "1": ["mendix-nodes-node-1-vm", "mendix-nodes-node-2-vm"],
        "2": ["mendix-nodes-node-0-vm", "mendix-nodes-node-2-vm"],
        "3": ["mendix-nodes-node-0-vm", "mendix-nodes-node-1-vm"],
    };
    for (const [zone, serving] of Object.entries(expected)) {
        it(`still serves from the other zones' nodes when zone ${zone} is lost: public IP, load balancer, NAT gateway, SQL, storage and Key Vault`, () => {
            const verdict = zoneLoss(prod.resources, zone);
            assert.deepEqual(verdict.problems, []);
            assert.deepEqual(verdict.servingNodes, serving);
        });
    }

    it("takes a zone's VMs, disks, NAT gateway and NAT IP with it, and leaves the zone-redundant parts", () => {
        const lost = prod.resources.filter((resource) => lostWith(resource, "2")).map((resource) => resource.name).sort();
        assert.deepEqual(lost, [
            "mendix-network-nat-ip-zone-2", "mendix-network-nat-zone-2",
            "mendix-nodes-node-1-data", "mendix-nodes-node-1-vm",
        ]);
    });

    it("finds no serving path when the NAT gateways have no zone (Azure puts each in a zone of its choice)", () => {
        const verdict = zoneLoss(withInputs(prod, "azure-native:network:NatGateway", ({ zones: _zones, ...inputs }) => inputs), "1");
        assert.deepEqual(verdict.servingNodes, []);
        assert.ok(verdict.problems.includes("mendix-nodes-node-1-vm: its subnet has no surviving NAT gateway with a surviving public IP"), JSON.stringify(verdict.problems));
    });

    it("finds no serving path with locally redundant storage, a database in one zone, or Key Vault without its private endpoint", () => {
        const lrs = zoneLoss(withInputs(prod, "azure-native:storage:StorageAccount", (inputs) => ({ ...inputs, sku: { name: "Standard_LRS" } })), "3");
        assert.ok(lrs.problems.includes("the storage account is lost"), JSON.stringify(lrs.problems));
        const database = zoneLoss(withInputs(prod, "azure-native:sql:Database", (inputs) => ({ ...inputs, zoneRedundant: false })), "3");
        assert.deepEqual(database.servingNodes, []);
        const noEndpoint = zoneLoss(prod.resources.filter((resource) => resource.name !== "mendix-kv-private-endpoint"), "3");
        assert.deepEqual(noEndpoint.servingNodes, []);
        assert.ok(noEndpoint.problems.some((problem) => /^Key Vault .* has no surviving private endpoint/.test(problem)), JSON.stringify(noEndpoint.problems));
    });
});
