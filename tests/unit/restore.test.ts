import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { deployerSignIn } from "../../components/blobRestore/deployerSignIn";
import { parseUtcInstant } from "../../components/config/restoreConfig";
import { blobRestoreRanges, restoreBatches } from "../../components/plan/blobRestoreRanges";
import { clusterNames } from "../../components/plan/names";
import { databasesInUse, planRestore, RestoreInput, restoreNodeCountRefusal, restoreRefusal } from "../../components/plan/restore";
import { readDeployedRestore } from "../../components/plan/restoreOutputs";
import { configIssues, parseValues } from "../harness/parseConfig";

describe("restore and storage config", () => {
    it("reads a UTC instant to the second, and refuses a local time, a date alone or a date that does not exist", () => {
        assert.deepEqual(parseValues({ restore: { pointInTime: "2026-12-04T09:00:00Z" } }).restore, { pointInTime: "2026-12-04T09:00:00Z", keepFormerDatabases: true });
        for (const text of ["2026-12-04T10:00:00+01:00", "2026-12-04", "2026-12-04T09:00Z", "2026-02-30T09:00:00Z", "2026-12-04 09:00:00Z"]) {
            assert.equal(parseUtcInstant(text), undefined, text);
            assert.deepEqual(configIssues({ restore: { pointInTime: text } }).map((issue) => issue.key), ["restore.pointInTime"], text);
        }
        assert.deepEqual(configIssues({ restore: { pointInTime: 1765000000 } }).map((issue) => issue.key), ["restore.pointInTime"]);
    });

    it("keeps soft delete a day past the restore window, and refuses a soft delete the window would outlast, naming both keys", () => {
        assert.equal(parseValues({}).storage.softDeleteDays, 15);
        assert.equal(parseValues({ sql: { tier: "Premium", sku: "P1", backupRetentionDays: 7 } }).storage.softDeleteDays, 14);
        assert.equal(parseValues({ sql: { tier: "Premium", sku: "P1", backupRetentionDays: 35 } }).storage.softDeleteDays, 36);
        const [issue] = configIssues({ sql: { tier: "Premium", sku: "P1", backupRetentionDays: 30 }, storage: { softDeleteDays: 30 } });
        assert.equal(issue?.key, "storage.softDeleteDays");
        assert.match(issue?.allowed ?? "", /from 31 to 365: at least one day more than sql\.backupRetentionDays \(30\)/);
        assert.equal(parseValues({ storage: { softDeleteDays: 90 } }).storage.softDeleteDays, 90);
    });
});

const names = clusterNames("prod");
const deployedOnce = {
    nodes: ["node-0", "node-1"],
    databases: { crm: [{ name: "crm" }], hr: [{ name: "hr" }] },
    restore: undefined,
    restorableSince: { files: "2026-11-01T00:00:00Z", databases: { crm: "2026-10-01T00:00:00Z", hr: "2026-12-04T08:30:00Z" } },
};
const input = (overrides: Partial<RestoreInput> = {}): RestoreInput => ({
    pointInTime: "2026-12-04T09:00:00Z", keepFormerDatabases: true, apps: ["crm", "hr"], nodeCount: 2, deployed: deployedOnce,
    retentionDays: 14, standby: false, now: new Date("2026-12-04T12:00:00Z"), names, ...overrides,
});

