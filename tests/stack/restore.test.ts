import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import { parse } from "yaml";
import { stopAppsScript } from "../../components/plan/stopAppsScript";
import { compareStacks, evaluatedStack, riskSentences } from "../../tools/planReport";
import { verdictExitCode } from "../../tools/planVerdict";
import { diffStacks } from "../../tools/resourceDiff";
import { byType, RegisteredResource, runFailingDeployment, runStack, runStackExpectingFailure, StackRun } from "../harness/offThread";
import { writeMda } from "../harness/mdaArchive";
import { restoreDrill } from "../harness/restoreDrill";
import { azureCliStandIn } from "../emulators/azureCli";
import { StorageRestoreEmulator } from "../emulators/storageBlobRestore";

/** Two apps on prod's three nodes; restored at noon to nine o'clock. */
const apps = { apps: [{ name: "crm" }, { name: "hr", hostName: "hr.example.com" }] };
const pointInTime = "2026-12-04T09:00:00Z";
const now = new Date("2026-12-04T12:00:00Z");
const restoreAt = (instant: string) => ({ ...apps, restore: { pointInTime: instant } });
const filesRestoreName = "mendix-restore-files-20261204t090000z";

/** The provider a dynamic resource carries, loaded as @pulumi/pulumi's cmd/dynamic-provider does: `requireFromString(props.__provider).handler()`. */
function serialisedProvider(text: string): Record<string, (...args: unknown[]) => Promise<unknown>> {
    const requireFromString = require("require-from-string") as (code: string) => { handler(): Record<string, (...args: unknown[]) => Promise<unknown>> };
    return requireFromString(text).handler();
}

const withDependencies = (run: StackRun, name: string, change: (dependencies: readonly string[]) => string[]): StackRun => ({
    ...run,
    resources: run.resources.map((resource): RegisteredResource => (resource.name === name ? { ...resource, dependencies: change(resource.dependencies) } : resource)),
});

