import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FailoverObservation, planFailover, ReadAnswer, StorageObservation } from "../../components/plan/failover";
import { clusterNames } from "../../components/plan/names";
import { ArmClient, ArmError } from "../../tools/failover/armClient";
import { apiVersions, FailoverContext, runFailover } from "../../tools/failover/regionFailover";
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
    locations: { primary: "westeurope", standby: "northeurope", pair: "northeurope" },
};
/** The standby in a region that is not the stack region's pair: geo-redundant storage still fails over to the pair. */
const unpairedStack: EmulatedStack = { ...stack, locations: { primary: "westeurope", standby: "swedencentral", pair: "northeurope" } };

const shortWaits: FailoverContext["waits"] = { databaseMs: 2_000, storageMs: 2_000, runCommandMs: 2_000, readySeconds: 600 };

interface Run {
    readonly direction?: FailoverContext["direction"];
    readonly act?: boolean;
    readonly force?: boolean;
    readonly lines?: string[];
    readonly on?: EmulatedStack;
    readonly waits?: FailoverContext["waits"];
}

function context(emulator: ResourceManagerEmulator, { direction = "toStandby", act = true, force = false, lines = [], on = stack, waits = shortWaits }: Run = {}): FailoverContext {
    return {
        arm: new ArmClient({
            credential: { getToken: async () => ({ token: "operator-token", expiresOnTimestamp: Date.now() + 3_600_000 }) },
            httpClient: emulator, requestTimeoutMs: 150, maxRetries: 1, retryDelayMs: 5, pollIntervalMs: 5,
        }),
        subscriptionId: on.subscriptionId, primaryNames, standbyNames, locations: { primary: on.locations.primary, standby: on.locations.standby },
        apps: ["app"], direction, act, force,
        log: (line) => lines.push(line),
        waits,
    };
}

function emulator(primaryRegion: RegionBehaviour = "answers", on: EmulatedStack = stack) {
    return new ResourceManagerEmulator(on, emulatorState(on, primaryRegion));
}

const drillChanges = [
    "runCommand mx-prod-node-1 stand-by,Stop-MxApp", "runCommand mx-prod-node-2 stand-by,Stop-MxApp", "runCommand mx-prod-node-0 stand-by,Stop-MxApp",
    "database failover mx-prod-sb-sql-k3x9q2",
    "storage failover Planned",
    "runCommand mx-prod-sb-node-0 serve,Start-MxApp", "runCommand mx-prod-sb-node-1 serve,Start-MxApp",
    "endpoint primary Disabled",
];
const forcedChanges = [
    "database forceFailoverAllowDataLoss mx-prod-sb-sql-k3x9q2",
    "storage failover Unplanned",
    "runCommand mx-prod-sb-node-0 serve,Start-MxApp", "runCommand mx-prod-sb-node-1 serve,Start-MxApp",
    "endpoint primary Disabled",
];

