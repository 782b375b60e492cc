import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { adminPasswordProblem } from "../../components/config/azureVmRules";
import { differingEncryptedValues, encryptedConfig, encryptedConfigNote, placeholderSecret } from "../../tools/encryptedConfig";

const stackFile = {
    "azure-native:location": "westeurope",
    "mendix-cluster:nodeCount": 3,
    "mendix-cluster:adminPassword": { secure: "v1:AAA" },
    "mendix-cluster:licenseSecrets": { crm: { secure: "v1:BBB" }, hr: { secure: "v1:CCC" } },
    "mendix-cluster:apps": [{ name: "crm", customSettings: { Token: { secure: "v1:DDD" }, Plain: "x" } }],
};

describe("encryptedConfig", () => {
    const config = encryptedConfig(stackFile);

    it("finds encrypted values at the top and nested, by the path --path would name", () => {
        assert.deepEqual(config.values.map((value) => value.path), [
            "adminPassword", "licenseSecrets.crm", "licenseSecrets.hr", "apps[0].customSettings.Token",
        ]);
    });

    it("stands a placeholder in for each, keeping the rest of the key's value", () => {
        assert.deepEqual(config.standIns, {
            "mendix-cluster:adminPassword": placeholderSecret("v1:AAA"),
            "mendix-cluster:licenseSecrets": JSON.stringify({ crm: placeholderSecret("v1:BBB"), hr: placeholderSecret("v1:CCC") }),
            "mendix-cluster:apps": JSON.stringify([{ name: "crm", customSettings: { Token: placeholderSecret("v1:DDD"), Plain: "x" } }]),
        });
    });

    it("gives each ciphertext a placeholder of its own, the same every time, that the admin password rules take", () => {
        assert.equal(placeholderSecret("v1:AAA"), "Offline-placeholder-" + createHash("sha256").update("v1:AAA").digest("hex").slice(0, 8));
        assert.notEqual(placeholderSecret("v1:AAA"), placeholderSecret("v1:ZZZ"));
        for (const ciphertext of ["v1:AAA", "v1:ZZZ", ""]) {
            assert.equal(adminPasswordProblem(placeholderSecret(ciphertext)), false, ciphertext);
        }
    });

    it("says which values are placeholders, and nothing for a file without encrypted values", () => {
        assert.match(encryptedConfigNote("Pulumi.prod.yaml", config)[0] ?? "", /^Pulumi\.prod\.yaml holds adminPassword, licenseSecrets\.crm, .* encrypted, which cannot be decrypted offline/);
        assert.deepEqual(encryptedConfigNote("Pulumi.dev.yaml", encryptedConfig({ "mendix-cluster:nodeCount": 2 })), []);
    });
});

describe("differingEncryptedValues", () => {
    it("names values added, removed or re-encrypted between two stack files", () => {
        const before = encryptedConfig({ "mendix-cluster:adminPassword": { secure: "v1:AAA" }, "mendix-cluster:licenseSecrets": { crm: { secure: "v1:BBB" } } });
        const after = encryptedConfig({ "mendix-cluster:adminPassword": { secure: "v1:ZZZ" }, "mendix-cluster:licenseSecrets": { hr: { secure: "v1:CCC" } } });
        assert.deepEqual(differingEncryptedValues(before, after), ["adminPassword", "licenseSecrets.crm", "licenseSecrets.hr"]);
        assert.deepEqual(differingEncryptedValues(before, before), []);
    });
});
