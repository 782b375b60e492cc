import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { diffStacks, StackDiff } from "../../tools/resourceDiff";
import { offlineSecrets } from "../../offline/azureMocks";
import { byType, RegisteredResource, runStack, StackRun } from "../harness/offThread";

const licensed = {
    apps: [{ name: "crm", license: { environmentName: "production", licenseServerUrl: "https://licensing.example.com" } }],
};
const licenseSecrets = { licenseSecrets: JSON.stringify({ crm: "mock-license-secret" }) };

type SecretProperties = { value: string; attributes: { expires: number } };
const secretsByName = (run: StackRun) => Object.fromEntries(byType(run, "azure-native:keyvault:Secret")
    .map((secret) => [String(secret.inputs["secretName"]), secret.inputs["properties"] as SecretProperties]));
const nodes = ["node-0", "node-1", "node-2"];

describe("raising rotation.generation from 1 to 2 on prod", () => {
    let deployed: StackRun;
    let rotated: StackRun;
    let diff: StackDiff;
    before(async () => {
        // Generation 1 as deployed on 1 March 2025; generation 2 is the next `pulumi up` against its outputs.
        const earlier = { nodes: nodes.map((name) => ({ name })), deployedModels: {}, secretRotation: { generation: 1, issuedOn: "2025-03-01" } };
        deployed = await runStack({ stack: "prod", config: licensed, secrets: licenseSecrets, lastOutputs: earlier });
        rotated = await runStack({ stack: "prod", config: { ...licensed, rotation: { generation: 2 } }, secrets: licenseSecrets, lastOutputs: deployed.outputs });
        diff = diffStacks(deployed.resources, rotated.resources);
    });

    it("adds and removes no resource", () => {
        assert.deepEqual(diff.added.map((resource) => resource.name), []);
        assert.deepEqual(diff.removed.map((resource) => resource.name), []);
    });

    it("changes the SQL password, the server, the three secrets, every settings blob and every node's agent, nothing else", () => {
        assert.deepEqual(diff.changed.map((change) => change.name).sort(), [
            // The nodes' admin password is not rotated; its secret's expiry is renewed with the others'.
            "mendix-admin-password-secret",
            "mendix-agent-node-0-agent", "mendix-agent-node-0-crm-settings",
            "mendix-agent-node-1-agent", "mendix-agent-node-1-crm-settings",
            "mendix-agent-node-2-agent", "mendix-agent-node-2-crm-settings",
            "mendix-kv-license-crm", "mendix-kv-sql-admin-password", "mendix-kv-storage-account-key",
            "mendix-sql-admin-password", "mendix-sql-server",
        ]);
        const adminPassword = diff.changed.find((change) => change.name === "mendix-admin-password-secret");
        assert.deepEqual(adminPassword?.properties.map((change) => change.path), ["properties.attributes.expires"]);
        const server = diff.changed.find((change) => change.name === "mendix-sql-server");
        assert.deepEqual(server?.properties.map((change) => change.path), ["administratorLoginPassword"]);
        assert.deepEqual(server?.replacedBy, []);
        const password = diff.changed.find((change) => change.name === "mendix-sql-admin-password");
        assert.deepEqual(password?.properties.map((change) => change.path), ["keepers"]);
        for (const node of nodes) {
            const agent = diff.changed.find((change) => change.name === `mendix-agent-${node}-agent`);
            assert.deepEqual(agent?.properties.map((change) => change.path), ["forceUpdateTag"], node);
        }
    });

    it("writes a new SQL password and the other storage key to Key Vault, and renews every secret's expiry", () => {
        const before = secretsByName(deployed);
        const after = secretsByName(rotated);
        assert.equal(before["storage-account-key"]?.value, offlineSecrets.storageKey);
        assert.equal(after["storage-account-key"]?.value, offlineSecrets.secondStorageKey);
        assert.notEqual(after["sql-admin-password"]?.value, before["sql-admin-password"]?.value);
        assert.equal(after["license-crm"]?.value, before["license-crm"]?.value);
        const today = rotated.outputs["secretRotation"] as { generation: number; issuedOn: string };
        assert.equal(today.generation, 2);
        for (const name of ["sql-admin-password", "storage-account-key", "license-crm"]) {
            assert.equal(before[name]?.attributes.expires, 1772323200, name);
            assert.equal(after[name]?.attributes.expires, Date.parse(`${today.issuedOn}T00:00:00Z`) / 1000 + 365 * 86_400, name);
        }
    });

    it("writes the password to Key Vault only once the server has it, and re-runs the agents followers first", () => {
        const urnOf = (name: string) => rotated.resources.find((resource) => resource.name === name)?.urn ?? assert.fail(name);
        const secret = rotated.resources.find((resource) => resource.name === "mendix-kv-sql-admin-password") as RegisteredResource;
        assert.ok(secret.dependencies.includes(urnOf("mendix-sql-server")), "the password's secret waits for the server");
        const leader = rotated.resources.find((resource) => resource.name === "mendix-agent-node-0-agent") as RegisteredResource;
        assert.ok(leader.dependencies.includes(urnOf("mendix-agent-node-1-agent")) || leader.dependencies.includes(urnOf("mendix-agent-node-2-agent")),
            "the leader's agent runs after a follower's");
    });

    it("goes back to key1 at generation 3", async () => {
        const third = await runStack({ stack: "prod", config: { rotation: { generation: 3 } }, lastOutputs: rotated.outputs });
        assert.equal(secretsByName(third)["storage-account-key"]?.value, offlineSecrets.storageKey);
    });
});
