import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { diffResource, diffStacks, touches, valueAt } from "../../tools/resourceDiff";
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

describe("diffStacks matches by alias", () => {
    const oldParent = "urn:pulumi:prod::mendix-cluster::mendix:cluster:MendixCluster::mendix";
    const newParent = "urn:pulumi:prod::mendix-cluster::mendix:cluster:MendixCluster$mendix:cluster:NodeDeployment::node-0";
    const oldUrn = "urn:pulumi:prod::mendix-cluster::mendix:cluster:MendixCluster$azure-native:compute:VirtualMachine::node-0-vm";
    const newUrn = "urn:pulumi:prod::mendix-cluster::mendix:cluster:MendixCluster$mendix:cluster:NodeDeployment$azure-native:compute:VirtualMachine::node-0-vm";
    const vm = (urn: string, parentUrn: string, aliases: string[], vmSize = "Standard_D4s_v5") =>
        resource("azure-native:compute:VirtualMachine", "node-0-vm", { vmName: "vm0", hardwareProfile: { vmSize } }, { urn, parentUrn, aliases });

    it("pairs a moved resource with the one its alias names, as a parent change, nothing added or removed", () => {
        const diff = diffStacks([vm(oldUrn, oldParent, [])], [vm(newUrn, newParent, [oldUrn], "Standard_D8s_v5")]);
        assert.deepEqual([diff.added.length, diff.removed.length], [0, 0]);
        assert.deepEqual(diff.changed.map((change) => [change.urn, change.properties.map((p) => p.path), change.options.map((o) => o.path), change.replacedBy]), [
            [newUrn, ["hardwareProfile.vmSize"], ["parent"], []],
        ]);
    });

    it("pairs them the other way round too (a revision after the move planned against one before it)", () => {
        const diff = diffStacks([vm(newUrn, newParent, [oldUrn])], [vm(oldUrn, oldParent, [])]);
        assert.deepEqual([diff.added.length, diff.removed.length, diff.changed.length], [0, 0, 1]);
    });

    it("adds and removes what no URN or alias ties together", () => {
        const diff = diffStacks([vm(oldUrn, oldParent, [])], [vm(newUrn, newParent, [])]);
        assert.deepEqual([diff.added.map((r) => r.urn), diff.removed.map((r) => r.urn)], [[newUrn], [oldUrn]]);
    });
});
