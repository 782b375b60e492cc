import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigValue } from "../../offline/stackConfig";
import { byType, runStack, runStackExpectingFailure } from "../harness/offThread";

const cases: readonly { readonly what: string; readonly config: Record<string, ConfigValue>; readonly message: RegExp }[] = [
    { what: "a node count of 0", config: { nodeCount: 0 }, message: /nodeCount: got 0; allowed: a whole number from 1 to 50/ },
    { what: "a node count of 51", config: { nodeCount: 51 }, message: /nodeCount: got 51/ },
    { what: "a node count that is not a number", config: { nodeCount: "three" }, message: /nodeCount: got "three"/ },
    { what: "an unknown zone", config: { zones: ["4"] }, message: /zones: got \["4"\]/ },
    { what: "a reserved admin name", config: { adminUsername: "admin" }, message: /adminUsername: got "admin"/ },
    { what: "RDP from anywhere", config: { rdpSourceCidrs: ["0.0.0.0/0"] }, message: /rdpSourceCidrs\[0\]: got "0.0.0.0\/0"/ },
    { what: "the Standard SQL tier", config: { sql: { tier: "Standard", sku: "S3" } }, message: /sql\.tier: got "Standard"; allowed: Premium or BusinessCritical/ },
    { what: "a sku of another tier", config: { sql: { tier: "BusinessCritical", sku: "P2" } }, message: /sql\.sku: got "P2"; allowed: for tier BusinessCritical: BC_Gen5_N/ },
    { what: "an unknown SQL key", config: { sql: { tier: "Premium", sku: "P1", backup: 7 } }, message: /sql\.backup: got 7; allowed: no such key/ },
    { what: "a bad app name", config: { apps: [{ name: "Sales-App" }] }, message: /apps\[0\]\.name: got "Sales-App"; allowed: 1-20 lower-case letters and digits/ },
    { what: "a duplicate app", config: { apps: [{ name: "crm" }, { name: "crm" }] }, message: /apps\[1\]\.name: got "crm"/ },
    { what: "a managed custom setting", config: { apps: [{ name: "crm", customSettings: { "com.mendix.core.isClusterSlave": false } }] }, message: /apps\[0\]\.customSettings\.com\.mendix\.core\.isClusterSlave: got false/ },
    { what: "an unknown app key", config: { apps: [{ name: "crm", database: "crmdb" }] }, message: /apps\[0\]\.database: got "crmdb"; allowed: no such key/ },
    { what: "a protect flag that is not a boolean", config: { protect: "yes" }, message: /protect: got "yes"; allowed: true or false/ },
    { what: "a rollout of no node at a time", config: { rollout: { maxUnavailable: 0 } }, message: /rollout\.maxUnavailable: got 0; allowed: a whole number from 1 to 49/ },
    { what: "an unknown key", config: { nodes: 3 }, message: /nodes: got "3"; allowed: a known key/ },
];

describe("an invalid stack config", () => {
    for (const testCase of cases) {
        it(`fails on ${testCase.what}, naming key, value and what is allowed, with no resource registered`, async () => {
            const failure = await runStackExpectingFailure({ stack: "dev", config: testCase.config });
            assert.match(failure.message, testCase.message);
            assert.match(failure.message, /no resource was registered/);
            assert.equal(failure.registered, 0);
        });
    }

    it("fails on a VM size without premium storage, having read only the size the last deployment used, which it would have kept", async () => {
        const failure = await runStackExpectingFailure({ stack: "dev", config: { vmSize: "Standard_A2_v2" } });
        assert.match(failure.message, /vmSize: got "Standard_A2_v2"; allowed: a VM size that supports Premium SSD/);
        assert.match(failure.message, /no resource was registered/);
        assert.equal(failure.registered, 1, "the stack reference, which is read rather than created");
    });

    it("fails on a plaintext admin password without showing it", async () => {
        const failure = await runStackExpectingFailure({ stack: "dev", config: { adminPassword: "Plain-Text-Pw-123" } });
        assert.match(failure.message, /adminPassword: got \[secret\]; allowed: a secret/);
        assert.doesNotMatch(failure.message, /Plain-Text-Pw-123/);
        assert.equal(failure.registered, 0);
    });

    it("fails without an Azure location", async () => {
        const failure = await runStackExpectingFailure({ stack: "dev", location: null });
        assert.match(failure.message, /azure-native:location: got null; allowed: an Azure region name/);
        assert.equal(failure.registered, 0);
    });
});

