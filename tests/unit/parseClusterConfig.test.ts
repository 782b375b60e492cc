import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { diskControllerOf, vmSizeRefusal, vmSizeWarning } from "../../components/config/azureVmRules";
import { ConfigError } from "../../components/config/configError";
import { parseClusterConfig } from "../../components/config/parseClusterConfig";
import { configIssues, ConfigValues, rawConfig } from "../harness/parseConfig";

type Values = ConfigValues;
const raw = rawConfig;
const issuesOf = configIssues;

function expectRefused(values: Values, key: string, allowedPart: RegExp, secretKeys: string[] = []) {
    const issues = issuesOf(values, secretKeys);
    const issue = issues.find((candidate) => candidate.key === key);
    assert.ok(issue, `no issue for ${key}; issues: ${JSON.stringify(issues)}`);
    assert.match(issue.allowed, allowedPart);
    return issue;
}

describe("parseClusterConfig", () => {
    it("gives the documented defaults for an empty config", () => {
        const config = parseClusterConfig(raw({}));
        assert.equal(config.nodeCount, 2);
        assert.equal(config.vmSize, "Standard_D4s_v5");
        assert.deepEqual(config.zones, ["1", "2", "3"]);
        assert.equal(config.dataDiskSizeGb, 128);
        assert.equal(config.adminPassword, undefined);
        assert.deepEqual(config.rdpSourceCidrs, []);
        assert.deepEqual(config.sql, { tier: "Premium", sku: "P1", maxSizeGb: 250, zoneRedundant: false, backupRetentionDays: 14 });
        assert.deepEqual(config.apps, [{ name: "app", customSettings: {}, license: undefined, hostName: undefined, mda: undefined }]);
        assert.equal(config.requireLicense, false);
        assert.equal(config.protect, true);
    });

    it("reads every key of a full config", () => {
        const config = parseClusterConfig(raw({
            nodeCount: "5", vmSize: "Standard_E8ds_v5", zones: [], dataDiskSizeGb: "512", adminUsername: "mxops",
            adminPassword: "Correct-Horse-42", rdpSourceCidrs: ["203.0.113.0/24"], protect: "false",
            sql: { tier: "BusinessCritical", sku: "BC_Gen5_8", maxSizeGb: 2048, zoneRedundant: true },
            apps: [{ name: "crm", customSettings: { SessionTimeout: 600000, "com.example.Flag": true, Text: "x" } }, { name: "hr2", hostName: "hr.example.com" }],
        }, ["adminPassword"]));
        assert.equal(config.nodeCount, 5);
        assert.deepEqual(config.zones, []);
        assert.equal(config.adminPassword, "Correct-Horse-42");
        assert.equal(config.protect, false);
        assert.deepEqual(config.sql, { tier: "BusinessCritical", sku: "BC_Gen5_8", maxSizeGb: 2048, zoneRedundant: true, backupRetentionDays: 14 });
        assert.deepEqual(config.apps[0]?.customSettings, { SessionTimeout: "600000", "com.example.Flag": "true", Text: "x" });
    });

    for (const [value, why, shown] of [["0", "below 1", "0"], ["51", "above 50", "51"], ["two", "not a number", '"two"'], ["2.5", "not whole", '"2.5"']] as const) {
        it(`refuses nodeCount ${value} (${why})`, () => {
            const issue = expectRefused({ nodeCount: value }, "nodeCount", /whole number from 1 to 50/);
            assert.equal(issue.value, shown);
        });
    }

    it("refuses unknown and repeated zones", () => {
        expectRefused({ zones: ["1", "4"] }, "zones", /"1", "2", "3"/);
        expectRefused({ zones: ["1", "1"] }, "zones", /distinct/);
        expectRefused({ zones: "1" }, "zones", /YAML list/);
    });

    it("refuses VM sizes without premium storage, malformed, Arm64 and NVMe-only ones", () => {
        expectRefused({ vmSize: "Standard_D4_v5" }, "vmSize", /^a VM size that supports Premium SSD/);
        expectRefused({ vmSize: "D4s_v5" }, "vmSize", /^an Azure VM size name/);
        expectRefused({ vmSize: "Standard_D4ps_v5" }, "vmSize", /^an x64 VM size, .*: the p in Standard_D4ps_v5 marks an Arm64 size/);
        for (const size of ["Standard_D4s_v6", "Standard_D4ads_v6", "Standard_E8s_v6", "Standard_F4as_v6", "Standard_D4s_v7"]) {
            expectRefused({ vmSize: size }, "vmSize", new RegExp(`^a VM size with SCSI disks, .*: ${size} presents its disks over NVMe only .*SCSI LUN`));
        }
        assert.equal(parseClusterConfig(raw({ vmSize: "Standard_DS3_v2" })).vmSize, "Standard_DS3_v2");
        assert.equal(parseClusterConfig(raw({ vmSize: "Standard_B2s" })).vmSize, "Standard_B2s");
    });

    it("takes a Premium SSD size outside the table by its name, as it did before the table, warning of the memory it cannot check", () => {
        for (const size of ["Standard_D4ads_v5", "Standard_E4as_v5", "Standard_D4ds_v4", "Standard_E4bds_v5"]) {
            assert.equal(parseClusterConfig(raw({ vmSize: size })).vmSize, size);
            assert.equal(vmSizeRefusal(size), undefined, size);
            assert.match(vmSizeWarning(size, undefined) ?? "", new RegExp(`^vmSize ${size} is not among the sizes whose memory this stack knows \\(Bv1, .*\\): .* not that it has the 4 GiB of memory a node needs`));
        }
        assert.equal(vmSizeWarning("Standard_D4s_v5", undefined), undefined, "a size of the table");
    });

    it("never refuses the size the last deployment used, warning instead", () => {
        assert.equal(parseClusterConfig(raw({ vmSize: "Standard_B1ms" }), "westeurope", "Standard_B1ms").vmSize, "Standard_B1ms");
        assert.match(vmSizeWarning("Standard_B1ms", "Standard_B1ms") ?? "", /^vmSize Standard_B1ms is what the last deployment used, so it is kept, though a new stack would be refused it; allowed for a new stack: a size with at least 4 GiB/);
        assert.ok(configIssues({ vmSize: "Standard_B1ms" }).some((issue) => issue.key === "vmSize"), "refused on a stack that ran another size");
    });

    it("tells SCSI sizes from NVMe-only ones", () => {
        assert.deepEqual(["Standard_D4s_v5", "Standard_DS2_v2", "Standard_E4bds_v5", "Standard_F8s_v2", "Standard_D4s_v6", "Standard_E2as_v6", "Standard_D2s_v7"].map(diskControllerOf),
            ["SCSI", "SCSI", "SCSI", "SCSI", "NVMe", "NVMe", "NVMe"]);
    });

    for (const [size, memory] of [["Standard_B1s", "1"], ["Standard_B1ms", "2"], ["Standard_B2ts_v2", "1"], ["Standard_DS1_v2", "3.5"]] as const) {
        it(`refuses ${size}, which has ${memory} GiB of memory, saying so`, () => {
            const issue = expectRefused({ vmSize: size }, "vmSize", new RegExp(`at least 4 GiB of memory, such as Standard_D2s_v5 \\(${size} has ${memory.replace(".", "\\.")} GiB;`));
            assert.equal(issue.value, JSON.stringify(size));
        });
    }

    it("refuses a data disk size outside what Azure sells", () => {
        expectRefused({ dataDiskSizeGb: "2" }, "dataDiskSizeGb", /4 to 32767/);
    });

    it("refuses reserved and malformed admin user names", () => {
        expectRefused({ adminUsername: "administrator" }, "adminUsername", /reserved/);
        expectRefused({ adminUsername: "ops@corp" }, "adminUsername", /none of/);
        expectRefused({ adminUsername: "a-name-longer-than-twenty" }, "adminUsername", /1-20/);
    });

    it("refuses a plaintext admin password without ever printing it", () => {
        const issue = expectRefused({ adminPassword: "Correct-Horse-42" }, "adminPassword", /config set --secret/);
        assert.equal(issue.value, "[secret]");
    });

    it("refuses a weak admin password without ever printing it", () => {
        const issue = expectRefused({ adminPassword: "P@ssw0rd" }, "adminPassword", /12-123/, ["adminPassword"]);
        assert.equal(issue.value, "[secret]");
        assert.doesNotMatch(new ConfigError(issuesOf({ adminPassword: "alllowercase1" }, ["adminPassword"])).message, /alllowercase1/);
    });

    it("refuses RDP from the whole internet and malformed blocks", () => {
        expectRefused({ rdpSourceCidrs: ["0.0.0.0/0"] }, "rdpSourceCidrs[0]", /never 0\.0\.0\.0\/0/);
        expectRefused({ rdpSourceCidrs: ["10.0.0.0/8", "*"] }, "rdpSourceCidrs[1]", /CIDR/);
        expectRefused({ rdpSourceCidrs: ["300.1.1.1/32"] }, "rdpSourceCidrs[0]", /CIDR/);
    });

    it("refuses an RDP block wider than /8, and blocks that together are the whole internet", () => {
        expectRefused({ rdpSourceCidrs: ["0.0.0.0/1", "128.0.0.0/1"] }, "rdpSourceCidrs[0]", /no wider than \/8/);
        expectRefused({ rdpSourceCidrs: ["0.0.0.0/1", "128.0.0.0/1"] }, "rdpSourceCidrs[1]", /no wider than \/8/);
        expectRefused({ rdpSourceCidrs: ["0.0.0.0/1", "128.0.0.0/1"] }, "rdpSourceCidrs", /cover all of 0\.0\.0\.0\/0/);
        expectRefused({ rdpSourceCidrs: ["10.0.0.0/7"] }, "rdpSourceCidrs[0]", /no wider than \/8/);
        const everyEight = Array.from({ length: 256 }, (_, octet) => `${octet}.0.0.0/8`);
        const issues = issuesOf({ rdpSourceCidrs: everyEight });
        assert.deepEqual(issues.map((issue) => issue.key), ["rdpSourceCidrs"], "each /8 is allowed alone; all 256 are the internet");
        assert.deepEqual(parseClusterConfig(raw({ rdpSourceCidrs: everyEight.slice(1) })).rdpSourceCidrs.length, 255, "leaving out 0.0.0.0/8 covers less than the internet");
        assert.deepEqual(parseClusterConfig(raw({ rdpSourceCidrs: ["10.0.0.0/8", "203.0.113.7"] })).rdpSourceCidrs, ["10.0.0.0/8", "203.0.113.7"]);
    });

    it("refuses any SQL tier but Premium and Business Critical, naming both", () => {
        for (const tier of ["Standard", "Basic", "GeneralPurpose", "Hyperscale"]) {
            expectRefused({ sql: { tier, sku: "S3" } }, "sql.tier", /Premium or BusinessCritical/);
        }
    });

    it("refuses a sku of the other tier or one Azure does not sell", () => {
        expectRefused({ sql: { tier: "Premium", sku: "P3" } }, "sql.sku", /P1, P2, P4, P6, P11, P15/);
        expectRefused({ sql: { tier: "Premium", sku: "BC_Gen5_4" } }, "sql.sku", /tier Premium/);
        expectRefused({ sql: { tier: "BusinessCritical", sku: "P1" } }, "sql.sku", /BC_Gen5_N/);
        expectRefused({ sql: { tier: "BusinessCritical", sku: "BC_Gen5_3" } }, "sql.sku", /BC_Gen5_N/);
    });

    it("refuses a database size the sku cannot hold", () => {
        expectRefused({ sql: { tier: "Premium", sku: "P1", maxSizeGb: 2048 } }, "sql.maxSizeGb", /for P1/);
        expectRefused({ sql: { tier: "Premium", sku: "P2", maxSizeGb: 333 } }, "sql.maxSizeGb", /one of/);
        expectRefused({ sql: { tier: "BusinessCritical", sku: "BC_Gen5_2", maxSizeGb: 2000 } }, "sql.maxSizeGb", /1 to 1024/);
        assert.equal(parseClusterConfig(raw({ sql: { tier: "Premium", sku: "P11", maxSizeGb: 4096 } })).sql.maxSizeGb, 4096);
    });

    it("refuses unknown and wrongly typed SQL keys", () => {
        expectRefused({ sql: { tier: "Premium", sku: "P1", edition: "x" } }, "sql.edition", /tier, sku, maxSizeGb, zoneRedundant/);
        expectRefused({ sql: { tier: "Premium", sku: "P1", zoneRedundant: "yes" } }, "sql.zoneRedundant", /true or false/);
        expectRefused({ sql: "Premium" }, "sql", /mapping/);
    });

    it("refuses bad and duplicate app names", () => {
        for (const name of ["My-App", "", "app_1", "a".repeat(21)]) {
            expectRefused({ apps: [{ name }] }, "apps[0].name", /1-20 lower-case letters and digits/);
        }
        expectRefused({ apps: [{ name: "crm" }, { name: "crm" }] }, "apps[1].name", /no other app/);
        expectRefused({ apps: [] }, "apps", /at least one app/);
        expectRefused({ apps: ["crm"] }, "apps[0]", /mapping/);
        expectRefused({ apps: [{ name: "crm", database: "x" }] }, "apps[0].database", /name, customSettings/);
    });

    it("refuses every custom setting the stack manages itself", () => {
        for (const key of [
            "com.mendix.core.isClusterSlave", "com.mendix.core.StorageService", "com.mendix.storage.azure.AccountKey",
            "com.mendix.storage.azure.Container", "com.mendix.storage.PerformDeleteFromStorage", "DatabasePassword", "DatabaseHost",
            "com.mendix.core.isclusterslave",
        ]) {
            expectRefused({ apps: [{ name: "crm", customSettings: { [key]: "x" } }] }, `apps[0].customSettings.${key}`, /does not manage/);
        }
    });

    it("refuses a custom setting named like a secret in plain text, naming the command and never the value", () => {
        const issue = expectRefused({ apps: [{ name: "app" }, { name: "crm", hostName: "crm.example.com", customSettings: { "MyModule.ApiPassword": "hunter2", SessionTimeout: 1 } }] },
            "apps[1].customSettings.MyModule.ApiPassword", /^a secret, as its name says \(docs\/secret-settings\.json\), never plain text in the stack file: /);
        assert.equal(issue.value, "[secret]");
        assert.match(issue.allowed, /: pulumi config set --secret --path 'apps\[1\]\.customSettings\["MyModule\.ApiPassword"\]' <value>$/);
        assert.doesNotMatch(new ConfigError(issuesOf({ apps: [{ name: "crm", customSettings: { "MyModule.ApiPassword": "hunter2" } }] })).message, /hunter2/);
    });

    it("refuses a custom setting named like a secret in plain text beside an encrypted one: each secret-named value must be encrypted itself", () => {
        const apps = [{ name: "crm", customSettings: { "MyModule.ApiPassword": "hunter2", "Other.Token": "encrypted-in-the-file" } }];
        // As Pulumi hands it over: one encrypted value in `apps` makes the whole key secret; the stack file says which value it is.
        const issues = configIssues({ apps }, ["apps"], new Map([["apps", [[0, "customSettings", "Other.Token"]]]]));
        assert.deepEqual(issues.map((issue) => [issue.key, issue.value]), [["apps[0].customSettings.MyModule.ApiPassword", "[secret]"]]);
        assert.match(issues[0]?.allowed ?? "", /pulumi config set --secret --path 'apps\[0\]\.customSettings\["MyModule\.ApiPassword"\]' <value>$/);
        const encryptedApp = parseClusterConfig(raw({ apps }, ["apps"], new Map([["apps", [[0]]]])));
        assert.equal(encryptedApp.apps[0]?.customSettings["MyModule.ApiPassword"], "hunter2", "a value within an encrypted app is encrypted");
        const wholeKey = parseClusterConfig(raw({ apps }, ["apps"], new Map([["apps", [[]]]])));
        assert.equal(wholeKey.apps[0]?.customSettings["MyModule.ApiPassword"], "hunter2", "apps set with --secret as a whole");
    });

    it("takes a custom setting named like a secret from secret config, and a timeout named like a token in plain text", () => {
        const secretApps = parseClusterConfig(raw({ apps: [{ name: "crm", customSettings: { "MyModule.ApiPassword": "hunter2" } }] }, ["apps"]));
        assert.deepEqual(secretApps.apps[0]?.customSettings, { "MyModule.ApiPassword": "hunter2" });
        const plain = parseClusterConfig(raw({ apps: [{ name: "crm", customSettings: { "Payments.TokenTimeout": 30 } }] }));
        assert.deepEqual(plain.apps[0]?.customSettings, { "Payments.TokenTimeout": "30" });
    });

    it("never echoes the value of a refused setting whose name marks it a secret", () => {
        const message = new ConfigError(issuesOf({ apps: [{ name: "crm", customSettings: { DatabasePassword: "fixture-pw-1", "Bad Name Token": "fixture-pw-2" } }] })).message;
        assert.match(message, /apps\[0\]\.customSettings\.DatabasePassword: got \[secret\]/);
        assert.doesNotMatch(message, /fixture-pw/);
    });

    it("refuses custom setting values that are not scalars", () => {
        expectRefused({ apps: [{ name: "crm", customSettings: { Nested: { a: 1 } } }] }, "apps[0].customSettings.Nested", /string, number or boolean/);
        expectRefused({ apps: [{ name: "crm", customSettings: ["x"] }] }, "apps[0].customSettings", /mapping/);
    });

    it("reads the rollout and refuses what it cannot do", () => {
        const waits = { readyTimeoutSeconds: 600, drainSeconds: 30, databaseWaitSeconds: 1800, databaseSyncTimeoutSeconds: 1800 };
        assert.deepEqual(parseClusterConfig(raw({})).rollout, { maxUnavailable: 1, modelChange: "rolling", ...waits });
        assert.deepEqual(parseClusterConfig(raw({ rollout: { maxUnavailable: 3, modelChange: "stopAll" } })).rollout, { maxUnavailable: 3, modelChange: "stopAll", ...waits });
        assert.deepEqual(parseClusterConfig(raw({ rollout: { readyTimeoutSeconds: 30, drainSeconds: 0, databaseWaitSeconds: 5400, databaseSyncTimeoutSeconds: 5400 } })).rollout,
            { maxUnavailable: 1, modelChange: "rolling", readyTimeoutSeconds: 30, drainSeconds: 0, databaseWaitSeconds: 5400, databaseSyncTimeoutSeconds: 5400 });
        expectRefused({ rollout: { readyTimeoutSeconds: 29 } }, "rollout.readyTimeoutSeconds", /30 to 3600/);
        expectRefused({ rollout: { drainSeconds: 601 } }, "rollout.drainSeconds", /0 to 600/);
        expectRefused({ rollout: { databaseWaitSeconds: 59 } }, "rollout.databaseWaitSeconds", /60 to 5400/);
        expectRefused({ rollout: { databaseWaitSeconds: "1800" } }, "rollout.databaseWaitSeconds", /whole number/);
        expectRefused({ rollout: { databaseSyncTimeoutSeconds: 5401 } }, "rollout.databaseSyncTimeoutSeconds", /60 to 5400/);
        expectRefused({ rollout: { modelChange: "blueGreen" } }, "rollout.modelChange", /rolling or stopAll/);
        expectRefused({ rollout: { maxUnavailable: 0 } }, "rollout.maxUnavailable", /1 to 49/);
        expectRefused({ rollout: { batchSize: 2 } }, "rollout.batchSize", /maxUnavailable/);
    });

    describe("licences", () => {
        const terms = { environmentName: "production", licenseServerUrl: "https://licensing.example.com" };

        it("joins an app's licence terms with its secret", () => {
            const config = parseClusterConfig(raw({ apps: [{ name: "crm", license: terms }, { name: "hr", hostName: "hr.example.com" }], licenseSecrets: { crm: "s3cret-crm" } }, ["licenseSecrets"]));
            assert.deepEqual(config.apps[0]?.license, { ...terms, subscriptionSecret: "s3cret-crm" });
            assert.equal(config.apps[1]?.license, undefined);
        });

        it("refuses a licence without a secret, naming the app and the command", () => {
            expectRefused({ apps: [{ name: "crm", license: terms }] }, "licenseSecrets.crm", /--secret --path 'licenseSecrets.crm'/);
        });

        it("refuses a secret for an app that does not exist, without showing it", () => {
            const issue = expectRefused({ apps: [{ name: "crm" }], licenseSecrets: { hr: "s3cret-hr" } }, "licenseSecrets.hr", /one of the apps: crm/, ["licenseSecrets"]);
            assert.equal(issue.value, "[secret]");
        });

        it("refuses licence secrets set in plain text, each by its app, without showing them, another app's encrypted secret beside them or not", () => {
            const issue = expectRefused({ apps: [{ name: "crm", license: terms }], licenseSecrets: { crm: "s3cret-crm" } }, "licenseSecrets.crm", /^a secret, never plain text in the stack file: pulumi config set --secret --path 'licenseSecrets\.crm' <secret>$/);
            assert.equal(issue.value, "[secret]");
            const apps = [{ name: "crm", license: terms }, { name: "hr", hostName: "hr.example.com", license: terms }];
            const beside = configIssues({ apps, licenseSecrets: { crm: "s3cret-crm", hr: "s3cret-hr" } }, ["licenseSecrets"], new Map([["licenseSecrets", [["hr"]]]]));
            assert.deepEqual(beside.map((found) => [found.key, found.value]), [["licenseSecrets.crm", "[secret]"]]);
        });

        it("refuses an app without a licence when requireLicense is true", () => {
            expectRefused({ requireLicense: "true", apps: [{ name: "crm" }] }, "apps[0].license", /app crm, since requireLicense is true/);
            const config = parseClusterConfig(raw({ requireLicense: "true", apps: [{ name: "crm", license: terms }], licenseSecrets: { crm: "x" }, alerts: { emails: ["ops@example.com"] } }, ["licenseSecrets"]));
            assert.equal(config.requireLicense, true);
        });

        it("refuses incomplete or unknown licence terms and a licence server that is not https", () => {
            expectRefused({ apps: [{ name: "crm", license: { ...terms, environmentName: "" } }] }, "apps[0].license.environmentName", /non-empty/);
            expectRefused({ apps: [{ name: "crm", license: { ...terms, licenseServerUrl: "http://licensing.example.com" } }] }, "apps[0].license.licenseServerUrl", /https URL/);
            expectRefused({ apps: [{ name: "crm", license: { ...terms, key: "x" } }] }, "apps[0].license.key", /environmentName, licenseServerUrl/);
            expectRefused({ apps: [{ name: "crm", license: "yes" }] }, "apps[0].license", /mapping/);
        });

        it("refuses License.* custom settings, which the stack manages", () => {
            expectRefused({ apps: [{ name: "crm", customSettings: { "License.SubscriptionSecret": "x" } }] }, "apps[0].customSettings.License.SubscriptionSecret", /License\.\*/);
        });
    });

    it("refuses unknown keys of the project namespace, naming the known ones", () => {
        expectRefused({ nodecount: "3" }, "nodecount", /nodeCount, vmSize/);
    });

    it("reports every wrong value at once", () => {
        const issues = issuesOf({ nodeCount: "0", zones: ["9"], sql: { tier: "Basic" }, apps: [{ name: "X" }] });
        assert.deepEqual(issues.map((issue) => issue.key).sort(), ["apps[0].name", "nodeCount", "sql.tier", "zones"]);
        const message = new ConfigError(issues).message;
        assert.match(message, /4 invalid values; no resource was registered/);
        assert.match(message, /nodeCount: got 0; allowed: a whole number from 1 to 50/);
    });
});