describe("planRestore", () => {
    it("restores every deployed app from the database it uses, leaves a new app alone, and stops every deployed node", () => {
        const plan = planRestore(input({ apps: ["crm", "hr", "sales"] }));
        assert.deepEqual(plan.databases, {
            crm: [{ name: "crm" }, { name: "crm-20261204t090000z", restoredFrom: { database: "crm", pointInTime: "2026-12-04T09:00:00Z" } }],
            hr: [{ name: "hr" }, { name: "hr-20261204t090000z", restoredFrom: { database: "hr", pointInTime: "2026-12-04T09:00:00Z" } }],
            sales: [{ name: "sales" }],
        });
        assert.deepEqual(plan.restore, { pointInTime: "2026-12-04T09:00:00Z", apps: ["crm", "hr"], nodes: ["node-0", "node-1"], performedNow: true, key: "20261204t090000z" });
        assert.deepEqual(databasesInUse(plan.databases), { crm: "crm-20261204t090000z", hr: "hr-20261204t090000z", sales: "sales" });
    });

    it("declares a restore done as it was, whatever restore.pointInTime says, and releases former databases only outside a restore", () => {
        const done = planRestore(input());
        const deployed = { ...deployedOnce, databases: done.databases, restore: { pointInTime: "2026-12-04T09:00:00Z", apps: ["crm", "hr"], nodes: ["node-0", "node-1"] } };
        for (const pointInTime of ["2026-12-04T09:00:00Z", undefined]) {
            const next = planRestore(input({ pointInTime, deployed }));
            assert.deepEqual(next.databases, done.databases);
            assert.equal(next.restore?.performedNow, false);
        }
        const released = planRestore(input({ pointInTime: undefined, deployed, keepFormerDatabases: false }));
        assert.deepEqual(released.databases["crm"], [{ name: "crm-20261204t090000z", restoredFrom: { database: "crm", pointInTime: "2026-12-04T09:00:00Z" } }]);
        const restoringAgain = planRestore(input({ pointInTime: "2026-12-04T11:00:00Z", deployed, keepFormerDatabases: false }));
        assert.deepEqual(restoringAgain.databases["crm"]?.map((database) => database.name), ["crm", "crm-20261204t090000z", "crm-20261204t110000z"]);
    });

    it("restores from the newest database kept whose backups reach the instant: before the last restore's deployment, the one the apps used then", () => {
        // Restored to 09:00 by a deployment at 11:00: the restored databases' backups begin at 11:00.
        const done = planRestore(input());
        const restorableSince = {
            files: "2026-11-01T00:00:00Z", databases: { crm: "2026-12-04T11:00:00Z", hr: "2026-12-04T11:00:00Z" },
            byDatabase: { crm: "2026-10-01T00:00:00Z", "crm-20261204t090000z": "2026-12-04T11:00:00Z", hr: "2026-12-04T08:30:00Z", "hr-20261204t090000z": "2026-12-04T11:00:00Z" },
        };
        const deployed = { ...deployedOnce, databases: done.databases, restore: { pointInTime: "2026-12-04T09:00:00Z", apps: ["crm", "hr"], nodes: ["node-0", "node-1"] }, restorableSince };
        const sources = (pointInTime: string, now: string) => Object.fromEntries(Object.entries(planRestore(input({ pointInTime, deployed, now: new Date(now) })).databases)
            .map(([app, lineage]) => [app, lineage[lineage.length - 1]?.restoredFrom?.database]));
        assert.deepEqual(sources("2026-12-04T10:00:00Z", "2026-12-04T12:00:00Z"), { crm: "crm", hr: "hr" });
        assert.deepEqual(sources("2026-12-04T11:30:00Z", "2026-12-04T12:00:00Z"), { crm: "crm-20261204t090000z", hr: "hr-20261204t090000z" });
        assert.equal(restoreRefusal(input({ pointInTime: "2026-12-04T10:00:00Z", deployed })), undefined);
        // Once the former databases are released, an instant before 11:00 is in no database kept.
        const released = { ...deployed, databases: planRestore(input({ pointInTime: undefined, deployed, keepFormerDatabases: false })).databases };
        assert.match(restoreRefusal(input({ pointInTime: "2026-12-04T10:00:00Z", deployed: released }))?.allowed ?? "",
            /^an instant no earlier than 2026-12-04T11:00:00Z, the earliest Azure can restore the database of app crm to \(the oldest of its databases kept was made then\)$/);
    });
});

