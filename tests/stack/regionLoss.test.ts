import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import { writeMda } from "../harness/mdaArchive";
import { byType, runStack, runStackExpectingFailure, StackRun } from "../harness/offThread";
import { deliveryOfNode, lostWithRegion, regionLoss, settingsOfNode } from "../harness/regionLoss";
import type { ConfigValue } from "../../offline/stackConfig";

const standby = { location: "northeurope", nodeCount: 2 };
const active = { standby: { ...standby, active: true } };
/** The stack region's resource group, whose region is down: a call about a resource in it gets no answer. */
const lostResourceGroups = ["rg-mx-prod"];
/** The standby's VMs, which the failover command tells to serve. */
const startedByFailover = ["mendix-standby-nodes-node-0-vm", "mendix-standby-nodes-node-1-vm"];

/** The files' account, in the lost region's resource group, and the standby's delivery account. */
const primaryAccount = "mxprodk3x9q2";
const standbyAccount = "mxprodsbk3x9q2";
const record = (value: unknown): Record<string, unknown> => (typeof value === "object" && value !== null ? value as Record<string, unknown> : {});
const standbyVms = (run: StackRun) => byType(run, "azure-native:compute:VirtualMachine").filter((vm) => vm.inputs["resourceGroupName"] === "rg-mx-prod-sb");

/**
 * Asserts that every standby node's settings blobs are in the standby's delivery account, written
 * through the standby's resource group, that its agent run downloads from there alone, and that the
 * downloads it waits for are uploaded there.
 */
function assertDeliveredFromStandby(run: StackRun): void {
    const vms = standbyVms(run);
    assert.equal(vms.length, 2);
    const byUrn = new Map(run.resources.map((resource) => [resource.urn, resource]));
    for (const vm of vms) {
        const delivery = deliveryOfNode(vm, run.resources);
        assert.deepEqual([delivery.accounts, delivery.resourceGroups], [[standbyAccount], ["rg-mx-prod-sb"]], vm.name);
        assert.ok(delivery.downloads.length > 3, vm.name);
        assert.deepEqual(delivery.downloads.filter((uri) => !uri.startsWith(`https://${standbyAccount}.blob.core.windows.net/node-settings/`)), [], vm.name);
        const agentRun = byType(run, "azure-native:compute:VirtualMachineExtension").find((extension) => extension.inputs["vmName"] === vm.inputs["vmName"] && extension.inputs["vmExtensionName"] === "mendix-node-agent");
        const downloads = (agentRun?.dependencies ?? []).map((urn) => byUrn.get(urn)).filter((resource) => resource?.type === "azure-native:storage:Blob");
        assert.ok(downloads.length > 0, vm.name);
        assert.deepEqual([...new Set(downloads.map((blob) => `${String(blob?.inputs["resourceGroupName"])}/${String(blob?.inputs["accountName"])}`))], [`rg-mx-prod-sb/${standbyAccount}`], vm.name);
    }
}

/**
 * The resources of `run` that `pulumi up` would create or change in a lost resource group (by their
 * resource group, or a role assignment's scope): any there that `previous` did not deploy, or whose
 * inputs changed and are not frozen (`ignoreChanges: ["*"]`). The engine calls no provider for a
 * resource without a diff.
 */
function reachingLostRegion(run: StackRun, previous: StackRun): string[] {
    const deployed = new Map(previous.resources.map((resource) => [resource.urn, JSON.stringify(resource.inputs)]));
    const inLostGroup = (resource: StackRun["resources"][number]) => lostResourceGroups.some((group) =>
        resource.inputs["resourceGroupName"] === group || String(resource.inputs["scope"] ?? "").includes(`/resourceGroups/${group}/`));
    const unchanged = (resource: StackRun["resources"][number]) => resource.ignoreChanges.includes("*") || deployed.get(resource.urn) === JSON.stringify(resource.inputs);
    return run.resources.filter((resource) => resource.custom && inLostGroup(resource) && !(deployed.has(resource.urn) && unchanged(resource)))
        .map((resource) => resource.name);
}

const lostCalls = (run: StackRun) => run.calls.filter((call) => call.resourceGroupName !== undefined && lostResourceGroups.includes(call.resourceGroupName)).map((call) => call.token);

/** The stack deployed twice with `config`, as its outputs read back the second time. */
async function deployed(config: Readonly<Record<string, ConfigValue | undefined>>): Promise<StackRun> {
    const first = await runStack({ stack: "prod", config });
    return runStack({ stack: "prod", config, lastOutputs: first.outputs });
}

