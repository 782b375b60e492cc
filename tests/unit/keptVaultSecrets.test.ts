import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { keptVaultSecrets } from "../../components/plan/keptVaultSecrets";
import { lastDeploymentFrom } from "../../components/lastDeployment";

describe("the secrets a vault keeps declared", () => {
    it("retires a secret the last deployment declared that no node reads now, and keeps it declared", () => {
        assert.deepEqual(keptVaultSecrets(["license-app"], ["sql-admin-password", "storage-account-key", "license-app"]), {
            retired: ["sql-admin-password", "storage-account-key"], declared: ["license-app", "sql-admin-password", "storage-account-key"],
        });
    });

    it("brings a retired secret back to life when a node reads it again", () => {
        assert.deepEqual(keptVaultSecrets(["storage-account-key", "sql-admin-password"], ["sql-admin-password", "storage-account-key"]), {
            retired: [], declared: ["sql-admin-password", "storage-account-key"],
        });
    });

    it("retires nothing on a stack never deployed", () => {
        assert.deepEqual(keptVaultSecrets(["sql-admin-password"], []), { retired: [], declared: ["sql-admin-password"] });
    });
});

describe("the vault secrets of the last deployment", () => {
    const deployed = { nodes: [{ name: "node-0" }], deployedModels: {}, secretRotation: undefined, dataDiskSizeGb: 64, adminPasswordFingerprint: undefined };

    it("are the ones it recorded", () => {
        assert.deepEqual(lastDeploymentFrom({ ...deployed, vaultSecrets: ["license-app"], storageKeyInUse: true }).vaultSecrets, ["license-app"]);
    });

    it("are the SQL admin password and the storage key for a deployment that used the key and recorded no list", () => {
        assert.deepEqual(lastDeploymentFrom({ ...deployed, storageKeyInUse: true }).vaultSecrets, ["sql-admin-password", "storage-account-key"]);
        assert.deepEqual(lastDeploymentFrom(deployed).vaultSecrets, ["sql-admin-password", "storage-account-key"]);
    });

    it("are none for a deployment whose nodes used no key and recorded no list, and for a stack never deployed", () => {
        assert.deepEqual(lastDeploymentFrom({ ...deployed, storageKeyInUse: false }).vaultSecrets, []);
        assert.deepEqual(lastDeploymentFrom({ ...deployed, nodes: [] }).vaultSecrets, []);
    });
});
