import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readNodeSettings } from "../../tools/nodeSettings";
import { resource, secretValues, settingsBlob } from "./fixtures";

describe("readNodeSettings", () => {
    const follower = settingsBlob({ name: "node-1", index: 1, leader: false }, "crm", {
        SessionTimeout: "600000",
        "MyModule.SharedAccessSignature": secretValues.sas,
    });

    it("reads node, role and app from a settings blob, with every secret redacted", () => {
        const settings = readNodeSettings(follower);
        assert.ok(settings);
        assert.equal(settings.node, "node-1");
        assert.equal(settings.index, 1);
        assert.equal(settings.computerName, "mxprod-1");
        assert.equal(settings.leader, false);
        assert.equal(settings.app, "crm");
        assert.equal(settings.blobUrn, follower.urn);
        assert.equal(settings.runtimeSettings["DatabasePassword"], "[secret]");
        assert.equal(settings.runtimeSettings["DatabaseHost"], "mx-prod-sql.database.windows.net:1433");
        assert.deepEqual(settings.customSettings, {
            "com.mendix.core.isClusterSlave": "true",
            "com.mendix.storage.azure.AccountName": "mxprodfiles",
            "com.mendix.storage.azure.AccountKey": "[secret]",
            SessionTimeout: "600000",
            "MyModule.SharedAccessSignature": "[secret]",
        });
        const shown = JSON.stringify(settings);
        for (const secret of Object.values(secretValues)) {
            assert.ok(!shown.includes(secret), `${secret} leaks`);
        }
    });

    it("tells a standby region's node from the stack region's node of the same name", () => {
        const primary = settingsBlob({ name: "node-1", index: 1, leader: false }, "app");
        const standby = { ...primary, urn: `${primary.urn}-standby`, inputs: { ...primary.inputs, blobName: "standby/nodes/node-1/app.yaml" } };
        assert.deepEqual([readNodeSettings(primary)?.node, readNodeSettings(standby)?.node], ["node-1", "standby node-1"]);
    });

    it("reads nothing from other resources, agent blobs or a blob whose text is not a settings document", () => {
        assert.equal(readNodeSettings(resource("azure-native:compute:VirtualMachine", "vm", { source: follower.inputs["source"] })), undefined);
        assert.equal(readNodeSettings(resource("azure-native:storage:Blob", "agent", { blobName: "agent/mendix-node-agent.exe", source: { path: "/x" } })), undefined);
        for (const text of ["{ not yaml: [", "- a list", "node: {}\napp: {}\n"]) {
            assert.equal(readNodeSettings(resource("azure-native:storage:Blob", "odd", { blobName: "nodes/node-0/app.yaml", source: { text } })), undefined, text);
        }
    });
});
