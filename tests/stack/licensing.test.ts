import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { assertExcludes } from "../harness/assertions";
import { byType, runStack, runStackExpectingFailure, StackRun } from "../harness/offThread";

const licenseSecret = "mock-license+secret(5f2c).$";
const licensed = {
    config: {
        apps: [
            { name: "crm", license: { environmentName: "production", licenseServerUrl: "https://licensing.example.com" } },
            { name: "hr", hostName: "hr.example.com" },
        ],
    },
    secrets: { licenseSecrets: JSON.stringify({ crm: licenseSecret }) },
};

function customSettings(run: StackRun, app: string): Record<string, string>[] {
    return byType(run, "azure-native:storage:Blob")
        .filter((blob) => String(blob.inputs["blobName"]).endsWith(`/${app}.yaml`))
        .map((blob) => (parse(String((blob.inputs["source"] as { text: string }).text)) as { customSettings: Record<string, string> }).customSettings);
}

describe("a licensed cluster", () => {
    it("gives every node a licensed app's License settings, the secret by Key Vault reference, and an unlicensed app's none", async () => {
        const run = await runStack({ stack: "prod", ...licensed });
        const crm = customSettings(run, "crm");
        assert.equal(crm.length, 3);
        const [vaultSecret] = byType(run, "azure-native:keyvault:Secret").filter((secret) => secret.inputs["secretName"] === "license-crm");
        assert.equal((vaultSecret?.inputs["properties"] as { value: string }).value, licenseSecret);
        assert.equal((vaultSecret?.visibleInputs["properties"] as { value: string }).value, "[secret]");
        for (const settings of crm) {
            assert.match(settings["License.SubscriptionSecret"] ?? "", /^@Microsoft\.KeyVault\(SecretUri=https:\/\/.*\/secrets\/license-crm\/[0-9a-f]{32}\)$/);
            assert.equal(settings["License.UseLicenseServer"], "true");
            assert.equal(settings["License.LicenseServerURL"], "https://licensing.example.com");
            assert.equal(settings["License.EnvironmentName"], "production");
        }
        for (const settings of customSettings(run, "hr")) {
            assert.deepEqual(Object.keys(settings).filter((key) => key.startsWith("License.")), []);
        }
    });

    it("keeps the subscription secret out of every visible input, output and log line", async () => {
        const run = await runStack({ stack: "prod", ...licensed });
        for (const resource of run.resources) {
            assertExcludes(JSON.stringify(resource.visibleInputs), licenseSecret, `${resource.type} ${resource.name}`);
        }
        assertExcludes(JSON.stringify(run.visibleOutputs), licenseSecret, "the stack outputs");
        assertExcludes(run.warnings.join("\n"), licenseSecret, "the log");
    });

    it("warns about each unlicensed app, naming it and what an unlicensed runtime does, and lists them in an output", async () => {
        const run = await runStack({ stack: "prod", ...licensed });
        assert.deepEqual(run.outputs["unlicensedApps"], ["hr"]);
        const warnings = run.warnings.filter((warning) => /no Mendix licence/.test(warning));
        assert.equal(warnings.length, 1);
        assert.match(warnings[0] ?? "", /App "hr" has no Mendix licence: .* stops after 2 to 4 hours and admits at most 6 concurrent users/);
        const unlicensed = await runStack({ stack: "dev" });
        assert.deepEqual(unlicensed.outputs["unlicensedApps"], ["app"]);
    });

    it("lets every node read the licence secret", async () => {
        const run = await runStack({ stack: "prod", ...licensed });
        const readers = byType(run, "azure-native:authorization:RoleAssignment").filter((assignment) => String(assignment.inputs["scope"]).endsWith("/providers/Microsoft.KeyVault/vaults/kv-prod-k3x9q2/secrets/license-crm"));
        assert.equal(readers.length, 3);
    });

    it("re-runs the agent on every node when a subscription secret changes", async () => {
        const tags = (run: StackRun) => byType(run, "azure-native:compute:VirtualMachineExtension").filter((extension) => extension.inputs["type"] === "CustomScriptExtension").map((extension) => extension.inputs["forceUpdateTag"]);
        const before = tags(await runStack({ stack: "prod", ...licensed }));
        const after = tags(await runStack({ stack: "prod", ...licensed, secrets: { licenseSecrets: JSON.stringify({ crm: "rotated-secret" }) } }));
        assert.ok(before.every((tag, index) => tag !== after[index]));
    });

    it("refuses, before registering anything, a licence without its secret and an unlicensed app under requireLicense", async () => {
        const missing = await runStackExpectingFailure({ stack: "prod", config: licensed.config });
        assert.match(missing.message, /licenseSecrets\.crm: got nothing; allowed: the subscription secret of app crm/);
        assert.equal(missing.registered, 0);
        const required = await runStackExpectingFailure({ stack: "prod", ...licensed, config: { ...licensed.config, requireLicense: true } });
        assert.match(required.message, /apps\[1\]\.license: got nothing; allowed: a licence .* for app hr, since requireLicense is true/);
        assert.equal(required.registered, 0);
    });
});