describe("prod with a standby, after the loss of its region", () => {
    let beforeFailover: StackRun;
    let afterFailover: StackRun;
    before(async () => {
        beforeFailover = await deployed({ standby });
        afterFailover = await runStack({ stack: "prod", config: active, lastOutputs: beforeFailover.outputs, lostResourceGroups });
    });

    it("serves from the standby's nodes once failed over: public entry, load balancer, outbound, SQL through the group's partner, storage and the standby's vault", () => {
        const verdict = regionLoss(afterFailover.resources, "westeurope", "rg-mx-prod", startedByFailover);
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
        const lostBeforeFailover = regionLoss(beforeFailover.resources, "westeurope", "rg-mx-prod");
        assert.deepEqual(lostBeforeFailover.servingNodes, []);
        assert.ok(lostBeforeFailover.problems.includes("mendix-standby-nodes-node-0-vm: its apps stand by until a failover starts them"), lostBeforeFailover.problems.join("\n"));
        const [profile] = byType(beforeFailover, "azure-native:trafficmanager:Profile");
        assert.deepEqual((profile?.inputs["endpoints"] as { endpointStatus: string }[]).map((endpoint) => endpoint.endpointStatus), ["Enabled", "Enabled"]);
    });

    it("leaves every resource of the lost region as it is once the standby is active, kept in Azure should one leave the program, and the standby's free to change", () => {
        const frozenResources = afterFailover.resources.filter((resource) => resource.custom && resource.ignoreChanges.includes("*"));
        const frozen = frozenResources.map((resource) => resource.name);
        assert.ok(frozen.includes("mendix-sql-server") && frozen.includes("mendix-storage-account") && frozen.includes("mendix-failover-group-group") && frozen.includes("mendix-nodes-node-0-vm"), frozen.join(", "));
        assert.deepEqual(frozenResources.filter((resource) => !resource.retainOnDelete).map((resource) => resource.name), []);
        const byUrn = new Map(afterFailover.resources.map((resource) => [resource.urn, resource]));
        const inStandby = (urn: string): boolean => {
            const resource = byUrn.get(urn);
            return resource !== undefined && (resource.type === "mendix:cluster:StandbyRegion" || inStandby(resource.parentUrn));
        };
        const standbyParts = afterFailover.resources.filter((resource) => resource.custom && inStandby(resource.urn));
        assert.ok(standbyParts.length > 20);
        // But for the storage key, which is not read while the standby serves: the standby's vault keeps it.
        assert.deepEqual(standbyParts.filter((resource) => resource.ignoreChanges.length > 0).map((resource) => [resource.name, resource.ignoreChanges]),
            [["mendix-standby-kv-storage-account-key", ["properties"]]]);
        assert.deepEqual(beforeFailover.resources.filter((resource) => resource.ignoreChanges.length > 0).map((resource) => resource.name), []);
    });

    it("finds no serving path with a failover group but no partner, or storage that stayed in one region", () => {
        const noPartner = regionLoss(afterFailover.resources.filter((resource) => resource.name !== "mendix-standby-sql-server"), "westeurope", "rg-mx-prod", startedByFailover);
        assert.ok(noPartner.problems.includes("no failover group with a surviving partner server"), noPartner.problems.join("\n"));
        const zrs = regionLoss(afterFailover.resources.map((resource) => resource.type === "azure-native:storage:StorageAccount"
            ? { ...resource, inputs: { ...resource.inputs, sku: { name: "Standard_ZRS" } } } : resource), "westeurope", "rg-mx-prod", startedByFailover);
        assert.deepEqual(zrs.servingNodes, []);
        assert.ok(zrs.problems.includes("the storage account is lost"));
    });

    it("activates without the lost region's control plane: the storage key is not read there, where an ordinary run reads it", async () => {
        assert.deepEqual(lostCalls(beforeFailover), ["azure-native:storage:listStorageAccountKeys"]);
        assert.deepEqual(lostCalls(afterFailover), []);
        assert.ok(afterFailover.resources.length > 100);
    });

    it("writes the standby's nodes' settings as they were: serving is what the failover told each node, not the blob", () => {
        const blobs = (run: StackRun) => run.resources.filter((resource) => resource.type === "azure-native:storage:Blob" && String(resource.inputs["blobName"]).startsWith("standby/"));
        const standbyVm = byType(afterFailover, "azure-native:compute:VirtualMachine").find((vm) => vm.name === "mendix-standby-nodes-node-0-vm");
        assert.ok(standbyVm);
        assert.deepEqual(settingsOfNode(standbyVm, afterFailover.resources).map((document) => document.standby), [{ serving: false }]);
        assert.equal(blobs(afterFailover).length, 2);
        assert.deepEqual(blobs(afterFailover).map((blob) => [blob.inputs["resourceGroupName"], blob.inputs["accountName"]]), [["rg-mx-prod-sb", standbyAccount], ["rg-mx-prod-sb", standbyAccount]]);
    });

    it("has the standby's nodes download from the standby's own account, which its network reaches through a private endpoint in the blob zone it links", () => {
        assertDeliveredFromStandby(afterFailover);
        const [account] = byType(afterFailover, "azure-native:storage:StorageAccount").filter((candidate) => candidate.inputs["accountName"] === standbyAccount);
        assert.deepEqual([account?.inputs["resourceGroupName"], account?.inputs["location"], record(account?.inputs["sku"])["name"], account?.inputs["allowBlobPublicAccess"], record(account?.inputs["networkRuleSet"])["virtualNetworkRules"]],
            ["rg-mx-prod-sb", "northeurope", "Standard_ZRS", false, []]);
        const endpoints = byType(afterFailover, "azure-native:network:PrivateEndpoint").filter((endpoint) => endpoint.inputs["resourceGroupName"] === "rg-mx-prod-sb");
        assert.deepEqual(endpoints.map((endpoint) => endpoint.inputs["privateEndpointName"]).sort(), ["mx-prod-sb-blob-delivery-pe", "mx-prod-sb-blob-pe", "mx-prod-sb-kv-pe", "mx-prod-sb-sql-pe"]);
        const readers = byType(afterFailover, "azure-native:authorization:RoleAssignment").filter((grant) => grant.name.startsWith("mendix-standby-nodes-") && grant.name.endsWith("-settings-reader"));
        assert.deepEqual(readers.map((grant) => [grant.inputs["roleDefinitionId"], String(grant.inputs["scope"]).replace(/^\/subscriptions\/[^/]+/, "")]), [0, 1].map(() => [
            "/subscriptions/00000000-0000-4000-8000-000000000001/providers/Microsoft.Authorization/roleDefinitions/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
            `/resourceGroups/rg-mx-prod-sb/providers/Microsoft.Storage/storageAccounts/${standbyAccount}/blobServices/default/containers/node-settings`,
        ]));
        const blobLinks = byType(afterFailover, "azure-native:privatedns:VirtualNetworkLink").filter((link) => link.inputs["privateZoneName"] === "privatelink.blob.core.windows.net");
        assert.deepEqual(blobLinks.map((link) => link.inputs["resourceGroupName"]), ["rg-mx-prod-sb"]);
    });

    it("fails the drill once a standby node's settings blobs are written through the lost region's resource group", () => {
        const movedBack = afterFailover.resources.map((resource) => resource.type === "azure-native:storage:Blob" && String(resource.inputs["blobName"]).startsWith("standby/")
            ? { ...resource, inputs: { ...resource.inputs, resourceGroupName: "rg-mx-prod", accountName: primaryAccount } } : resource);
        const verdict = regionLoss(movedBack, "westeurope", "rg-mx-prod", startedByFailover);
        assert.deepEqual(verdict.servingNodes, []);
        assert.ok(verdict.problems.includes("mendix-standby-nodes-node-0-vm: its settings blobs are written through resource group rg-mx-prod, which is lost"), verdict.problems.join("\n"));
        assert.ok(verdict.problems.some((problem) => problem.startsWith("mendix-standby-nodes-node-0-vm: downloads https://mxprodsbk3x9q2.blob.core.windows.net/node-settings/")), verdict.problems.join("\n"));
    });

    it("makes every agent run wait for a new failover group, whose listener the nodes' settings name, and not for one that exists", async () => {
        const groupUrn = beforeFailover.resources.find((resource) => resource.type === "azure-native:sql:FailoverGroup")?.urn;
        assert.ok(groupUrn);
        const agentRuns = (run: StackRun) => byType(run, "azure-native:compute:VirtualMachineExtension").filter((extension) => extension.inputs["vmExtensionName"] === "mendix-node-agent");
        const first = await runStack({ stack: "prod", config: { standby } });
        assert.equal(agentRuns(first).length, 5);
        assert.deepEqual(agentRuns(first).filter((run) => !run.dependencies.includes(groupUrn)).map((run) => run.name), []);
        assert.deepEqual(agentRuns(beforeFailover).filter((run) => run.dependencies.includes(groupUrn)).map((run) => run.name), []);
    });
});

