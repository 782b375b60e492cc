import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createHttpHeaders } from "@azure/core-rest-pipeline";
import { planFailover, FailoverObservation } from "../../components/plan/failover";
import { clusterNames } from "../../components/plan/names";
import { ArmClient } from "../../tools/failover/armClient";
import { FailoverContext, runFailover } from "../../tools/failover/regionFailover";
import { EmulatedStack, emulatorState, RegionBehaviour, ResourceManagerEmulator } from "../emulators/azureResourceManager";

const primaryNames = clusterNames("prod");
const standbyNames = clusterNames("prod", "standby");
const suffix = "k3x9q2";
const stack: EmulatedStack = {
    subscriptionId: "00000000-0000-4000-8000-000000000001",
    primaryGroup: primaryNames.resourceGroup,
    standbyGroup: standbyNames.resourceGroup,
    primaryServer: primaryNames.sqlServer(suffix),
    partnerServer: standbyNames.sqlServer(suffix),
    failoverGroup: primaryNames.failoverGroup(suffix),
    storageAccount: primaryNames.storageAccount(suffix),
    profile: standbyNames.trafficManagerProfile,
    primaryVms: [0, 1, 2].map((index) => primaryNames.vm(index)),
    standbyVms: [1, 0].map((index) => standbyNames.vm(index)),
    locations: { primary: "westeurope", standby: "northeurope" },
};

const shortWaits: FailoverContext["waits"] = { databaseMs: 2_000, runCommandMs: 2_000, readySeconds: 600 };

function context(
    emulator: ResourceManagerEmulator, direction: FailoverContext["direction"] = "toStandby", act = true, lines: string[] = [], waits = shortWaits,
): FailoverContext {
    return {
        arm: new ArmClient({
            credential: { getToken: async () => ({ token: "operator-token", expiresOnTimestamp: Date.now() + 3_600_000 }) },
            httpClient: emulator, requestTimeoutMs: 150, maxRetries: 1, retryDelayMs: 5, pollIntervalMs: 5,
        }),
        subscriptionId: stack.subscriptionId, primaryNames, standbyNames, locations: stack.locations, apps: ["app"], direction, act,
        log: (line) => lines.push(line),
        waits,
    };
}

function emulator(primaryRegion: RegionBehaviour = "answers") {
    return new ResourceManagerEmulator(stack, emulatorState(stack, primaryRegion));
}

