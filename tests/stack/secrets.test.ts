import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { byType, runStack, StackRun } from "../harness/offThread";
import { createHash } from "node:crypto";
import { parse } from "yaml";
import { offlineSecrets } from "../../offline/azureMocks";
import { assertExcludes } from "../harness/assertions";

const userPassword = "User-Chosen+Admin(Pw).77$";

/** Every secret value a run can hold: generated, listed from Azure, or set by the user. */
function secretValues(run: StackRun): string[] {
    const generated = byType(run, "random:index/randomPassword:RandomPassword").map((resource) => offlineSecrets.randomPassword(resource.name));
    return [offlineSecrets.storageKey, offlineSecrets.secondStorageKey, userPassword, ...generated];
}

function findLeaks(run: StackRun): string[] {
    const leaks: string[] = [];
    for (const secret of secretValues(run)) {
        for (const resource of run.resources) {
            if (JSON.stringify(resource.visibleInputs).includes(secret)) {
                leaks.push(`${resource.type} ${resource.name} shows ${secret}`);
            }
            if (resource.urn.includes(secret)) {
                leaks.push(`${resource.type} ${resource.name} has ${secret} in its name`);
            }
            // Azure keeps tags and an extension's public settings in plain text, even where Pulumi marks them secret.
            for (const plainInAzure of ["tags", "settings"]) {
                if (JSON.stringify(resource.inputs[plainInAzure] ?? null).includes(secret)) {
                    leaks.push(`${resource.type} ${resource.name} has ${secret} in its ${plainInAzure}`);
                }
            }
        }
        if (JSON.stringify(run.visibleOutputs).includes(secret)) {
            leaks.push(`the stack outputs show ${secret}`);
        }
    }
    return leaks;
}

describe("secrets", () => {
    for (const stack of ["dev", "prod"]) {
        it(`are never visible in any input or output of the ${stack} stack`, async () => {
            const generatedRun = await runStack({ stack });
            assert.deepEqual(findLeaks(generatedRun), []);
            const userRun = await runStack({ stack, secrets: { adminPassword: userPassword } });
            assert.deepEqual(findLeaks(userRun), []);
        });
    }

    it("reach the resources that need them, as secrets", async () => {
        const run = await runStack({ stack: "dev", secrets: { adminPassword: userPassword } });
        for (const vm of byType(run, "azure-native:compute:VirtualMachine")) {
            assert.equal((vm.inputs["osProfile"] as { adminPassword: string }).adminPassword, userPassword);
            assert.equal((vm.visibleInputs["osProfile"] as { adminPassword: string }).adminPassword, "[secret]");
        }
        const [server] = byType(run, "azure-native:sql:Server");
        assert.equal(server?.visibleInputs["administratorLoginPassword"], "[secret]");
        const vaultSecrets = byType(run, "azure-native:keyvault:Secret");
        assert.deepEqual(vaultSecrets.map((secret) => secret.inputs["secretName"]).sort(), ["node-admin-password", "sql-admin-password", "storage-account-key"]);
        for (const secret of vaultSecrets) {
            assert.equal((secret.visibleInputs["properties"] as { value: string }).value, "[secret]");
        }
        const byName = (name: string) => (vaultSecrets.find((secret) => secret.inputs["secretName"] === name)?.inputs["properties"] as { value: string }).value;
        assert.equal(byName("node-admin-password"), userPassword);
        assert.equal(byName("storage-account-key"), offlineSecrets.storageKey);
        assert.equal(byName("sql-admin-password"), offlineSecrets.randomPassword("mendix-sql-admin-password"));
    });

    it("leave the settings blobs as Key Vault references, so the blobs hold no secret and stay readable in a diff", async () => {
        const run = await runStack({ stack: "prod", secrets: { adminPassword: userPassword } });
        const settingsBlobs = byType(run, "azure-native:storage:Blob").filter((blob) => String(blob.inputs["blobName"]).startsWith("nodes/"));
        assert.equal(settingsBlobs.length, 3);
        for (const blob of settingsBlobs) {
            const text = String((blob.visibleInputs["source"] as { text: string }).text);
            const document = parse(text) as { runtimeSettings: Record<string, string>; customSettings: Record<string, string> };
            assert.match(document.runtimeSettings["DatabasePassword"] ?? "",
                /^@Microsoft\.KeyVault\(SecretUri=https:\/\/kv-prod-[a-z0-9]{6}\.vault\.azure\.net\/secrets\/sql-admin-password\/[0-9a-f]{32}\)$/);
            assert.match(document.customSettings["com.mendix.storage.azure.AccountKey"] ?? "", /\/secrets\/storage-account-key\/[0-9a-f]{32}\)$/);
            for (const secret of secretValues(run)) {
                assertExcludes(text, secret, `${String(blob.inputs["blobName"])} holds a secret`);
            }
        }
    });

    it("keep an app's setting named like a secret, set with --secret --path, in Key Vault, its blobs pointing at it", async () => {
        const apiPassword = "fixture-api-password-Qm71";
        const apps = JSON.stringify([{ name: "app", customSettings: { "MyModule.ApiPassword": apiPassword, SessionTimeout: 600000 } }]);
        const run = await runStack({ stack: "dev", secrets: { apps } });
        const vaultName = "setting-app-mymodule-apipassword-" + createHash("sha256").update("MyModule.ApiPassword").digest("hex").slice(0, 8);
        const vaulted = byType(run, "azure-native:keyvault:Secret").find((secret) => secret.inputs["secretName"] === vaultName) ?? assert.fail(`no Key Vault secret ${vaultName}`);
        assert.equal((vaulted.inputs["properties"] as { value: string }).value, apiPassword);
        assert.equal((vaulted.visibleInputs["properties"] as { value: string }).value, "[secret]");
        const settingsBlobs = byType(run, "azure-native:storage:Blob").filter((blob) => String(blob.inputs["blobName"]).startsWith("nodes/"));
        assert.equal(settingsBlobs.length, 2);
        for (const blob of settingsBlobs) {
            const text = String((blob.visibleInputs["source"] as { text: string }).text);
            const document = parse(text) as { customSettings: Record<string, string> };
            assert.match(document.customSettings["MyModule.ApiPassword"] ?? "", new RegExp(`^@Microsoft\\.KeyVault\\(SecretUri=https://kv-dev-[a-z0-9]{6}\\.vault\\.azure\\.net/secrets/${vaultName}/[0-9a-f]{32}\\)$`));
            assert.equal(document.customSettings["SessionTimeout"], "600000");
        }
        const grants = byType(run, "azure-native:authorization:RoleAssignment").filter((grant) => grant.name.endsWith(`-${vaultName}-reader`));
        assert.deepEqual(grants.map((grant) => grant.name).sort(), [0, 1].map((index) => `mendix-nodes-node-${index}-${vaultName}-reader`));
        for (const resource of run.resources) {
            assertExcludes(JSON.stringify(resource.visibleInputs), apiPassword, `${resource.type} ${resource.name}`);
        }
        assertExcludes(JSON.stringify(run.visibleOutputs), apiPassword, "the stack outputs");
    });

    it("generates an admin password when none is configured", async () => {
        const run = await runStack({ stack: "dev" });
        const generated = byType(run, "random:index/randomPassword:RandomPassword").map((resource) => resource.name);
        assert.ok(generated.includes("mendix-admin-password"));
        for (const vm of byType(run, "azure-native:compute:VirtualMachine")) {
            assert.equal((vm.inputs["osProfile"] as { adminPassword: string }).adminPassword, offlineSecrets.randomPassword("mendix-admin-password"));
        }
    });
});