describe("restoreRefusal", () => {
    const refusal = (overrides: Partial<RestoreInput>) => restoreRefusal(input(overrides))?.allowed;

    it("accepts an instant within every window, and asks nothing when no restore is new", () => {
        assert.equal(refusal({ pointInTime: "2026-12-04T08:30:00Z" }), undefined);
        assert.equal(refusal({ pointInTime: undefined }), undefined);
    });

    it("refuses the future, the retention's edge, the files' and each database's earliest instant, a standby, a stack never deployed", () => {
        assert.match(refusal({ pointInTime: "2026-12-04T12:00:01Z" }) ?? "", /^an instant in the past \(it is 2026-12-04T12:00:00Z now\)$/);
        assert.match(refusal({ pointInTime: "2026-11-20T11:59:59Z" }) ?? "", /^an instant no earlier than 2026-11-20T12:00:00Z/);
        assert.equal(refusal({ pointInTime: "2026-11-20T12:00:00Z", deployed: { ...deployedOnce, restorableSince: { files: "2026-11-01T00:00:00Z", databases: { crm: "2026-10-01T00:00:00Z", hr: "2026-10-01T00:00:00Z" } } } }), undefined);
        assert.match(refusal({ pointInTime: "2026-11-20T12:00:00Z", deployed: { ...deployedOnce, restorableSince: { files: "2026-11-01T00:00:00Z", databases: { crm: "2026-10-01T00:00:00Z" } } } }) ?? "",
            /^nothing yet for app hr: Azure reports no backup of its databases to restore from/);
        assert.match(refusal({ deployed: { ...deployedOnce, restorableSince: { files: "2026-12-04T10:00:00Z", databases: {} } } }) ?? "",
            /^an instant no earlier than 2026-12-04T10:00:00Z, the earliest Azure can restore the files to/);
        assert.match(refusal({ deployed: { ...deployedOnce, restorableSince: { files: undefined, databases: {} } } }) ?? "", /^nothing yet: Azure reports point-in-time restore of the files off/);
        assert.match(refusal({ pointInTime: "2026-12-04T08:00:00Z" }) ?? "", /^an instant no earlier than 2026-12-04T08:30:00Z, the earliest Azure can restore the database of app hr to/);
        assert.match(refusal({ standby: true }) ?? "", /^nothing on a stack with a standby region: .*; take standby out of the stack config and run pulumi up first, then restore, then set standby again \(docs\/restoring\.md, "Limits"\)$/);
        assert.match(refusal({ deployed: { ...deployedOnce, nodes: [], databases: {} } }) ?? "", /this stack has not been deployed/);
    });

    it("refuses an instant restored to before whose databases exist", () => {
        const done = planRestore(input());
        const twice = {
            ...deployedOnce,
            databases: planRestore(input({ pointInTime: "2026-12-04T10:00:00Z", deployed: { ...deployedOnce, databases: done.databases } })).databases,
            restore: { pointInTime: "2026-12-04T10:00:00Z", apps: ["crm", "hr"], nodes: ["node-0"] },
        };
        assert.match(refusal({ deployed: twice }) ?? "", /^an instant other than 2026-12-04T09:00:00Z: the cluster was restored to it before .*crm-20261204t090000z, hr-20261204t090000z/);
    });
});

describe("restoreNodeCountRefusal", () => {
    it("refuses fewer nodes in the deployment that restores, naming nodeCount, restore.pointInTime, the nodes and what is allowed", () => {
        assert.deepEqual(restoreNodeCountRefusal(input({ nodeCount: 1 })), {
            key: "nodeCount",
            value: "1",
            allowed: "at least 2 (the nodes deployed: node-0, node-1) while restore.pointInTime (2026-12-04T09:00:00Z) asks for a restore: " +
                "the restore stops the apps on every deployed node, and node-1 would be deleted mid-restore without being stopped. " +
                "Restore with nodeCount 2, then lower nodeCount in the next deployment (or lower it first, then restore)",
        });
    });

    it("accepts as many nodes or more with a restore, and fewer nodes once the restore is done or without one", () => {
        assert.equal(restoreNodeCountRefusal(input({ nodeCount: 2 })), undefined);
        assert.equal(restoreNodeCountRefusal(input({ nodeCount: 5 })), undefined);
        assert.equal(restoreNodeCountRefusal(input({ nodeCount: 1, pointInTime: undefined })), undefined);
        const restored = { ...deployedOnce, restore: { pointInTime: "2026-12-04T09:00:00Z", apps: ["crm", "hr"], nodes: ["node-0", "node-1"] } };
        assert.equal(restoreNodeCountRefusal(input({ nodeCount: 1, deployed: restored })), undefined);
    });
});

