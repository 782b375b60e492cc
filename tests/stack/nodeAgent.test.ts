import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { describe, it } from "node:test";
import { defaultAgentDirectory } from "../../components/agentPackage";
import { builtInRoles } from "../../components/plan/grants";
import { assertExcludes } from "../harness/assertions";
import { byType, RegisteredResource, runStack, runStackExpectingFailure, StackRun } from "../harness/offThread";
import { offlineSubscriptionId } from "../../offline/azureIds";

const extensionType = "azure-native:compute:VirtualMachineExtension";

function extensionOf(resources: readonly RegisteredResource[], node: string): RegisteredResource {
    const extension = resources.find((resource) => (resource.type === extensionType && resource.inputs["type"] === "CustomScriptExtension") && resource.name === `mendix-agent-${node}-agent`);
    assert.ok(extension, `an extension for ${node}`);
    return extension;
}

/** The ids Azure gave a node's user-assigned identity, as the program read them. */
function identityOf(run: StackRun, identityName: string): { clientId: string; principalId: string; urn: string } {
    const identity = byType(run, "azure-native:managedidentity:UserAssignedIdentity").find((candidate) => candidate.inputs["resourceName"] === identityName);
    assert.ok(identity, identityName);
    const { clientId, principalId } = identity.outputs as { clientId: string; principalId: string };
    assert.match(clientId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    return { clientId, principalId, urn: identity.urn };
}

function updateTags(resources: readonly RegisteredResource[]): Record<string, string> {
    return Object.fromEntries(resources.filter((resource) => (resource.type === extensionType && resource.inputs["type"] === "CustomScriptExtension"))
        .map((resource) => [resource.name, String(resource.inputs["forceUpdateTag"])]));
}

describe("the node agent extension", () => {
    it("runs the agent through one Custom Script Extension per VM, downloading with the node's identity", async () => {
        const run = await runStack({ stack: "prod", config: { apps: [{ name: "app" }, { name: "crm", hostName: "crm.example.com" }] } });
        const agentFiles = fs.readdirSync(defaultAgentDirectory).filter((file) => !file.endsWith(".pdb"));
        for (const node of ["node-0", "node-1", "node-2"]) {
            const extension = extensionOf(run.resources, node);
            assert.equal(extension.inputs["publisher"], "Microsoft.Compute");
            assert.equal(extension.inputs["type"], "CustomScriptExtension");
            const settings = extension.inputs["settings"] as { fileUris: string[]; commandToExecute: string };
            const account = String(run.outputs["storageAccountName"]);
            assert.deepEqual(settings.fileUris, [
                ...agentFiles.map((file) => `https://${account}.blob.core.windows.net/node-settings/agent/${file}`),
                `https://${account}.blob.core.windows.net/node-settings/nodes/${node}/app.yaml`,
                `https://${account}.blob.core.windows.net/node-settings/nodes/${node}/crm.yaml`,
            ]);
            assert.equal(settings.commandToExecute, `agent\\mendix-node-agent.exe apply --settings nodes/${node}/app.yaml --settings nodes/${node}/crm.yaml`);
            assert.deepEqual(extension.inputs["protectedSettings"], { managedIdentity: { clientId: identityOf(run, `mx-prod-${node}-id`).clientId } });
            assertExcludes(JSON.stringify(extension.inputs["settings"]), identityOf(run, `mx-prod-${node}-id`).clientId, "the client id only in protected settings");
            assert.equal(extension.visibleInputs["protectedSettings"], "[secret]");
            assert.doesNotMatch(JSON.stringify(extension.inputs["settings"]), /sig=|AccountKey|key1/i);
        }
    });

    it("uploads every published agent file as a blob", async () => {
        const run = await runStack({ stack: "dev" });
        const agentBlobs = byType(run, "azure-native:storage:Blob").filter((blob) => String(blob.inputs["blobName"]).startsWith("agent/"));
        assert.deepEqual(agentBlobs.map((blob) => blob.inputs["blobName"]).sort(),
            fs.readdirSync(defaultAgentDirectory).filter((file) => !file.endsWith(".pdb")).map((file) => `agent/${file}`).sort());
        assert.ok(agentBlobs.some((blob) => blob.inputs["blobName"] === "agent/mendix-node-agent.exe"));
    });

    it("lets each node's identity read the settings container and the cluster's secrets, and nothing else", async () => {
        const run = await runStack({ stack: "prod" });
        // The admin password's reader is a person's grant (tests/stack/firstDeployment.test.ts).
        const assignments = byType(run, "azure-native:authorization:RoleAssignment").filter((assignment) => !assignment.name.startsWith("mendix-admin-password-reader"));
        const role = (id: string) => `/subscriptions/${offlineSubscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${id}`;
        const nodeOfPrincipal = new Map(["node-0", "node-1", "node-2"].map((node) => [identityOf(run, `mx-prod-${node}-id`).principalId, node]));
        const grants = assignments.map((assignment) => [
            nodeOfPrincipal.get(String(assignment.inputs["principalId"])) ?? "someone else",
            assignment.inputs["roleDefinitionId"] === role(builtInRoles.blobReader) ? "blob reader" : assignment.inputs["roleDefinitionId"] === role(builtInRoles.secretReader) ? "secret reader" : "other",
            String(assignment.inputs["scope"]).split("/").slice(-3).join("/"),
        ].join(" "));
        assert.deepEqual(grants.sort(), ["node-0", "node-1", "node-2"].flatMap((node) => [
            `${node} blob reader default/containers/node-settings`,
            `${node} secret reader kv-prod-k3x9q2/secrets/sql-admin-password`,
            `${node} secret reader kv-prod-k3x9q2/secrets/storage-account-key`,
        ]).sort());
        assert.ok(assignments.every((assignment) => assignment.inputs["principalType"] === "ServicePrincipal"));
    });


    it("waits for the agent and the node's settings before running", async () => {
        const run = await runStack({ stack: "dev" });
        const extension = extensionOf(run.resources, "node-1");
        const urnOf = (name: string) => run.resources.find((resource) => resource.name === name)?.urn;
        for (const dependency of ["mendix-agent-node-1-app-settings", "mendix-agent-agent-mendix-node-agent.exe"]) {
            assert.ok(extension.dependencies.includes(urnOf(dependency) ?? "?"), dependency);
        }
    });

    it("gives each node a user-assigned identity holding every grant before its VM is created", async () => {
        const run = await runStack({ stack: "prod", config: { apps: [{ name: "app", license: { environmentName: "production", licenseServerUrl: "https://licensing.example.com" } }] }, secrets: { licenseSecrets: JSON.stringify({ app: "s3cret" }) } });
        const identities = byType(run, "azure-native:managedidentity:UserAssignedIdentity");
        assert.deepEqual(identities.map((identity) => identity.inputs["resourceName"]), ["mx-prod-node-0-id", "mx-prod-node-1-id", "mx-prod-node-2-id"]);
        const assignments = byType(run, "azure-native:authorization:RoleAssignment");
        for (const node of ["node-0", "node-1", "node-2"]) {
            const { principalId } = identityOf(run, `mx-prod-${node}-id`);
            const grants = assignments.filter((assignment) => assignment.inputs["principalId"] === principalId);
            assert.equal(grants.length, 4, `${node}: the settings container, the SQL password, the storage key, the licence`);
            const vm = run.resources.find((resource) => resource.type === "azure-native:compute:VirtualMachine" && resource.inputs["vmName"] === `mx-prod-${node}`);
            assert.ok(vm);
            for (const grant of grants) {
                assert.ok(vm.dependencies.includes(grant.urn), `${node}'s VM waits for ${grant.name}`);
            }
            const identity = vm.inputs["identity"] as { type: string; userAssignedIdentities: string[] };
            assert.equal(identity.type, "UserAssigned");
            const registered = identities.find((candidate) => candidate.inputs["resourceName"] === `mx-prod-${node}-id`);
            assert.ok(registered);
            assert.ok(vm.dependencies.includes(registered.urn), `${node}'s VM carries its own identity`);
        }
    });

    it("re-runs the agent on exactly the nodes whose settings changed", async () => {
        const before = updateTags((await runStack({ stack: "prod" })).resources);
        assert.equal(new Set(Object.values(before)).size, 3, "each node has its own tag");
        const same = updateTags((await runStack({ stack: "prod" })).resources);
        assert.deepEqual(same, before);
        const changed = updateTags((await runStack({ stack: "prod", config: { apps: [{ name: "app", customSettings: { SessionTimeout: 900000 } }] } })).resources);
        for (const node of Object.keys(before)) {
            assert.notEqual(changed[node], before[node], `${node} re-runs after a change of its app's settings`);
        }
        const grown = updateTags((await runStack({ stack: "prod", config: { nodeCount: 4 } })).resources);
        for (const node of Object.keys(before)) {
            assert.equal(grown[node], before[node], `${node} does not re-run when a node is added`);
        }
        const largerDisks = updateTags((await runStack({ stack: "prod", config: { dataDiskSizeGb: 512 } })).resources);
        for (const node of Object.keys(before)) {
            assert.notEqual(largerDisks[node], before[node], `${node} re-runs, to grow its volume, when its data disk grows`);
        }
    });

    it("re-runs the agent on every node when the agent itself changes", async () => {
        const copy = fs.mkdtempSync(path.join(os.tmpdir(), "agent-"));
        for (const file of fs.readdirSync(defaultAgentDirectory)) {
            fs.copyFileSync(path.join(defaultAgentDirectory, file), path.join(copy, file));
        }
        const before = updateTags((await runStack({ stack: "dev", agentDirectory: copy })).resources);
        fs.appendFileSync(path.join(copy, "mendix-node-agent.exe.config"), "\n");
        const after = updateTags((await runStack({ stack: "dev", agentDirectory: copy })).resources);
        for (const node of Object.keys(before)) {
            assert.notEqual(after[node], before[node]);
        }
        fs.rmSync(copy, { recursive: true });
    });

    it("stops before registering anything when the agent has not been built, saying how to build it", async () => {
        const failure = await runStackExpectingFailure({ stack: "dev", agentDirectory: path.join(os.tmpdir(), "no-agent-here") });
        assert.match(failure.message, /node agent is not built/);
        assert.match(failure.message, /npm run build/);
        assert.equal(failure.registered, 0);
    });
});
