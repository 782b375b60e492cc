import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { byType, runStack, StackRun } from "../harness/offThread";
import { lostWithRegion, regionLoss, settingsOfNode } from "../harness/regionLoss";

const standby = { location: "northeurope", nodeCount: 2 };

describe("prod with a standby, after the loss of its region", () => {
    let beforeFailover: StackRun;
    let afterFailover: StackRun;
    before(async () => {
        beforeFailover = await runStack({ stack: "prod", config: { standby } });
        afterFailover = await runStack({ stack: "prod", config: { standby: { ...standby, active: true } } });
    });

    it("serves from the standby's nodes once failed over: public entry, load balancer, outbound, SQL through the group's partner, storage and the standby's vault", () => {
        const verdict = regionLoss(afterFailover.resources, "westeurope", "rg-mx-prod");
        assert.deepEqual(verdict.problems, []);
        assert.deepEqual(verdict.servingNodes, ["mendix-standby-nodes-node-0-vm", "mendix-standby-nodes-node-1-vm"]);
    });

    it("has the entry lead to the standby alone after the failover: the lost region's endpoint is disabled", () => {
        const [profile] = byType(afterFailover, "azure-native:trafficmanager:Profile");
        assert.deepEqual((profile?.inputs["endpoints"] as { name: string; endpointStatus: string; priority: number }[]).map(({ name, endpointStatus, priority }) => [name, endpointStatus, priority]),
            [["primary", "Disabled", 1], ["standby", "Enabled", 2]]);
    });

    it("names each region's load balancer by its DNS name, so that changing the entry reads nothing of the lost region's resource group", () => {
        const [profile] = byType(afterFailover, "azure-native:trafficmanager:Profile");
        assert.deepEqual((profile?.inputs["endpoints"] as Record<string, unknown>[]).map(({ name, type, target, targetResourceId }) => [name, type, target, targetResourceId]), [
            ["primary", "Microsoft.Network/trafficManagerProfiles/externalEndpoints", "mx-prod-k3x9q2.westeurope.cloudapp.azure.com", undefined],
            ["standby", "Microsoft.Network/trafficManagerProfiles/externalEndpoints", "mx-prod-k3x9q2.northeurope.cloudapp.azure.com", undefined],
        ]);
    });

    it("takes nothing that serves with it but the stack region's own parts", () => {
        const lost = afterFailover.resources.filter((resource) => lostWithRegion(resource, "westeurope", "rg-mx-prod"));
        const lostTypes = new Set(lost.map((resource) => resource.type));
        assert.ok(!lostTypes.has("azure-native:trafficmanager:Profile") && !lostTypes.has("azure-native:storage:StorageAccount") && !lostTypes.has("azure-native:privatedns:PrivateZone"));
        assert.ok(lost.some((resource) => resource.name === "mendix-sql-server") && lost.some((resource) => resource.name === "mendix-nodes-node-0-vm"));
    });

    it("gives every node of both regions the failover group's listener, and the standby's nodes their own vault", () => {
        for (const vm of byType(afterFailover, "azure-native:compute:VirtualMachine")) {
            for (const document of settingsOfNode(vm, afterFailover.resources)) {
                assert.equal(document.runtimeSettings["DatabaseHost"], "mx-prod-fog-k3x9q2.database.windows.net:1433", vm.name);
            }
        }
        const standbyVm = byType(afterFailover, "azure-native:compute:VirtualMachine").find((vm) => vm.name === "mendix-standby-nodes-node-0-vm");
        assert.ok(standbyVm);
        assert.match(settingsOfNode(standbyVm, afterFailover.resources)[0]?.runtimeSettings["DatabasePassword"] ?? "", /^@Microsoft\.KeyVault\(SecretUri=https:\/\/kv-prodsb-k3x9q2\.vault\.azure\.net\//);
    });

    it("keeps the standby's apps stopped while the stack's region serves, and finds no serving path then if the region is lost", () => {
        const standbyVm = byType(beforeFailover, "azure-native:compute:VirtualMachine").find((vm) => vm.name === "mendix-standby-nodes-node-0-vm");
        assert.ok(standbyVm);
        assert.deepEqual(settingsOfNode(standbyVm, beforeFailover.resources).map((document) => document.standby), [{ serving: false }]);
        assert.deepEqual(settingsOfNode(standbyVm, afterFailover.resources).map((document) => document.standby), [{ serving: true }]);
        const lostBeforeFailover = regionLoss(beforeFailover.resources, "westeurope", "rg-mx-prod");
        assert.deepEqual(lostBeforeFailover.servingNodes, []);
        assert.ok(lostBeforeFailover.problems.includes("mendix-standby-nodes-node-0-vm: its apps stand by until a failover starts them"), lostBeforeFailover.problems.join("\n"));
        const [profile] = byType(beforeFailover, "azure-native:trafficmanager:Profile");
        assert.deepEqual((profile?.inputs["endpoints"] as { endpointStatus: string }[]).map((endpoint) => endpoint.endpointStatus), ["Enabled", "Enabled"]);
    });

    it("leaves every resource of the lost region as it is once the standby is active, and the standby's free to change", () => {
        const frozen = afterFailover.resources.filter((resource) => resource.custom && resource.ignoreChanges.includes("*")).map((resource) => resource.name);
        assert.ok(frozen.includes("mendix-sql-server") && frozen.includes("mendix-storage-account") && frozen.includes("mendix-failover-group-group") && frozen.includes("mendix-nodes-node-0-vm"), frozen.join(", "));
        const byUrn = new Map(afterFailover.resources.map((resource) => [resource.urn, resource]));
        const inStandby = (urn: string): boolean => {
            const resource = byUrn.get(urn);
            return resource !== undefined && (resource.type === "mendix:cluster:StandbyRegion" || inStandby(resource.parentUrn));
        };
        const standbyParts = afterFailover.resources.filter((resource) => resource.custom && inStandby(resource.urn));
        assert.ok(standbyParts.length > 20);
        assert.deepEqual(standbyParts.filter((resource) => resource.ignoreChanges.length > 0).map((resource) => resource.name), []);
        assert.deepEqual(beforeFailover.resources.filter((resource) => resource.ignoreChanges.length > 0).map((resource) => resource.name), []);
    });

    it("finds no serving path with a failover group but no partner, or storage that stayed in one region", () => {
        const noPartner = regionLoss(afterFailover.resources.filter((resource) => resource.name !== "mendix-standby-sql-server"), "westeurope", "rg-mx-prod");
        assert.ok(noPartner.problems.includes("no failover group with a surviving partner server"), noPartner.problems.join("\n"));
        const zrs = regionLoss(afterFailover.resources.map((resource) => resource.type === "azure-native:storage:StorageAccount"
            ? { ...resource, inputs: { ...resource.inputs, sku: { name: "Standard_ZRS" } } } : resource), "westeurope", "rg-mx-prod");
        assert.deepEqual(zrs.servingNodes, []);
        assert.ok(zrs.problems.includes("the storage account is lost"));
    });
});