describe("prod restored to a point in time", () => {
    let deployed: StackRun;
    let restored: StackRun;
    before(async () => {
        const first = await runStack({ stack: "prod", config: apps, now });
        deployed = await runStack({ stack: "prod", config: apps, now, lastOutputs: first.outputs });
        restored = await runStack({ stack: "prod", config: restoreAt(pointInTime), now, lastOutputs: deployed.outputs });
    });

    it("restores every app's database from the one its nodes use to the instant, as a new database, and keeps the old ones as they were", () => {
        const drill = restoreDrill(deployed, restored, pointInTime);
        assert.deepEqual(drill.problems, []);
        assert.deepEqual(drill.databases, [
            { app: "crm", database: "crm-20261204t090000z", from: "crm", pointInTime },
            { app: "hr", database: "hr-20261204t090000z", from: "hr", pointInTime },
        ]);
        const diff = diffStacks(deployed.resources, restored.resources);
        assert.deepEqual(diff.removed.map((resource) => resource.name), []);
        assert.deepEqual(diff.changed.filter((change) => change.replacedBy.length > 0).map((change) => change.name), []);
    });

    it("gives the restored databases and the files' restore 24 hours to be made, and the databases restored from azure-native's own timeout", () => {
        const timeouts = restored.resources.filter((resource) => resource.type === "azure-native:sql:Database" || resource.name === filesRestoreName)
            .map((resource) => [resource.name, resource.createTimeout]).sort(([one], [other]) => String(one).localeCompare(String(other)));
        assert.deepEqual(timeouts, [
            [filesRestoreName, "24h"], ["mendix-sql-crm", ""], ["mendix-sql-crm-20261204t090000z", "24h"], ["mendix-sql-hr", ""], ["mendix-sql-hr-20261204t090000z", "24h"],
        ]);
    });

    it("restores every app's files container, and not the settings container, to the same instant, once every app of every node has stopped", () => {
        const drill = restoreDrill(deployed, restored, pointInTime);
        assert.deepEqual(drill.files, { containers: ["files-crm", "files-hr"], pointInTime });
        assert.deepEqual(drill.stopped, { "node-0": ["crm", "hr"], "node-1": ["crm", "hr"], "node-2": ["crm", "hr"] });
    });

    it("names the restored databases in every node's settings, written once the databases and files are restored; the leader's agent starts first", () => {
        const drill = restoreDrill(deployed, restored, pointInTime);
        const onRestored = { crm: "crm-20261204t090000z", hr: "hr-20261204t090000z" };
        assert.deepEqual(drill.settings, { "node-0": onRestored, "node-1": onRestored, "node-2": onRestored });
    });

    it("notices a restore of the files that does not wait for the apps to stop, or settings written before the restore", () => {
        const stops = restored.resources.filter((resource) => resource.name.includes("-stop-restore-")).map((resource) => resource.urn);
        const early = restoreDrill(deployed, withDependencies(restored, filesRestoreName, (dependencies) => dependencies.filter((urn) => !stops.includes(urn))), pointInTime);
        assert.deepEqual(early.problems, ["node-0: no command stops crm, hr before the databases and files are restored",
            "node-1: no command stops crm, hr before the databases and files are restored",
            "node-2: no command stops crm, hr before the databases and files are restored"]);
        const restoreUrn = restored.resources.find((resource) => resource.name === filesRestoreName)?.urn;
        const settingsFirst = restoreDrill(deployed, withDependencies(restored, "mendix-agent-node-1-crm-settings", (dependencies) => dependencies.filter((urn) => urn !== restoreUrn)), pointInTime);
        assert.ok(settingsFirst.problems.includes(`node-1: the settings of app crm are written without waiting for ${filesRestoreName}`), JSON.stringify(settingsFirst.problems));
    });

    it("says in its outputs what was restored, to which instant, and which databases the apps use now", () => {
        assert.deepEqual(restored.outputs["databaseNames"], { crm: "crm-20261204t090000z", hr: "hr-20261204t090000z" });
        const record = restored.outputs["restore"] as Record<string, unknown>;
        assert.deepEqual({ ...record, files: { ...(record["files"] as object), restoreIds: "(one)" } }, {
            pointInTime,
            apps: ["crm", "hr"],
            nodes: ["node-0", "node-1", "node-2"],
            databases: { crm: { restored: "crm-20261204t090000z", from: "crm" }, hr: { restored: "hr-20261204t090000z", from: "hr" } },
            files: { storageAccount: "mxprodk3x9q2", containers: ["files-crm", "files-hr"], restoreIds: "(one)" },
        });
        assert.deepEqual(restored.outputs["databases"], {
            crm: [{ name: "crm" }, { name: "crm-20261204t090000z", restoredFrom: { database: "crm", pointInTime } }],
            hr: [{ name: "hr" }, { name: "hr-20261204t090000z", restoredFrom: { database: "hr", pointInTime } }],
        });
    });

    it("is flagged by the offline plan as switching the apps' databases, with what it restores to which instant", () => {
        const comparison = compareStacks(evaluatedStack("prod", "before", deployed), evaluatedStack("prod", "working tree", restored));
        assert.deepEqual(comparison.verdict.databaseSwitches, [
            { app: "crm", before: "crm", after: "crm-20261204t090000z", nodes: ["node-0", "node-1", "node-2"] },
            { app: "hr", before: "hr", after: "hr-20261204t090000z", nodes: ["node-0", "node-1", "node-2"] },
        ]);
        assert.equal(verdictExitCode(comparison.verdict), 3);
        assert.match(riskSentences(comparison.verdict)[0] ?? "", /^App crm switches from database crm to crm-20261204t090000z on node-0, node-1, node-2/);
    });

    it("serialises the provider of the files restore into its inputs, loadable as Pulumi's dynamic provider host loads it", async () => {
        const files = restored.resources.find((resource) => resource.name === filesRestoreName);
        const text = String(files?.inputs["__provider"]);
        const provider = serialisedProvider(text);
        assert.deepEqual(Object.keys(provider).sort(), ["create", "delete", "diff"]);
        const olds = { endpoint: "https://management.azure.com", accountId: "/subscriptions/s/a", timeToRestore: pointInTime, blobRanges: [{ startRange: "files-crm", endRange: "files-crm0" }] };
        assert.deepEqual(await provider["diff"]?.("id", olds, { ...olds, endpoint: "https://management.example" }), { changes: false });
        await assert.rejects(provider["diff"]?.("id", olds, { ...olds, timeToRestore: "2026-12-04T10:00:00Z" }) ?? Promise.resolve(), /a restore of the files is done once and never changed \(timeToRestore differ\)/);
        assert.doesNotMatch(text, /@pulumi\/pulumi/, "the provider carries none of Pulumi's SDK");
    });

    it("restores the files with the serialised provider's create, as Pulumi's dynamic provider host runs it, signed in with the Azure CLI", async () => {
        const files = restored.resources.find((resource) => resource.name === filesRestoreName);
        const provider = serialisedProvider(String(files?.inputs["__provider"]));
        for (const failing of [false, true]) {
            const azure = await StorageRestoreEmulator.start({ restorePolicy: { days: 14, enabledAt: Date.parse("2026-10-01T00:00:00Z") }, pollsBeforeDone: 1, retryAfterSeconds: 1 });
            const az = azureCliStandIn(azure.endpoint, azure.token);
            const saved = { ...process.env };
            try {
                for (const name of Object.keys(process.env).filter((key) => key.startsWith("ARM_") || key.startsWith("ACTIONS_ID_TOKEN_"))) {
                    delete process.env[name];
                }
                process.env["PATH"] = `${az.folder}${path.delimiter}${process.env["PATH"] ?? ""}`;
                azure.now = Date.parse("2026-12-04T08:00:00Z");
                azure.putBlob("files-crm/invoice-1", "invoice 1 as issued");
                azure.now = Date.parse("2026-12-04T10:00:00Z");
                azure.putBlob("files-crm/invoice-1", "invoice 1 corrupted");
                azure.now = Date.parse("2026-12-04T12:00:00Z");
                if (failing) {
                    azure.lease("files-crm/invoice-1");
                }
                const inputs = { ...(files?.inputs ?? {}), endpoint: azure.endpoint, accountId: azure.accountId };
                const created = provider["create"]?.(inputs) ?? Promise.reject(new Error("no create"));
                if (failing) {
                    await assert.rejects(created, /ended Failed: Blob files-crm\/invoice-1 has an active lease/);
                    assert.equal(azure.blob("files-crm/invoice-1"), "invoice 1 corrupted");
                } else {
                    const result = await created as { id: string; outs: { restoreIds: string[]; status: string } };
                    assert.equal(result.outs.status, "Complete");
                    assert.equal(result.outs.restoreIds.length, 1);
                    assert.equal(result.id, `${azure.accountId}/restores/${pointInTime}`);
                    assert.equal(azure.blob("files-crm/invoice-1"), "invoice 1 as issued");
                }
                assert.deepEqual(az.calls()[0]?.slice(0, 6), ["account", "get-access-token", "--output", "json", "--resource", azure.endpoint]);
            } finally {
                process.env = saved;
                az.remove();
                await azure.close();
            }
        }
    });

    it("stops the apps with the stop that records them as stopped on purpose, so a node restarted mid-restore leaves them stopped", () => {
        const stops = restored.resources.filter((resource) => resource.type === "azure-native:compute:VirtualMachineRunCommandByVirtualMachine" && String(resource.inputs["runCommandName"]).startsWith("mendix-stop-restore-"));
        assert.deepEqual(stops.map((stop) => stop.name), ["mendix-agent-node-0-stop-restore-20261204t090000z", "mendix-agent-node-1-stop-restore-20261204t090000z", "mendix-agent-node-2-stop-restore-20261204t090000z"]);
        for (const stop of stops) {
            // The script the agent's tests run under PowerShell and then restart the node after
            // (agent/tests: RunCommandScriptTests, ResumeTests' Apps_the_stacks_stop_command_stopped_stay_stopped_after_a_restart).
            assert.equal((stop.inputs["source"] as { script?: string }).script, stopAppsScript(["crm", "hr"], { by: "mendix-stop-restore-20261204t090000z", until: "next-run" }), stop.name);
        }
    });

    it("is one-way: the next deployment changes nothing but retiring the restore's stops, with restore.pointInTime left in or taken out", async () => {
        for (const config of [restoreAt(pointInTime), apps]) {
            const next = await runStack({ stack: "prod", config, now: new Date("2026-12-20T12:00:00Z"), lastOutputs: restored.outputs });
            const diff = diffStacks(restored.resources, next.resources);
            assert.deepEqual([diff.added, diff.removed, diff.changed].map((list) => list.map((entry) => entry.name)), [[], [
                "mendix-agent-node-0-stop-restore-20261204t090000z", "mendix-agent-node-1-stop-restore-20261204t090000z", "mendix-agent-node-2-stop-restore-20261204t090000z",
            ], []], JSON.stringify(config));
            assert.deepEqual(next.outputs["databaseNames"], { crm: "crm-20261204t090000z", hr: "hr-20261204t090000z" });
        }
    });

    it("releases the databases restored from only when asked, and keeps the ones in use declared as they were", async () => {
        const next = await runStack({ stack: "prod", config: { ...apps, restore: { keepFormerDatabases: false } }, now, lastOutputs: restored.outputs });
        const diff = diffStacks(restored.resources, next.resources);
        assert.deepEqual(diff.removed.map((resource) => resource.name).sort(), [
            "mendix-agent-node-0-stop-restore-20261204t090000z", "mendix-agent-node-1-stop-restore-20261204t090000z", "mendix-agent-node-2-stop-restore-20261204t090000z",
            "mendix-sql-crm", "mendix-sql-crm-backup-retention", "mendix-sql-hr", "mendix-sql-hr-backup-retention",
        ]);
        assert.deepEqual(diff.changed.map((change) => change.name), []);
        // prod protects them and retains them on delete: Pulumi refuses to forget them until unprotected, and leaves them in Azure.
        assert.ok(diff.removed.filter((resource) => resource.type === "azure-native:sql:Database").every((resource) => resource.protect && resource.retainOnDelete));
    });

    it("restores a second time from the databases in use", async () => {
        const again = await runStack({ stack: "prod", config: restoreAt("2026-12-05T08:00:00Z"), now: new Date("2026-12-05T09:00:00Z"), lastOutputs: restored.outputs });
        const drill = restoreDrill(restored, again, "2026-12-05T08:00:00Z");
        assert.deepEqual(drill.problems, []);
        assert.deepEqual(drill.databases.map((database) => [database.database, database.from]), [
            ["crm-20261205t080000z", "crm-20261204t090000z"], ["hr-20261205t080000z", "hr-20261204t090000z"],
        ]);
        assert.equal(byType(again, "azure-native:sql:Database").length, 6);
    });
});