describe("prod whose standby serves: edits that reach the standby alone", () => {
    it("edits a custom setting on the standby's nodes without a call or a change in the lost region", async () => {
        const deployedStandby = await deployed({ standby });
        const activated = await runStack({ stack: "prod", config: active, lastOutputs: deployedStandby.outputs, lostResourceGroups });
        const edited = await runStack({
            stack: "prod", lastOutputs: activated.outputs, lostResourceGroups,
            config: { ...active, apps: [{ name: "app", customSettings: { SessionTimeout: 900000, ClusterManagerActionInterval: 300000 } }] },
        });
        assert.deepEqual(lostCalls(edited), []);
        assert.deepEqual(reachingLostRegion(edited, activated), []);
        for (const vm of standbyVms(edited)) {
            assert.deepEqual(settingsOfNode(vm, edited.resources).map((document) => document.customSettings["SessionTimeout"]), ["900000"], vm.name);
        }
        assertDeliveredFromStandby(edited);
    });

    it("builds a cold standby's nodes while the stack's region is lost, without a call or a change there", async () => {
        const cold = { location: "northeurope", nodeCount: 0 };
        const deployedCold = await deployed({ standby: cold });
        assert.deepEqual(standbyVms(deployedCold), []);
        const activated = await runStack({ stack: "prod", config: { standby: { ...cold, active: true } }, lastOutputs: deployedCold.outputs, lostResourceGroups });
        const warmed = await runStack({ stack: "prod", config: { standby: { ...cold, nodeCount: 2, active: true } }, lastOutputs: activated.outputs, lostResourceGroups });
        assert.deepEqual(lostCalls(warmed), []);
        assert.deepEqual(reachingLostRegion(warmed, activated), []);
        assertDeliveredFromStandby(warmed);
        const verdict = regionLoss(warmed.resources, "westeurope", "rg-mx-prod", startedByFailover);
        assert.deepEqual(verdict.problems, []);
        assert.deepEqual(verdict.servingNodes, startedByFailover);
    });
});

