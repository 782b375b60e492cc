import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { diffResource, touches, valueAt } from "../../tools/resourceDiff";
import { resource } from "./fixtures";

const account = (inputs: Record<string, unknown>) =>
    resource("azure-native:storage:StorageAccount", "mendix-storage-account", { accountName: "acct", kind: "StorageV2", ...inputs });

describe("diffResource", () => {
    it("replaces a storage account when a whole encryption block requiring infrastructure encryption is added or removed", () => {
        const bare = account({});
        const encrypted = account({ encryption: { keySource: "Microsoft.Storage", requireInfrastructureEncryption: true } });
        assert.deepEqual(diffResource(bare, encrypted)?.replacedBy, ["encryption.requireInfrastructureEncryption"]);
        assert.deepEqual(diffResource(encrypted, bare)?.replacedBy, ["encryption.requireInfrastructureEncryption"]);
    });

    it("updates a storage account when the encryption block changes elsewhere than its replacing input", () => {
        const before = account({ encryption: { keySource: "Microsoft.Storage", requireInfrastructureEncryption: true } });
        const after = account({ encryption: { keySource: "Microsoft.Keyvault", requireInfrastructureEncryption: true } });
        assert.deepEqual(diffResource(before, after)?.replacedBy, []);
        assert.deepEqual(diffResource(account({}), account({ encryption: { keySource: "Microsoft.Storage" } }))?.replacedBy, []);
    });

    it("replaces a VM when any part of its OS disk block changes, and when zones appear", () => {
        const vm = (inputs: Record<string, unknown>) => resource("azure-native:compute:VirtualMachine", "node-0-vm", { vmName: "vm0", ...inputs });
        assert.deepEqual(diffResource(vm({ storageProfile: { osDisk: { caching: "ReadWrite" } } }), vm({ storageProfile: { osDisk: { caching: "ReadOnly" } } }))?.replacedBy, ["storageProfile.osDisk"]);
        assert.deepEqual(diffResource(vm({}), vm({ zones: ["1"] }))?.replacedBy, ["zones"]);
    });
});

describe("valueAt and touches", () => {
    it("reads a dotted path, undefined past a missing block", () => {
        assert.equal(valueAt({ a: { b: [{ c: 7 }] } }, "a.b[0].c"), 7);
        assert.equal(valueAt({}, "encryption.requireInfrastructureEncryption"), undefined);
    });

    it("counts a changed block that holds a replacing input, and a change within one", () => {
        assert.equal(touches("encryption", "encryption.requireInfrastructureEncryption"), true);
        assert.equal(touches("storageProfile.osDisk.caching", "storageProfile.osDisk"), true);
        assert.equal(touches("encryptionScope", "encryption"), false);
        assert.equal(touches("sku.tier", "sku.name"), false);
    });
});