describe("a restore of an app that signs in with its own identity", () => {
    let deployed: StackRun;
    let restored: StackRun;
    before(async () => {
        const mda = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "restore-identity-")), "crm.mda");
        writeMda(mda, "10.18.1.50123");
        const identityApps = { apps: [{ name: "crm", mda }] };
        deployed = await runStack({ stack: "prod", config: identityApps, now, lastOutputs: (await runStack({ stack: "prod", config: identityApps, now })).outputs });
        restored = await runStack({ stack: "prod", config: { ...identityApps, restore: { pointInTime } }, now, lastOutputs: deployed.outputs });
    });

    it("points every node's JDBC URL at the restored database, and makes the database users after it exists", () => {
        assert.deepEqual(restoreDrill(deployed, restored, pointInTime).problems, []);
        for (const node of ["node-0", "node-1", "node-2"]) {
            const blob = restored.resources.find((resource) => resource.inputs["blobName"] === `nodes/${node}/crm.yaml`);
            const settings = parse(String((blob?.inputs["source"] as { text: string }).text)) as { customSettings: Record<string, string> };
            assert.match(settings.customSettings["DatabaseJdbcUrl"] ?? "", /;databaseName=crm-20261204t090000z;.*authentication=ActiveDirectoryManagedIdentity/, node);
        }
        const restoredDatabase = restored.resources.find((resource) => resource.name === "mendix-sql-crm-20261204t090000z");
        const users = restored.resources.find((resource) => resource.name === "mendix-agent-node-1-database-users");
        assert.ok(restoredDatabase && users);
        assert.ok(users.dependencies.includes(restoredDatabase.urn), "the database users' command waits for the restored database");
    });
});