describe("prod whose standby serves: edits that would reach the lost region", () => {
    let deployedActive: StackRun;
    let deployedStandby: StackRun;
    before(async () => {
        deployedStandby = await deployed({ standby });
        deployedActive = await runStack({ stack: "prod", config: active, lastOutputs: deployedStandby.outputs });
    });

    const refusal = async (config: Readonly<Record<string, ConfigValue | undefined>>, lastOutputs: Record<string, unknown>) =>
        (await runStackExpectingFailure({ stack: "prod", config, lastOutputs })).message;

    it("refuses another node count, an app added, another model and a restore, naming each key, before anything is registered", async () => {
        const models = fs.mkdtempSync(path.join(os.tmpdir(), "standby-models-"));
        writeMda(path.join(models, "app.mda"), "10.12.4.41735");
        const message = await refusal({ ...active, nodeCount: 4 }, deployedActive.outputs);
        assert.match(message, /- nodeCount: got 4; allowed: 3, as the last deployment left the stack's region: while standby\.active is true, another count would create or delete VMs/);
        assert.match(await refusal({ ...active, apps: [{ name: "app" }, { name: "hr", hostName: "hr.example.com" }] }, deployedActive.outputs),
            /- apps: got \["app","hr"\]; allowed: the apps the last deployment had \(app\)/);
        assert.match(await refusal({ ...active, apps: [{ name: "app", mda: path.join(models, "app.mda") }] }, deployedActive.outputs),
            /- apps\[0\]\.mda: got a model with SHA-256 [0-9a-f]{64}; allowed: the model the last deployment deployed \(none\)/);
        assert.match(await refusal({ ...active, restore: { pointInTime: "2026-12-04T09:00:00Z" } }, deployedActive.outputs),
            /- restore\.pointInTime: got "2026-12-04T09:00:00Z"; allowed: nothing on a stack with a standby region: .*take standby out of the stack config/);
    });

    it("refuses a standby made active on a stack that had none deployed, and the standby removed while it serves", async () => {
        const single = await deployed({});
        assert.match(await refusal(active, single.outputs), /- standby\.active: got true; allowed: false: the last deployment had no standby region to serve from/);
        assert.match(await refusal({ standby: undefined }, deployedActive.outputs), /- standby: got nothing; allowed: the standby as deployed, with active: true/);
        assert.ok((await runStack({ stack: "prod", config: { standby }, lastOutputs: deployedActive.outputs })).resources.length > 0, "failing back is standby.active false");
    });
});