describe("npm run failover against emulated Azure", () => {
    it("rehearses with both regions answering: stops the stack region's apps, fails over planned, starts the standby's leader first, then moves the entry", async () => {
        const azure = emulator();
        const outcome = await runFailover(context(azure));
        assert.equal(outcome.exitCode, 0, outcome.results.join("\n"));
        assert.deepEqual(azure.state.changes, [
            "runCommand mx-prod-node-1 Stop-MxApp", "runCommand mx-prod-node-2 Stop-MxApp", "runCommand mx-prod-node-0 Stop-MxApp",
            "database failover mx-prod-sb-sql-k3x9q2",
            "storage failover Planned",
            "runCommand mx-prod-sb-node-0 Start-MxApp", "runCommand mx-prod-sb-node-1 Start-MxApp",
            "endpoint primary Disabled",
        ]);
        assert.equal(azure.state.partnerRole, "Primary");
    });

    for (const lost of ["silent", "refused"] as const) {
        it(`with the stack's region ${lost === "silent" ? "not answering" : "refusing connections"}: forces the database and the files over, says what that can lose, and never waits on that region`, async () => {
            const azure = emulator(lost);
            const lines: string[] = [];
            // Ten minutes for every wait: a failover that sat out a single one for the lost region would
            // take that long, while one that only lets its requests time out takes well under a minute on any machine.
            const waits = { databaseMs: 600_000, runCommandMs: 600_000, readySeconds: 600 };
            const started = Date.now();
            const outcome = await runFailover(context(azure, "toStandby", true, lines, waits));
            assert.equal(outcome.exitCode, 0, outcome.results.join("\n"));
            assert.deepEqual(azure.state.changes, [
                "database forceFailoverAllowDataLoss mx-prod-sb-sql-k3x9q2",
                "storage failover Unplanned",
                "runCommand mx-prod-sb-node-0 Start-MxApp", "runCommand mx-prod-sb-node-1 Start-MxApp",
                "endpoint primary Disabled",
            ]);
            assert.ok(azure.state.unanswered.length > 0 && azure.state.unanswered.every((request) => request.includes("/resourceGroups/rg-mx-prod/")), azure.state.unanswered.join("\n"));
            assert.ok(lines.some((line) => /FORCED: transactions .* are gone \(Microsoft's figure: RPO 5 s\)/.test(line)), lines.join("\n"));
            assert.ok(lines.some((line) => /UNPLANNED: blobs written after the account's last sync \(2026-03-01T09:58:12.0000000Z\) are lost/.test(line)), lines.join("\n"));
            assert.ok(Date.now() - started < 60_000, `took ${Date.now() - started} ms: it waited for the lost region`);
        });
    }

    it("goes on when the storage account does not answer either, and says how to start its failover later", async () => {
        const azure = emulator("silent");
        azure.state.storage = "silent";
        const lines: string[] = [];
        const outcome = await runFailover(context(azure, "toStandby", true, lines));
        assert.equal(outcome.exitCode, 0);
        assert.deepEqual(azure.state.changes.filter((change) => change.startsWith("storage")), []);
        assert.ok(lines.some((line) => line.includes("az storage account failover")), lines.join("\n"));
        assert.equal(azure.state.primaryEndpointStatus, "Disabled");
    });

    it("is idempotent: run again after a forced failover, it changes only what is left", async () => {
        const azure = emulator("silent");
        await runFailover(context(azure));
        azure.state.changes.length = 0;
        const lines: string[] = [];
        await runFailover(context(azure, "toStandby", true, lines));
        assert.ok(!azure.state.changes.some((change) => change.startsWith("database") || change.startsWith("storage")), azure.state.changes.join("\n"));
        assert.ok(lines.some((line) => line.includes("already primary in the standby region")));
    });

    it("only says what it would do without --yes", async () => {
        const azure = emulator("refused");
        const lines: string[] = [];
        const outcome = await runFailover(context(azure, "toStandby", false, lines));
        assert.equal(outcome.exitCode, 0);
        assert.deepEqual(azure.state.changes, []);
        assert.ok(lines.includes("Nothing was changed: run again with --yes to carry this out."));
    });

    it("refuses to fail back while the stack's region does not answer, before changing anything", async () => {
        const azure = emulator("silent");
        azure.state.partnerRole = "Primary";
        const outcome = await runFailover(context(azure, "toPrimary"));
        assert.equal(outcome.exitCode, 2);
        assert.deepEqual(azure.state.changes, []);
    });

    it("fails back planned: the standby's apps stop first, the database returns, the stack region's leader starts first, the entry comes back", async () => {
        const azure = emulator();
        azure.state.partnerRole = "Primary";
        azure.state.storageAccount.primaryLocation = "northeurope";
        const outcome = await runFailover(context(azure, "toPrimary"));
        assert.equal(outcome.exitCode, 0, outcome.results.join("\n"));
        assert.deepEqual(azure.state.changes, [
            "runCommand mx-prod-sb-node-1 Stop-MxApp", "runCommand mx-prod-sb-node-0 Stop-MxApp",
            "database failover mx-prod-sql-k3x9q2",
            "storage failover Planned",
            "runCommand mx-prod-node-0 Start-MxApp", "runCommand mx-prod-node-1 Start-MxApp", "runCommand mx-prod-node-2 Start-MxApp",
            "endpoint primary Enabled",
        ]);
    });
});

describe("planFailover", () => {
    const base: FailoverObservation = {
        direction: "toStandby", primaryAnswers: false, partnerRole: "Secondary",
        storage: { primaryLocation: "westeurope", skuName: "Standard_GZRS", failoverInProgress: false, canPlannedFailover: false, lastSyncTime: undefined },
        nodes: { primary: { leader: undefined, followers: [] }, standby: { leader: undefined, followers: [] } },
        apps: ["app"], locations: { primary: "westeurope", standby: "northeurope" },
    };

    it("on a cold standby fails the data over, moves the entry and says how to build the nodes", () => {
        const plan = planFailover(base);
        assert.deepEqual(plan.steps.map((step) => step.kind), ["database", "storage", "entry"]);
        assert.ok(plan.notes.some((note) => note.includes("cold standby")));
    });

    it("refuses when the standby's server does not say its role", () => {
        assert.match(planFailover({ ...base, partnerRole: undefined }).refusal ?? "", /did not say its role/);
    });

    it("leaves storage that already failed over, or that has no copy elsewhere, where it is", () => {
        const inProgress = planFailover({ ...base, storage: { ...base.storage!, failoverInProgress: true } });
        assert.ok(!inProgress.steps.some((step) => step.kind === "storage"));
        const local = planFailover({ ...base, storage: { ...base.storage!, skuName: "Standard_LRS" } });
        assert.ok(local.notes.some((note) => note.includes("Standard_LRS")));
    });
});

describe("npm run failover when a step fails", () => {
    it("goes no further than a stop that failed, so that two regions never run apps on one database", async () => {
        const azure = emulator();
        const unpatched = azure.sendRequest.bind(azure);
        azure.sendRequest = async (request) => (request.url.includes("/mx-prod-node-1/runCommand")
            ? { request, status: 409, headers: createHttpHeaders(), bodyAsText: JSON.stringify({ error: { code: "Conflict", message: "Run Command is busy on this VM." } }) }
            : unpatched(request));
        const outcome = await runFailover(context(azure));
        assert.equal(outcome.exitCode, 1);
        assert.deepEqual(azure.state.changes, []);
        assert.match(outcome.results.join("\n"), /FAILED: stop the apps in the primary region .*409 Conflict Run Command is busy/);
    });
});