describe("a restore whose files restore fails half-way", () => {
    let deployed: StackRun;
    before(async () => {
        deployed = await runStack({ stack: "prod", config: apps, now, lastOutputs: (await runStack({ stack: "prod", config: apps, now })).outputs });
    });

    it("fails loudly with Azure's reason, switches no node to the restored databases, and restores in full when run again", async () => {
        const reason = `the restore of the files to ${pointInTime} ended Failed: Blob files-crm/invoice-1 has an active lease`;
        const failed = await runFailingDeployment({ stack: "prod", config: restoreAt(pointInTime), now, lastOutputs: deployed.outputs, failures: { [filesRestoreName]: reason } });
        assert.match(failed.message, /has an active lease/);
        const registered = failed.resources.map((resource) => resource.name);
        // The apps are stopped and the databases restored, but no node's settings or agent run follows.
        assert.ok(registered.includes("mendix-agent-node-0-stop-restore-20261204t090000z") && registered.includes("mendix-sql-crm-20261204t090000z"));
        assert.deepEqual(registered.filter((name) => /^mendix-agent-node-\d+-(\w+-settings|agent)$/.test(name)), []);
        // Nothing says it was restored: the next run reads the outputs of before, and restores again.
        const rerun = await runStack({ stack: "prod", config: restoreAt(pointInTime), now: new Date("2026-12-04T13:00:00Z"), lastOutputs: deployed.outputs });
        assert.deepEqual(restoreDrill(deployed, rerun, pointInTime).problems, []);
    });

    it("stops at a database restore that fails, switches no node, and restores in full when run again", async () => {
        const reason = "DatabaseRestoreFailed: the restore of crm to 2026-12-04T09:00:00Z failed";
        const failed = await runFailingDeployment({ stack: "prod", config: restoreAt(pointInTime), now, lastOutputs: deployed.outputs, failures: { "mendix-sql-crm-20261204t090000z": reason } });
        assert.match(failed.message, /DatabaseRestoreFailed: the restore of crm/);
        const registered = failed.resources.map((resource) => resource.name);
        assert.ok(registered.includes("mendix-agent-node-0-stop-restore-20261204t090000z"), "the apps were stopped first");
        assert.ok(!registered.includes("mendix-sql-crm-20261204t090000z"));
        assert.deepEqual(registered.filter((name) => /^mendix-agent-node-\d+-(\w+-settings|agent)$/.test(name)), [], "no node's settings or agent run follows");
        const rerun = await runStack({ stack: "prod", config: restoreAt(pointInTime), now: new Date("2026-12-04T13:00:00Z"), lastOutputs: deployed.outputs });
        assert.deepEqual(restoreDrill(deployed, rerun, pointInTime).problems, []);
    });
});