describe("an edit Azure refuses on a deployed stack", () => {
    const password = "Correct-Horse-42";

    it("is refused before any resource but the stack's reference to itself is read: a smaller data disk, another admin password", async () => {
        const deployed = await runStack({ stack: "dev", secrets: { adminPassword: password } });
        const failure = await runStackExpectingFailure({
            stack: "dev", lastOutputs: deployed.outputs, config: { dataDiskSizeGb: 32 }, secrets: { adminPassword: "Other-Horse-99" },
        });
        assert.match(failure.message, /^The stack config has 2 invalid values; no resource was registered:\n/);
        assert.match(failure.message, /\n {2}- dataDiskSizeGb: got 32; allowed: 64 or more: every node's data disk has 64 GB, and Azure cannot shrink a managed disk\n/);
        assert.match(failure.message, /\n {2}- adminPassword: got \[secret\]; allowed: the password the nodes were deployed with, not another: /);
        assert.doesNotMatch(failure.message, /Horse/);
        assert.equal(failure.registered, 1, "the stack reference, which is read rather than created");
    });

    it("refuses an admin password set on a stack whose nodes have a generated one", async () => {
        const deployed = await runStack({ stack: "dev" });
        const failure = await runStackExpectingFailure({ stack: "dev", lastOutputs: deployed.outputs, secrets: { adminPassword: password } });
        assert.match(failure.message, /adminPassword: got \[secret\]; allowed: none, as the nodes were deployed with the password the stack generated/);
    });

    it("lets through a larger data disk and the same password, and keeps the password out of every output", async () => {
        const deployed = await runStack({ stack: "dev", secrets: { adminPassword: password } });
        assert.equal(deployed.outputs["dataDiskSizeGb"], 64);
        assert.match(String(deployed.outputs["adminPasswordFingerprint"]), /^scrypt:[0-9a-f]{64}$/);
        assert.equal(deployed.visibleOutputs["adminPasswordFingerprint"], "[secret]");
        assert.doesNotMatch(JSON.stringify(deployed.outputs), /Horse/);
        const grown = await runStack({ stack: "dev", lastOutputs: deployed.outputs, config: { dataDiskSizeGb: 128 }, secrets: { adminPassword: password } });
        const disks = byType(grown, "azure-native:compute:Disk");
        assert.deepEqual(disks.map((disk) => disk.inputs["diskSizeGB"]), [128, 128]);
    });

    it("keeps the VM size the nodes run on, one refused now or one outside the table, warning instead; refuses another refused size", async () => {
        const deployed = await runStack({ stack: "dev" });
        assert.deepEqual([deployed.outputs["vmSize"], deployed.outputs["encryptionAtHost"]], ["Standard_D2s_v5", true]);
        const onSmallNodes = { ...deployed.outputs, vmSize: "Standard_B1ms" };
        const kept = await runStack({ stack: "dev", lastOutputs: onSmallNodes, config: { vmSize: "Standard_B1ms" } });
        assert.deepEqual(byType(kept, "azure-native:compute:VirtualMachine").map((vm) => (vm.inputs["hardwareProfile"] as { vmSize: string }).vmSize), ["Standard_B1ms", "Standard_B1ms"]);
        assert.equal(kept.warnings.filter((warning) => warning.startsWith("vmSize Standard_B1ms is what the last deployment used, so it is kept")).length, 1, kept.warnings.join("\n"));
        const other = await runStackExpectingFailure({ stack: "dev", lastOutputs: onSmallNodes, config: { vmSize: "Standard_B1s" } });
        assert.match(other.message, /\n {2}- vmSize: got "Standard_B1s"; allowed: a size with at least 4 GiB of memory/);
        assert.equal(other.registered, 1, "the stack reference, read to find the size the nodes run on");
        const outside = await runStack({ stack: "dev", lastOutputs: deployed.outputs, config: { vmSize: "Standard_D4ads_v5" } });
        assert.equal(outside.warnings.filter((warning) => warning.startsWith("vmSize Standard_D4ads_v5 is not among the sizes whose memory this stack knows")).length, 1);
    });

    it("refuses encryption at host changed while a node still runs with the other setting, with the commands that change the nodes by hand", async () => {
        const deployed = await runStack({ stack: "dev" });
        const asDeployed = { "mx-dev-node-0": { encryptionAtHost: true }, "mx-dev-node-1": { encryptionAtHost: true } };
        const failure = await runStackExpectingFailure({ stack: "dev", lastOutputs: deployed.outputs, config: { encryptionAtHost: false }, vms: asDeployed });
        assert.match(failure.message, /\n {2}- encryptionAtHost: got false; allowed: true, what mx-dev-node-0, mx-dev-node-1 run with: Azure changes encryption at host only on a deallocated VM /);
        assert.ok(failure.message.includes('for vm in mx-dev-node-0 mx-dev-node-1; do az vm deallocate -g rg-mx-dev -n "$vm" && az vm update -g rg-mx-dev -n "$vm" ' +
            '--set securityProfile.encryptionAtHost=false && az vm start -g rg-mx-dev -n "$vm" || break; done'), failure.message);
        assert.equal(failure.registered, 1, "the stack reference");
        const changedByHand = await runStack({
            stack: "dev", lastOutputs: deployed.outputs, config: { encryptionAtHost: false },
            vms: { "mx-dev-node-0": { encryptionAtHost: false }, "mx-dev-node-1": { encryptionAtHost: false } },
        });
        assert.deepEqual(byType(changedByHand, "azure-native:compute:VirtualMachine").map((vm) => (vm.inputs["securityProfile"] as { encryptionAtHost: boolean }).encryptionAtHost), [false, false]);
        const oneDeallocated = await runStackExpectingFailure({
            stack: "dev", lastOutputs: deployed.outputs, config: { encryptionAtHost: false },
            vms: { "mx-dev-node-0": { encryptionAtHost: true, deallocated: true }, "mx-dev-node-1": { encryptionAtHost: true } },
        });
        assert.match(oneDeallocated.message, /allowed: true, what mx-dev-node-1 run with:/, "a deallocated node Azure changes as it is");
        const unread = await runStack({ stack: "dev", lastOutputs: deployed.outputs, config: { encryptionAtHost: false } });
        assert.equal(unread.warnings.filter((warning) => /^encryptionAtHost changes to false, and the setting of mx-dev-node-0, mx-dev-node-1 could not be read from Azure/.test(warning)).length, 1,
            unread.warnings.join("\n"));
        const unchanged = await runStack({ stack: "dev", lastOutputs: deployed.outputs, vms: asDeployed });
        assert.ok(!unchanged.warnings.some((warning) => warning.startsWith("encryptionAtHost changes")), "nodes are read only for a change");
    });
});
