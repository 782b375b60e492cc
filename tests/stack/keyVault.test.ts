import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { byType, RegisteredResource, runStack } from "../harness/runStack";

function vaultOf(resources: readonly RegisteredResource[]): RegisteredResource {
    const vaults = resources.filter((resource) => resource.type === "azure-native:keyvault:Vault");
    assert.equal(vaults.length, 1);
    return vaults[0] as RegisteredResource;
}

type VaultProperties = {
    enableRbacAuthorization: boolean;
    enablePurgeProtection?: boolean;
    enableSoftDelete: boolean;
    networkAcls: { defaultAction: string; virtualNetworkRules: { id: string }[] };
};

describe("the cluster's Key Vault", () => {
    it("is an RBAC-mode vault with soft delete, reachable from the node subnet alone", async () => {
        const run = await runStack({ stack: "dev" });
        const vault = vaultOf(run.resources);
        const properties = vault.inputs["properties"] as VaultProperties;
        assert.equal(properties.enableRbacAuthorization, true);
        assert.equal(properties.enableSoftDelete, true);
        assert.equal(properties.networkAcls.defaultAction, "Deny");
        assert.deepEqual(properties.networkAcls.virtualNetworkRules.map((rule) => rule.id), ["/mock/azure-native:network:Subnet/mendix-network-nodes"]);
        assert.match(String(vault.inputs["vaultName"]), /^kv-dev-[a-z0-9]{6}$/);
    });

    it("has purge protection, and is protected, where the stack protects its data (prod)", async () => {
        const prod = vaultOf((await runStack({ stack: "prod" })).resources);
        assert.equal((prod.inputs["properties"] as VaultProperties).enablePurgeProtection, true);
        assert.equal(prod.protect, true);
        const dev = vaultOf((await runStack({ stack: "dev" })).resources);
        assert.equal((dev.inputs["properties"] as VaultProperties).enablePurgeProtection, undefined);
    });

    it("keeps the SQL password, the storage key, each licence secret and the nodes' admin password, every one as a secret", async () => {
        const run = await runStack({
            stack: "prod",
            config: { apps: [{ name: "crm", license: { environmentName: "production", licenseServerUrl: "https://licensing.example.com" } }] },
            secrets: { licenseSecrets: JSON.stringify({ crm: "mock-license-secret" }) },
        });
        const secrets = byType(run, "azure-native:keyvault:Secret");
        assert.deepEqual(secrets.map((secret) => secret.inputs["secretName"]).sort(), ["license-crm", "node-admin-password", "sql-admin-password", "storage-account-key"]);
        for (const secret of secrets) {
            assert.equal((secret.visibleInputs["properties"] as { value: unknown }).value, "[secret]");
        }
    });
});