describe("readDeployedRestore", () => {
    it("reads the databases, the last restore and what Azure reported restorable, and a stack from before restores by its databaseNames", () => {
        assert.deepEqual(readDeployedRestore({
            databases: { crm: [{ name: "crm" }, { name: "crm-20261204t090000z", restoredFrom: { database: "crm", pointInTime: "2026-12-04T09:00:00Z" } }] },
            databaseNames: { crm: "crm-20261204t090000z" },
            restore: { pointInTime: "2026-12-04T09:00:00Z", apps: ["crm"], nodes: ["node-0"], databases: {}, files: {} },
            restorableSince: {
                files: "2026-11-01T10:03:12.5471234Z", databases: { crm: "2026-12-04T11:41:00Z", hr: 7 },
                byDatabase: { crm: "2026-10-01T00:00:00Z", "crm-20261204t090000z": "2026-12-04T11:41:00Z", hr: "never" },
            },
        }), {
            databases: { crm: [{ name: "crm" }, { name: "crm-20261204t090000z", restoredFrom: { database: "crm", pointInTime: "2026-12-04T09:00:00Z" } }] },
            restore: { pointInTime: "2026-12-04T09:00:00Z", apps: ["crm"], nodes: ["node-0"] },
            restorableSince: {
                files: "2026-11-01T10:03:12.5471234Z", databases: { crm: "2026-12-04T11:41:00Z" },
                byDatabase: { crm: "2026-10-01T00:00:00Z", "crm-20261204t090000z": "2026-12-04T11:41:00Z" },
            },
        });
        assert.deepEqual(readDeployedRestore({ databases: undefined, databaseNames: { app: "app" }, restore: undefined, restorableSince: undefined }),
            { databases: { app: [{ name: "app" }] }, restore: undefined, restorableSince: { files: undefined, databases: {}, byDatabase: {} } });
    });
});

describe("blobRestoreRanges", () => {
    it("takes each container whole and nothing else, ten ranges to a request", () => {
        assert.deepEqual(blobRestoreRanges(["files-hr", "files-crm"]), [{ startRange: "files-crm", endRange: "files-crm0" }, { startRange: "files-hr", endRange: "files-hr0" }]);
        const inRange = (path: string) => blobRestoreRanges(["files-app"]).some((range) => path >= range.startRange && path < range.endRange);
        assert.deepEqual(["files-app/a.pdf", "files-app/z/y", "files-app0/a", "files-apps/a", "node-settings/nodes/node-0/app.yaml"].filter(inRange), ["files-app/a.pdf", "files-app/z/y"]);
        assert.deepEqual(restoreBatches(blobRestoreRanges(Array.from({ length: 21 }, (_, index) => `files-a${index}`))).map((batch) => batch.length), [10, 10, 1]);
    });
});

describe("deployerSignIn", () => {
    it("signs in as azure-native does: OpenID Connect, a client secret, a managed identity, or the Azure CLI", () => {
        const github = { ARM_USE_OIDC: "true", ARM_CLIENT_ID: "c", ARM_TENANT_ID: "t", ACTIONS_ID_TOKEN_REQUEST_URL: "https://token.actions", ACTIONS_ID_TOKEN_REQUEST_TOKEN: "r" };
        assert.deepEqual(deployerSignIn(github), { kind: "oidc", tenantId: "t", clientId: "c", token: undefined, requestUrl: "https://token.actions", requestToken: "r" });
        assert.equal(deployerSignIn({ ARM_CLIENT_ID: "c", ARM_TENANT_ID: "t", ARM_CLIENT_SECRET: "s" }).kind, "clientSecret");
        assert.deepEqual(deployerSignIn({ ARM_USE_MSI: "true" }), { kind: "managedIdentity", clientId: undefined });
        assert.deepEqual(deployerSignIn({}), { kind: "azureCli" });
        assert.throws(() => deployerSignIn({ ARM_USE_OIDC: "true", ARM_CLIENT_ID: "c", ARM_TENANT_ID: "t" }), /no federated token/);
        assert.throws(() => deployerSignIn({ ARM_CLIENT_SECRET: "s", ARM_TENANT_ID: "t" }), /ARM_CLIENT_ID is not set/);
        // azure-native takes a client certificate too; the restore refuses it by name rather than fall through to the Azure CLI.
        assert.throws(() => deployerSignIn({ ARM_CLIENT_ID: "c", ARM_TENANT_ID: "t", ARM_CLIENT_CERTIFICATE_PATH: "/run/cert.pfx" }), /^Error: ARM_CLIENT_CERTIFICATE_PATH is set: the restore of the files does not sign in with a client certificate/);
    });
});
