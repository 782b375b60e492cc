import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigValue } from "../../offline/stackConfig";
import { byType, runStack, runStackExpectingFailure } from "../harness/offThread";

const cases: readonly { readonly what: string; readonly config: Record<string, ConfigValue>; readonly message: RegExp }[] = [
    { what: "a node count of 0", config: { nodeCount: 0 }, message: /nodeCount: got 0; allowed: a whole number from 1 to 50/ },
    { what: "a node count of 51", config: { nodeCount: 51 }, message: /nodeCount: got 51/ },
    { what: "a node count that is not a number", config: { nodeCount: "three" }, message: /nodeCount: got "three"/ },
    { what: "an unknown zone", config: { zones: ["4"] }, message: /zones: got \["4"\]/ },
    { what: "a VM size without premium storage", config: { vmSize: "Standard_A2_v2" }, message: /vmSize: got "Standard_A2_v2"; allowed: .*Premium SSD/ },
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
});