describe("restore.pointInTime that Azure could not restore to", () => {
    let deployedOutputs: Record<string, unknown>;
    before(async () => {
        deployedOutputs = (await runStack({ stack: "dev", now })).outputs;
    });

    it("refuses a local time, naming the key, with no resource registered", async () => {
        const failure = await runStackExpectingFailure({ stack: "dev", config: { restore: { pointInTime: "2026-12-04T09:00:00+01:00" } }, now, lastOutputs: deployedOutputs });
        assert.match(failure.message, /restore\.pointInTime: got "2026-12-04T09:00:00\+01:00"; allowed: a UTC instant in ISO 8601, to the second and ending in Z/);
        assert.equal(failure.registered, 0);
    });

    const cases = [
        { what: "an instant in the future", instant: "2026-12-04T13:00:00Z", message: /restore\.pointInTime: got "2026-12-04T13:00:00Z"; allowed: an instant in the past \(it is 2026-12-04T12:00:00Z now\)/ },
        {
            what: "an instant older than the databases' retention", instant: "2026-11-19T09:00:00Z",
            message: /restore\.pointInTime: got "2026-11-19T09:00:00Z"; allowed: an instant no earlier than 2026-11-20T12:00:00Z: .*sql\.backupRetentionDays \(14 days\)/,
        },
    ];
    for (const testCase of cases) {
        it(`refuses ${testCase.what}, naming the key, before anything but the read of the last deployment is registered`, async () => {
            const failure = await runStackExpectingFailure({ stack: "dev", config: { restore: { pointInTime: testCase.instant } }, now, lastOutputs: deployedOutputs });
            assert.match(failure.message, testCase.message);
            assert.equal(failure.registered, 1, "the stack reference to the last deployment, which creates nothing");
        });
    }

    it("refuses a restore when Azure reports point-in-time restore of the files off", async () => {
        const failure = await runStackExpectingFailure({ stack: "dev", config: { restore: { pointInTime } }, now, lastOutputs: deployedOutputs, restorable: { files: null } });
        assert.match(failure.message, /restore\.pointInTime: got "2026-12-04T09:00:00Z"; allowed: nothing yet: Azure reports point-in-time restore of the files off/);
    });

    it("plans on what Azure reports now, not on what the last deployment's outputs recorded: a failover that moved the files' earliest instant, a window not yet widened", async () => {
        // The outputs say the files reach back to 2026-11-01; Azure now says 2026-12-04T10:00 (an account failover restarts the window).
        const moved = await runStackExpectingFailure({
            stack: "dev", config: { restore: { pointInTime } }, now, lastOutputs: deployedOutputs, restorable: { files: { minRestoreTime: "2026-12-04T10:00:00Z", days: 14 } },
        });
        assert.match(moved.message, /restore\.pointInTime: got "2026-12-04T09:00:00Z"; allowed: an instant no earlier than 2026-12-04T10:00:00Z, the earliest Azure can restore the files to/);
        // A window of 7 days as deployed bounds the files, whatever a wider sql.backupRetentionDays in the same edit asks.
        const narrow = await runStackExpectingFailure({
            stack: "dev", config: { restore: { pointInTime: "2026-11-25T12:00:00Z" }, sql: { backupRetentionDays: 35 }, storage: { softDeleteDays: 36 } }, now, lastOutputs: deployedOutputs,
            restorable: { files: { minRestoreTime: "2026-10-01T00:00:00Z", days: 7 } },
        });
        assert.match(narrow.message, /restore\.pointInTime: got "2026-11-25T12:00:00Z"; allowed: an instant no earlier than 2026-11-27T12:00:00Z, the earliest Azure can restore the files to/);
    });

    it("refuses a database Azure reports no backup of yet", async () => {
        const failure = await runStackExpectingFailure({ stack: "dev", config: { restore: { pointInTime } }, now, lastOutputs: deployedOutputs, restorable: { databases: { app: null } } });
        assert.match(failure.message, /restore\.pointInTime: got "2026-12-04T09:00:00Z"; allowed: nothing yet for app app: Azure reports no backup of its databases to restore from/);
    });

    it("refuses fewer nodes in the deployment that restores, naming nodeCount and restore.pointInTime, before anything but the read of the last deployment is registered", async () => {
        const failure = await runStackExpectingFailure({ stack: "dev", config: { nodeCount: 1, restore: { pointInTime } }, now, lastOutputs: deployedOutputs });
        assert.match(failure.message, /nodeCount: got 1; allowed: at least 2 \(the nodes deployed: node-0, node-1\) while restore\.pointInTime \(2026-12-04T09:00:00Z\) asks for a restore: .*node-1 would be deleted mid-restore without being stopped/);
        assert.doesNotMatch(failure.message, /restore\.pointInTime: got/, "the instant itself is fine");
        assert.equal(failure.registered, 1, "the stack reference to the last deployment, which creates nothing");
    });

    it("refuses a restore of a stack never deployed", async () => {
        const failure = await runStackExpectingFailure({ stack: "dev", config: { restore: { pointInTime } }, now });
        assert.match(failure.message, /restore\.pointInTime: got "2026-12-04T09:00:00Z"; allowed: .*this stack has not been deployed/);
    });
});
