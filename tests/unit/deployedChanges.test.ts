import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { adminPasswordFingerprint, generatedPassword, readAdminPasswordFingerprint, readDataDiskSizeGb, refusedChanges } from "../../components/plan/deployedChanges";

const stackName = "organization/mendix-cluster/prod";
const deployed = { nodes: ["node-0", "node-1"], dataDiskSizeGb: 64, adminPasswordFingerprint: adminPasswordFingerprint("Correct-Horse-42", stackName), vmSize: "Standard_D4s_v5" };

describe("adminPasswordFingerprint", () => {
    it("is the same for the same password and stack, and differs for another password or stack", () => {
        const fingerprint = adminPasswordFingerprint("Correct-Horse-42", stackName);
        assert.match(fingerprint, /^scrypt:[0-9a-f]{64}$/);
        assert.equal(adminPasswordFingerprint("Correct-Horse-42", stackName), fingerprint);
        assert.notEqual(adminPasswordFingerprint("Correct-Horse-43", stackName), fingerprint);
        assert.notEqual(adminPasswordFingerprint("Correct-Horse-42", "organization/mendix-cluster/dev"), fingerprint);
        assert.equal(adminPasswordFingerprint(undefined, stackName), generatedPassword);
    });

    it("holds neither the password nor its plain SHA-256", () => {
        const fingerprint = adminPasswordFingerprint("Correct-Horse-42", stackName);
        assert.ok(!fingerprint.includes("Correct-Horse-42"));
        assert.ok(!fingerprint.includes(createHash("sha256").update("Correct-Horse-42").digest("hex")), "no unsalted hash");
    });

    it("reads back only what it wrote", () => {
        assert.equal(readAdminPasswordFingerprint(deployed.adminPasswordFingerprint), deployed.adminPasswordFingerprint);
        assert.equal(readAdminPasswordFingerprint("generated"), "generated");
        for (const other of [undefined, null, "plain-password", "scrypt:xyz", 7]) {
            assert.equal(readAdminPasswordFingerprint(other), undefined, String(other));
        }
        assert.equal(readDataDiskSizeGb(64), 64);
        assert.equal(readDataDiskSizeGb("64"), undefined);
    });
});

describe("refusedChanges", () => {
    const same = { dataDiskSizeGb: 64, adminPasswordFingerprint: deployed.adminPasswordFingerprint, vmSize: "Standard_D4s_v5" };

    it("lets through an unchanged stack, a larger disk, and anything on a stack never deployed", () => {
        assert.deepEqual(refusedChanges(deployed, same), []);
        assert.deepEqual(refusedChanges(deployed, { ...same, dataDiskSizeGb: 128 }), []);
        assert.deepEqual(refusedChanges({ nodes: [], dataDiskSizeGb: 64, adminPasswordFingerprint: generatedPassword, vmSize: "Standard_D4s_v6" }, { ...same, dataDiskSizeGb: 4 }), []);
    });

    it("lets anything through when the last deployment left no record (an older program's)", () => {
        assert.deepEqual(refusedChanges({ nodes: ["node-0"], dataDiskSizeGb: undefined, adminPasswordFingerprint: undefined, vmSize: undefined }, { dataDiskSizeGb: 4, adminPasswordFingerprint: generatedPassword, vmSize: "Standard_D4s_v5" }), []);
    });

    it("refuses a smaller data disk, naming the size the nodes have", () => {
        assert.deepEqual(refusedChanges(deployed, { ...same, dataDiskSizeGb: 32 }), [
            { key: "dataDiskSizeGb", value: "32", allowed: "64 or more: every node's data disk has 64 GB, and Azure cannot shrink a managed disk" },
        ]);
    });

    it("refuses growing a disk past 4 TiB while attached, which Azure does only to a deallocated VM's detached disk", () => {
        assert.deepEqual(refusedChanges({ ...deployed, dataDiskSizeGb: 4096 }, { ...same, dataDiskSizeGb: 4097 }).map((issue) => [issue.key, issue.value, issue.allowed]), [
            ["dataDiskSizeGb", "4097", "4096 to 4096: Azure grows a Premium SSD data disk of 4096 GB or less past 4096 GB only while its VM is deallocated and the disk detached, which this stack does not do"],
        ]);
        assert.deepEqual(refusedChanges({ ...deployed, dataDiskSizeGb: 4096 }, { ...same, dataDiskSizeGb: 4096 }), []);
        assert.deepEqual(refusedChanges({ ...deployed, dataDiskSizeGb: 8192 }, { ...same, dataDiskSizeGb: 16384 }), []);
    });

    it("refuses an admin password set, changed or removed on deployed VMs, never showing it", () => {
        const generated = { ...deployed, adminPasswordFingerprint: generatedPassword };
        const set = refusedChanges(generated, same);
        const changed = refusedChanges(deployed, { ...same, adminPasswordFingerprint: adminPasswordFingerprint("Other-Horse-99", stackName) });
        const removed = refusedChanges(deployed, { ...same, adminPasswordFingerprint: generatedPassword });
        assert.deepEqual([set, changed, removed].map((issues) => issues.map((issue) => `${issue.key}: got ${issue.value}`)), [
            ["adminPassword: got [secret]"], ["adminPassword: got [secret]"], ["adminPassword: got nothing"],
        ]);
        assert.match(set[0]?.allowed ?? "", /^none, as the nodes were deployed with the password the stack generated: Azure refuses to change the admin password of a VM that exists/);
        assert.match(changed[0]?.allowed ?? "", /^the password the nodes were deployed with, not another: /);
        assert.match(removed[0]?.allowed ?? "", /^the password the nodes were deployed with, which the config no longer sets/);
    });

    it("refuses a size with another disk controller than the nodes run on, and lets a resize within SCSI through", () => {
        assert.deepEqual(refusedChanges(deployed, { ...same, vmSize: "Standard_E8ds_v5" }), []);
        const toScsi = refusedChanges({ ...deployed, vmSize: "Standard_D4s_v6" }, { ...same, vmSize: "Standard_D4s_v5" });
        assert.deepEqual(toScsi.map((issue) => [issue.key, issue.value]), [["vmSize", "Standard_D4s_v5"]]);
        assert.match(toScsi[0]?.allowed ?? "", /^a size with NVMe disks, as Standard_D4s_v6 has, which every node runs on: Azure changes a VM's disk controller only while it is deallocated, a Trusted Launch VM such as these "can't move from SCSI to NVMe"/);
        assert.deepEqual(refusedChanges(deployed, { ...same, vmSize: "Standard_D4s_v6" }).map((issue) => issue.key), ["vmSize"]);
    });
});