describe("npm run failover against emulated Azure", () => {
    it("rehearses with both regions answering: stands the stack region's nodes by, fails over planned, waits for the files, serves from the standby, leader first, then moves the entry", async () => {
        const azure = emulator();
        const outcome = await runFailover(context(azure));
        assert.equal(outcome.exitCode, 0, outcome.results.join("\n"));
        assert.deepEqual(azure.state.changes, drillChanges);
        assert.equal(azure.state.partnerRole, "Primary");
        assert.deepEqual(azure.state.storageAccount, {
            primaryLocation: "northeurope", secondaryLocation: "westeurope", skuName: "Standard_GZRS", failoverInProgress: false, canPlannedFailover: true,
            lastSyncTime: "2026-03-01T09:58:12.0000000Z",
        });
        assert.deepEqual(azure.state.nodes["mx-prod-sb-node-0"], { running: true, role: "serving" });
        assert.deepEqual(azure.state.nodes["mx-prod-node-0"], { running: false, role: "standing-by" });
    });

    it("is idempotent: run again after a failover, it fails neither the database nor the files over twice and does the rest again", async () => {
        const azure = emulator();
        assert.equal((await runFailover(context(azure))).exitCode, 0);
        azure.state.changes.length = 0;
        const lines: string[] = [];
        const again = await runFailover(context(azure, { lines }));
        assert.equal(again.exitCode, 0, again.results.join("\n"));
        assert.deepEqual(azure.state.changes.filter((change) => !change.startsWith("runCommand ")), ["endpoint primary Disabled"]);
        assert.ok(lines.some((line) => line.includes("The database group is already primary in the standby region: not failed over again.")), lines.join("\n"));
        assert.ok(lines.some((line) => line.includes("The storage account's primary is already in northeurope, no longer the stack's region (westeurope): not failed over again.")), lines.join("\n"));
        assert.deepEqual(azure.state.nodes["mx-prod-sb-node-0"], { running: true, role: "serving" });
    });

    for (const lost of ["silent", "refused"] as const) {
        it(`with the stack's region ${lost === "silent" ? "not answering" : "refusing connections"}: shows a forced plan, carries it out only with --force, and never waits on that region`, async () => {
            const azure = emulator(lost);
            const lines: string[] = [];
            const refused = await runFailover(context(azure, { lines }));
            assert.equal(refused.exitCode, 2);
            assert.deepEqual(azure.state.changes, []);
            assert.ok(lines.includes("Refused: the database fails over FORCED and the files fail over UNPLANNED, which can lose data (the lines marked ! say what); " +
                "nothing was changed. Run again with --yes --force to carry this plan out."), lines.join("\n"));

            // Ten minutes for every wait: a failover that sat out a single one for the lost region would
            // take that long, while one that only lets its requests time out takes well under a minute on any machine.
            const waits = { databaseMs: 600_000, storageMs: 600_000, runCommandMs: 600_000, readySeconds: 600 };
            const started = Date.now();
            const outcome = await runFailover(context(azure, { force: true, lines, waits }));
            assert.equal(outcome.exitCode, 0, outcome.results.join("\n"));
            assert.deepEqual(azure.state.changes, forcedChanges);
            assert.ok(azure.state.unanswered.length > 0 && azure.state.unanswered.every((request) => request.includes("/resourceGroups/rg-mx-prod/")), azure.state.unanswered.join("\n"));
            assert.ok(lines.some((line) => /FORCED: transactions .* are gone \(Microsoft's figure: RPO 5 s\)/.test(line)), lines.join("\n"));
            assert.ok(lines.some((line) => /UNPLANNED: blobs written after the account's last sync \(2026-03-01T09:58:12.0000000Z\) are lost/.test(line)), lines.join("\n"));
            assert.equal(azure.state.storageAccount.skuName, "Standard_LRS");
            assert.ok(Date.now() - started < 60_000, `took ${Date.now() - started} ms: it waited for the lost region`);
        });
    }

    for (const [status, code] of [[401, "InvalidAuthenticationToken"], [403, "AuthorizationFailed"], [404, "ResourceGroupNotFound"], [429, "TooManyRequests"], [503, "ServiceUnavailable"]] as const) {
        it(`refuses when the stack's region answers HTTP ${status}, naming it: an answer is not a lost region, unless --force says so`, async () => {
            const azure = emulator({ status, code });
            const lines: string[] = [];
            const outcome = await runFailover(context(azure, { lines }));
            assert.equal(outcome.exitCode, 2);
            assert.equal(azure.state.changes.length, 0);
            assert.match(lines.join("\n"), new RegExp(`Refused: the stack's own region answered HTTP ${status} ${code} reading its failover group: a region that answers is not lost`));

            const forced = await runFailover(context(azure, { force: true }));
            assert.equal(forced.exitCode, 0, forced.results.join("\n"));
            assert.deepEqual(azure.state.changes.filter((change) => change.startsWith("database")), ["database forceFailoverAllowDataLoss mx-prod-sb-sql-k3x9q2"]);
        });
    }

    it("starts no app and moves no entry when the database failover is accepted but does not finish in time: exit 1, before the storage step", async () => {
        const azure = emulator();
        azure.state.databaseFailover = "stuck";
        const outcome = await runFailover(context(azure));
        assert.equal(outcome.exitCode, 1);
        assert.deepEqual(azure.state.changes, [...drillChanges.slice(0, 4)]);
        assert.equal(azure.state.primaryEndpointStatus, "Enabled");
        assert.match(outcome.results.join("\n"), /FAILED: fail the database group over, planned .*accepted but had not finished after 2 s\nstopped here, before the storage step/);
    });

    it("stops before the storage step when Azure refuses the database failover", async () => {
        const azure = emulator();
        azure.state.failingRequests[`POST /failoverGroups/${stack.failoverGroup}/failover`] = { status: 500, code: "InternalServerError" };
        const outcome = await runFailover(context(azure));
        assert.equal(outcome.exitCode, 1);
        assert.deepEqual(azure.state.changes, drillChanges.slice(0, 3));
        assert.equal(azure.state.partnerRole, "Secondary");
    });

    it("with both regions answering and the files unable to fail over planned, leaves them where they are unless --force", async () => {
        const azure = emulator();
        azure.state.storageAccount.canPlannedFailover = false;
        const lines: string[] = [];
        const outcome = await runFailover(context(azure, { lines }));
        assert.equal(outcome.exitCode, 0, outcome.results.join("\n"));
        assert.deepEqual(azure.state.changes, drillChanges.filter((change) => !change.startsWith("storage")));
        assert.equal(azure.state.storageAccount.primaryLocation, "westeurope");
        assert.ok(lines.some((line) => line.includes("cannot fail over planned now") && line.includes("--force to fail it over UNPLANNED")), lines.join("\n"));

        const again = emulator();
        again.state.storageAccount.canPlannedFailover = false;
        await runFailover(context(again, { force: true }));
        assert.ok(again.state.changes.includes("storage failover Unplanned"));
    });

    for (const [mode, force] of [["planned", false], ["unplanned", true]] as const) {
        it(`is idempotent with a standby outside the stack region's pair: after a ${mode} storage failover to the pair, a second run leaves the files alone`, async () => {
            const azure = emulator(force ? "silent" : "answers", unpairedStack);
            const first = await runFailover(context(azure, { on: unpairedStack, force }));
            assert.equal(first.exitCode, 0, first.results.join("\n"));
            assert.equal(azure.state.storageAccount.primaryLocation, "northeurope");
            azure.state.changes.length = 0;
            const lines: string[] = [];
            const second = await runFailover(context(azure, { on: unpairedStack, force, lines }));
            assert.equal(second.exitCode, 0, second.results.join("\n"));
            assert.ok(!azure.state.changes.some((change) => change.startsWith("database") || change.startsWith("storage")), azure.state.changes.join("\n"));
            assert.ok(lines.some((line) => line.includes("The storage account's primary is already in northeurope, no longer the stack's region (westeurope)")), lines.join("\n"));
            assert.ok(lines.some((line) => line.includes("already primary in the standby region")));
        });
    }

    for (const region of ["primary", "standby"] as const) {
        it(`refuses, changing nothing, when the ${region} region's VMs cannot be listed`, async () => {
            const azure = emulator();
            azure.state.failingRequests[`GET /resourceGroups/${region === "primary" ? stack.primaryGroup : stack.standbyGroup}/providers/Microsoft.Compute/virtualMachines`] =
                { status: 500, code: "InternalServerError" };
            const lines: string[] = [];
            const outcome = await runFailover(context(azure, { lines }));
            assert.equal(outcome.exitCode, 2);
            assert.deepEqual(azure.state.changes, []);
            assert.match(lines.join("\n"), new RegExp(`Refused: listing the VMs of the ${region} region answered HTTP 500 InternalServerError`));
        });
    }

    it("stops before any app starts when the storage failover does not end in time", async () => {
        const azure = emulator();
        azure.state.storageFailoverReads = Number.POSITIVE_INFINITY;
        const outcome = await runFailover(context(azure));
        assert.equal(outcome.exitCode, 1);
        assert.deepEqual(azure.state.changes, drillChanges.slice(0, 5));
        assert.match(outcome.results.join("\n"), /stopped here: no app starts while the storage account fails over/);
    });

    it("goes on when the storage account does not answer either, says how to start its failover later, and stops where the apps cannot reach their files", async () => {
        const azure = emulator("silent");
        azure.state.storage = "silent";
        const lines: string[] = [];
        const outcome = await runFailover(context(azure, { force: true, lines }));
        assert.equal(outcome.exitCode, 1);
        assert.deepEqual(azure.state.changes, ["database forceFailoverAllowDataLoss mx-prod-sb-sql-k3x9q2", "runCommand mx-prod-sb-node-0 serve,Start-MxApp"]);
        assert.ok(lines.some((line) => line.includes("az storage account failover")), lines.join("\n"));
        assert.match(outcome.results.join("\n"), /its file storage did not answer[\s\S]*the entry does not move to a region whose leader does not serve/);
        assert.equal(azure.state.primaryEndpointStatus, "Enabled");
    });

    it("only says what it would do without --yes, and names --force when the plan can lose data", async () => {
        const azure = emulator("refused");
        const lines: string[] = [];
        const outcome = await runFailover(context(azure, { act: false, lines }));
        assert.equal(outcome.exitCode, 0);
        assert.deepEqual(azure.state.changes, []);
        assert.ok(lines.includes("Nothing was changed: run again with --yes --force to carry this out (the database fails over FORCED, the files fail over UNPLANNED: read the lines marked !)."),
            lines.join("\n"));
    });

    it("refuses to fail back while the stack's region does not answer, or answers with an error, before changing anything", async () => {
        for (const behaviour of ["silent", { status: 403, code: "AuthorizationFailed" }] as const) {
            const azure = emulator(behaviour);
            azure.state.partnerRole = "Primary";
            const lines: string[] = [];
            const outcome = await runFailover(context(azure, { direction: "toPrimary", lines }));
            assert.equal(outcome.exitCode, 2);
            assert.deepEqual(azure.state.changes, []);
            assert.match(lines.join("\n"), /Refused: the stack's own region (gave no answer \(\w+\)|answered HTTP 403 AuthorizationFailed) reading its failover group: failing back needs it to answer/);
        }
    });

    it("fails back after an unplanned failover only once the files are GRS and caught up, then planned throughout, and says how to make them GZRS again", async () => {
        const azure = emulator("silent");
        await runFailover(context(azure, { force: true }));
        azure.state.primaryRegion = "answers";
        azure.state.changes.length = 0;

        const lines: string[] = [];
        const refused = await runFailover(context(azure, { direction: "toPrimary", lines }));
        assert.equal(refused.exitCode, 2);
        assert.deepEqual(azure.state.changes, []);
        assert.match(lines.join("\n"), /the storage account is Standard_LRS, as an unplanned failover leaves it: make it geo-redundant first, as GRS .*--sku Standard_GRS/);

        // What the operator does, as the refusal says: GRS, replication to the stack's region, canPlannedFailover.
        Object.assign(azure.state.storageAccount, { skuName: "Standard_GRS", secondaryLocation: "westeurope", canPlannedFailover: true, lastSyncTime: "2026-03-01T12:00:00.0000000Z" });
        const back: string[] = [];
        const outcome = await runFailover(context(azure, { direction: "toPrimary", lines: back }));
        assert.equal(outcome.exitCode, 0, outcome.results.join("\n"));
        assert.deepEqual(azure.state.changes, [
            "runCommand mx-prod-sb-node-1 stand-by,Stop-MxApp", "runCommand mx-prod-sb-node-0 stand-by,Stop-MxApp",
            "database failover mx-prod-sql-k3x9q2",
            "storage failover Planned",
            "runCommand mx-prod-node-0 serve,Start-MxApp", "runCommand mx-prod-node-1 serve,Start-MxApp", "runCommand mx-prod-node-2 serve,Start-MxApp",
            "endpoint primary Enabled",
        ]);
        assert.equal(azure.state.storageAccount.primaryLocation, "westeurope");
        assert.ok(back.some((line) => line.includes("the storage account is Standard_GRS in the stack's region") && line.includes("az storage account migration start --account-name <account> --sku Standard_GZRS")), back.join("\n"));
        // The stack goes back to the program at once: while standby.active is true, a pulumi up disables the region that serves again.
        assert.ok(back.some((line) => line.includes("set standby.active false and run pulumi up right after this command, without --refresh")), back.join("\n"));
        assert.equal(back[back.length - 1], "Then, to make the stack match: pulumi config set --path standby.active false && pulumi up, now: while standby.active is true, " +
            "every pulumi up disables the stack region's endpoint again (docs/losing-a-region.md says what it changes, and what it cannot while a region is down).");
    });
});

describe("the emulated Run Command", () => {
    it("runs one script at a time on a VM, as Azure does, refusing a second while the first runs", async () => {
        const azure = emulator();
        const { arm } = context(azure);
        const path = `/subscriptions/${stack.subscriptionId}/resourceGroups/${primaryNames.resourceGroup}/providers/Microsoft.Compute/virtualMachines/${primaryNames.vm(0)}/runCommand`;
        const script = { commandId: "RunPowerShellScript", script: ["Write-Output 'hello'"] };
        const first = await arm.request("POST", path, apiVersions.compute, script);
        assert.equal(first.status, 202);
        await assert.rejects(arm.request("POST", path, apiVersions.compute, script),
            (error: unknown) => error instanceof ArmError && error.status === 409 && error.code === "Conflict");
    });
});

describe("npm run failover when a step fails", () => {
    it("goes no further than a stop that failed, so that two regions never run apps on one database", async () => {
        const azure = emulator();
        azure.state.failingRequests["POST /mx-prod-node-1/runCommand"] = { status: 409, code: "Conflict" };
        const outcome = await runFailover(context(azure));
        assert.equal(outcome.exitCode, 1);
        assert.deepEqual(azure.state.changes, []);
        assert.match(outcome.results.join("\n"), /FAILED: stop the apps in the primary region .*409 Conflict/);
    });
});

describe("planFailover", () => {
    const answered = <T>(value: T): ReadAnswer<T> => ({ kind: "answered", value });
    const noAnswer = { kind: "noAnswer", reason: "Timeout" } as const;
    const storage: StorageObservation = { primaryLocation: "westeurope", skuName: "Standard_GZRS", failoverInProgress: false, canPlannedFailover: false, lastSyncTime: undefined };
    const base: FailoverObservation = {
        direction: "toStandby", primaryGroup: noAnswer, partnerRole: answered("Secondary"), storage: answered(storage),
        nodes: { primary: noAnswer, standby: answered({ leader: undefined, followers: [] }) },
        locations: { primary: "westeurope", standby: "northeurope" }, force: false,
    };

    it("on a cold standby fails the data over, moves the entry and says how to build the nodes and start them", () => {
        const plan = planFailover(base);
        assert.deepEqual(plan.steps.map((step) => step.kind), ["database", "storage", "entry"]);
        assert.deepEqual(plan.lossy, ["the database fails over FORCED", "the files fail over UNPLANNED"]);
        assert.ok(plan.notes.some((note) => note.includes("cold standby") && note.includes("then run this command again to start their apps")));
    });

    it("refuses when the standby's server does not say its role, or answers an error", () => {
        assert.match(planFailover({ ...base, partnerRole: answered(undefined) }).refusal ?? "", /did not say its role/);
        assert.match(planFailover({ ...base, partnerRole: { kind: "httpError", status: 403, code: "AuthorizationFailed" } }).refusal ?? "", /answered HTTP 403 AuthorizationFailed/);
    });

    it("waits for a storage failover in progress, and leaves storage with no copy elsewhere where it is", () => {
        const inProgress = planFailover({ ...base, storage: answered({ ...storage, failoverInProgress: true }) });
        assert.deepEqual(inProgress.steps.filter((step) => step.kind === "storage"), [{ kind: "storage", mode: "inProgress" }]);
        const local = planFailover({ ...base, storage: answered({ ...storage, skuName: "Standard_LRS" }) });
        assert.ok(local.notes.some((note) => note.includes("Standard_LRS")));
        assert.ok(!local.steps.some((step) => step.kind === "storage"));
    });

    it("refuses a storage account that answers an error unless --force, which goes on without its failover", () => {
        const error = { kind: "httpError", status: 403, code: "AuthorizationFailed" } as const;
        assert.match(planFailover({ ...base, storage: error }).refusal ?? "", /^the storage account answered HTTP 403 AuthorizationFailed/);
        assert.ok(!planFailover({ ...base, storage: error, force: true }).steps.some((step) => step.kind === "storage"));
    });
});
