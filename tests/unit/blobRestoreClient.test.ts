import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { restoreFiles } from "../../components/blobRestore/provider";
import { blobRestoreFailedName, maxAttempts, restoreBlobRanges, RestoreDependencies } from "../../components/blobRestore/restoreClient";
import { blobRestoreRanges } from "../../components/plan/blobRestoreRanges";
import { EmulatorOptions, StorageRestoreEmulator } from "../emulators/storageBlobRestore";

const hour = 60 * 60 * 1000;
const enabledLongAgo = { days: 14, enabledAt: Date.parse("2026-10-01T00:00:00Z") };
const pointInTime = "2026-12-04T09:00:00Z";

const started: StorageRestoreEmulator[] = [];
after(async () => {
    await Promise.all(started.map((emulator) => emulator.close()));
});

async function emulator(options: EmulatorOptions = {}): Promise<StorageRestoreEmulator> {
    const started1 = await StorageRestoreEmulator.start({ restorePolicy: enabledLongAgo, ...options });
    started.push(started1);
    return started1;
}

/** The files of two apps and the settings container, as they were at 08:00 and as the apps changed them by 11:00. */
function withHistory(azure: StorageRestoreEmulator): void {
    azure.now = Date.parse("2026-12-04T08:00:00Z");
    azure.putBlob("files-crm/invoice-1", "invoice 1 as issued");
    azure.putBlob("files-hr/contract-7", "contract 7");
    azure.putBlob("node-settings/nodes/node-0/crm.yaml", "settings of 08:00");
    azure.now = Date.parse("2026-12-04T10:00:00Z");
    azure.putBlob("files-crm/invoice-1", "invoice 1 corrupted");
    azure.deleteBlob("files-hr/contract-7");
    azure.putBlob("files-crm/invoice-2", "invoice 2, written after the restore point");
    azure.putBlob("node-settings/nodes/node-0/crm.yaml", "settings of 10:00");
    azure.now = Date.parse("2026-12-04T11:00:00Z");
}

function dependencies(azure: StorageRestoreEmulator) {
    const sleeps: number[] = [];
    const logs: string[] = [];
    const deps: RestoreDependencies = {
        fetch,
        token: async () => azure.token,
        sleep: async (milliseconds) => {
            sleeps.push(milliseconds);
        },
        log: (message) => logs.push(message),
    };
    return { deps, sleeps, logs };
}

const request = (azure: StorageRestoreEmulator, containers = ["files-crm", "files-hr"]) => ({
    endpoint: azure.endpoint, accountId: azure.accountId, timeToRestore: pointInTime, blobRanges: blobRestoreRanges(containers),
});

describe("restoreBlobRanges against Azure Resource Manager's emulator", () => {

    it("restores every app's container to the instant, leaves the settings container alone, and follows Location as Retry-After says", async () => {
        const azure = await emulator();
        withHistory(azure);
        const { deps, sleeps } = dependencies(azure);
        const status = await restoreBlobRanges(request(azure), deps);
        assert.equal(status.status, "Complete");
        assert.deepEqual(azure.contents(), {
            "files-crm/invoice-1": "invoice 1 as issued",
            "files-hr/contract-7": "contract 7",
            "node-settings/nodes/node-0/crm.yaml": "settings of 10:00",
        });
        const post = azure.requests.find((recorded) => recorded.method === "POST");
        assert.equal(post?.url, `${azure.accountId}/restoreBlobRanges?api-version=2024-01-01`);
        assert.deepEqual(post?.body, {
            timeToRestore: "2026-12-04T09:00:00Z",
            blobRanges: [{ startRange: "files-crm", endRange: "files-crm0" }, { startRange: "files-hr", endRange: "files-hr0" }],
        });
        assert.ok(azure.requests.every((recorded) => recorded.authorization === `Bearer ${azure.token}`));
        // The first GET looks for a restore in progress; then two polls of the Location, each after Retry-After.
        assert.deepEqual(azure.requests.map((recorded) => recorded.method), ["GET", "POST", "GET", "GET"]);
        assert.match(azure.requests[2]?.url ?? "", /\/locations\/westeurope\/operationResults\/[0-9a-f-]{36}\?api-version=2022-09-01$/);
        assert.deepEqual(sleeps, [17_000, 17_000]);
    });

    it("follows Azure-AsyncOperation when Azure names it, then reads the result where Location points", async () => {
        const azure = await emulator({ asyncOperationHeader: true, pollsBeforeDone: 3, retryAfterSeconds: 5 });
        withHistory(azure);
        const { deps, sleeps } = dependencies(azure);
        const status = await restoreBlobRanges(request(azure), deps);
        assert.equal(status.status, "Complete");
        const polled = azure.requests.slice(2).map((recorded) => /\/(asyncoperations|operationResults)\//.exec(recorded.url)?.[1]);
        assert.deepEqual(polled, ["asyncoperations", "asyncoperations", "asyncoperations", "operationResults"]);
        assert.deepEqual(sleeps, [5_000, 5_000, 5_000]);
        assert.equal(azure.blob("files-crm/invoice-1"), "invoice 1 as issued");
    });

    for (const failedRestoreAs of ["restoreStatus", "failedOperation"] as const) {
        it(`fails loudly with Azure's reason when the restore fails half-way (${failedRestoreAs}), having applied nothing; a rerun once the cause is gone restores`, async () => {
            const azure = await emulator({ asyncOperationHeader: failedRestoreAs === "failedOperation", failedRestoreAs, pollsBeforeDone: 3 });
            withHistory(azure);
            azure.lease("files-crm/invoice-1");
            const { deps } = dependencies(azure);
            await assert.rejects(restoreBlobRanges(request(azure), deps), (error: unknown) => {
                assert.ok(error instanceof Error && error.name === blobRestoreFailedName);
                assert.match(error.message, /files-crm\/invoice-1 has an active lease/);
                return true;
            });
            assert.equal(azure.blob("files-crm/invoice-1"), "invoice 1 corrupted", "an atomic restore that failed changed nothing");
            assert.equal(azure.blob("files-hr/contract-7"), undefined);
            azure.breakLease("files-crm/invoice-1");
            await restoreBlobRanges(request(azure), deps);
            assert.equal(azure.blob("files-crm/invoice-1"), "invoice 1 as issued");
            assert.equal(azure.blob("files-hr/contract-7"), "contract 7");
        });
    }

    it("waits for a restore of the same ranges to the same instant already in progress (a run stopped while it waited) rather than asking again", async () => {
        const azure = await emulator({ pollsBeforeDone: 4 });
        withHistory(azure);
        const { deps } = dependencies(azure);
        // A first run starts the restore and is stopped before it ends.
        const interrupted = { ...deps, sleep: async () => Promise.reject(new Error("the run was stopped")) };
        await assert.rejects(restoreBlobRanges(request(azure), interrupted), /the run was stopped/);
        const { deps: rerun, logs } = dependencies(azure);
        const status = await restoreBlobRanges(request(azure), rerun);
        assert.equal(status.status, "Complete");
        assert.equal(azure.requests.filter((recorded) => recorded.method === "POST").length, 1);
        assert.match(logs[0] ?? "", /in progress .*waiting for it/);
        assert.equal(azure.blob("files-crm/invoice-1"), "invoice 1 as issued");
    });

    it("waits for a restore of other ranges to the same instant (a later request of a run cut off), then asks for its own", async () => {
        const azure = await emulator({ pollsBeforeDone: 4 });
        withHistory(azure);
        const { deps } = dependencies(azure);
        const interrupted = { ...deps, sleep: async () => Promise.reject(new Error("the run was stopped")) };
        await assert.rejects(restoreBlobRanges(request(azure, ["files-hr"]), interrupted), /the run was stopped/);
        const { deps: rerun, logs } = dependencies(azure);
        const status = await restoreBlobRanges(request(azure, ["files-crm"]), rerun);
        assert.equal(status.status, "Complete");
        assert.equal(azure.requests.filter((recorded) => recorded.method === "POST").length, 2);
        assert.match(logs[0] ?? "", /a restore of other ranges of .* to 2026-12-04T09:00:00Z is in progress .*waiting for it, then asking for these/);
        assert.equal(azure.blob("files-crm/invoice-1"), "invoice 1 as issued");
        assert.equal(azure.blob("files-hr/contract-7"), "contract 7");
    });

    it("refuses to start while another restore of the account runs, naming it", async () => {
        const azure = await emulator({ pollsBeforeDone: 10 });
        withHistory(azure);
        const { deps } = dependencies(azure);
        const stopped = { ...deps, sleep: async () => Promise.reject(new Error("stopped")) };
        await assert.rejects(restoreBlobRanges({ ...request(azure), timeToRestore: "2026-12-04T08:30:00Z" }, stopped), /stopped/);
        await assert.rejects(restoreBlobRanges(request(azure), deps), /another restore of .* is in progress .*to 2026-12-04T08:30:00Z/);
    });

    it("passes on Azure's refusal of an instant outside the window", async () => {
        const azure = await emulator({ restorePolicy: { days: 14, enabledAt: Date.parse("2026-12-04T09:30:00Z") } });
        withHistory(azure);
        const { deps } = dependencies(azure);
        await assert.rejects(restoreBlobRanges(request(azure), deps), /Azure answered 400 InvalidTimeToRestore: timeToRestore 2026-12-04T09:00:00Z is before the earliest restore point/);
    });

    it("fails a restore whose range includes blobs in a deleted container, naming it, and restores once the container is back", async () => {
        const azure = await emulator();
        withHistory(azure);
        azure.deleteContainer("files-hr");
        const { deps } = dependencies(azure);
        await assert.rejects(restoreBlobRanges(request(azure), deps), /ended Failed: Container files-hr was deleted/);
        assert.equal(azure.blob("files-crm/invoice-1"), "invoice 1 corrupted", "nothing of the failed restore was applied");
        azure.undeleteContainer("files-hr");
        await restoreBlobRanges(request(azure), deps);
        assert.deepEqual([azure.blob("files-crm/invoice-1"), azure.blob("files-hr/contract-7")], ["invoice 1 as issued", "contract 7"]);
    });

    it("asks again after throttling, a server error and a lost connection: after Retry-After when Azure names it, else after a doubling pause", async () => {
        const azure = await emulator();
        withHistory(azure);
        azure.failNext({ status: 429, retryAfter: "7" }, { status: 503 }, "connectionLost");
        const { deps, sleeps, logs } = dependencies(azure);
        const status = await restoreBlobRanges(request(azure), deps);
        assert.equal(status.status, "Complete");
        assert.equal(azure.blob("files-crm/invoice-1"), "invoice 1 as issued");
        // Three failed reads of the status, then the read, the request and two polls of the Location.
        assert.deepEqual(azure.requests.map((recorded) => recorded.method), ["GET", "GET", "GET", "GET", "POST", "GET", "GET"]);
        assert.deepEqual(sleeps, [7_000, 4_000, 8_000, 17_000, 17_000]);
        assert.match(logs[0] ?? "", /Azure answered 429; trying again in 7 s \(try 2 of 8\)/);
    });

    it("does not ask for a restore twice when Azure took it and the answer was lost: it finds it in progress and waits for it", async () => {
        const azure = await emulator({ pollsBeforeDone: 3 });
        withHistory(azure);
        azure.failNextRestoreRequests("answerLost");
        const { deps, logs } = dependencies(azure);
        const status = await restoreBlobRanges(request(azure), deps);
        assert.equal(status.status, "Complete");
        assert.equal(azure.requests.filter((recorded) => recorded.method === "POST").length, 1);
        assert.match(logs.join("\n"), /reading the account's restore status again in 2 s[^]*in progress .*waiting for it/);
        assert.equal(azure.blob("files-crm/invoice-1"), "invoice 1 as issued");
    });

    it(`gives up after ${maxAttempts} transient answers to one request, naming the last, and after 24 hours of polling`, async () => {
        const azure = await emulator();
        withHistory(azure);
        azure.failNext(...Array.from({ length: maxAttempts }, () => ({ status: 503 as const })));
        const { deps } = dependencies(azure);
        await assert.rejects(restoreBlobRanges(request(azure), deps), new RegExp(`Azure answered 503, ${maxAttempts} times; giving up`));
        const slow = await emulator({ pollsBeforeDone: 1000, retryAfterSeconds: 3600 });
        withHistory(slow);
        const { deps: slowDeps, sleeps } = dependencies(slow);
        await assert.rejects(restoreBlobRanges(request(slow), slowDeps), /still not done after 24 hours of waiting; run again/);
        assert.equal(sleeps.reduce((sum, pause) => sum + pause, 0), 24 * 3_600_000);
    });

    it("restores more than ten containers in consecutive requests of at most ten", async () => {
        const azure = await emulator();
        const containers = Array.from({ length: 12 }, (_, index) => `files-app${index}`);
        azure.now = Date.parse("2026-12-04T08:00:00Z");
        containers.forEach((container) => azure.putBlob(`${container}/a`, "before"));
        azure.now += 2 * hour;
        containers.forEach((container) => azure.putBlob(`${container}/a`, "after"));
        azure.now += hour;
        const { deps } = dependencies(azure);
        const outs = await restoreFiles({ endpoint: azure.endpoint, accountId: azure.accountId, timeToRestore: pointInTime, blobRanges: blobRestoreRanges(containers) }, deps);
        const posts = azure.requests.filter((recorded) => recorded.method === "POST").map((recorded) => (recorded.body as { blobRanges: unknown[] }).blobRanges.length);
        assert.deepEqual(posts, [10, 2]);
        assert.equal(outs.restoreIds.length, 2);
        assert.ok(containers.every((container) => azure.blob(`${container}/a`) === "before"));
    });
});

describe("the emulator of Restore Blob Ranges", () => {
    const post = async (azure: StorageRestoreEmulator, body: unknown, query = "api-version=2024-01-01", token = azure.token) =>
        fetch(`${azure.endpoint}${azure.accountId}/restoreBlobRanges?${query}`, {
            method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body: JSON.stringify(body),
        });
    const valid = { timeToRestore: "2026-12-04T09:00:00Z", blobRanges: [{ startRange: "files-crm", endRange: "files-crm0" }] };

    it("is as strict as the spec: api-version, bearer token, body shape, UTC time, ranges, window", async () => {
        const azure = await emulator();
        assert.equal((await post(azure, valid, "api-version=2017-01-01")).status, 400);
        assert.equal((await post(azure, valid, "api-version=2024-01-01", "wrong")).status, 401);
        assert.equal((await post(azure, { ...valid, extra: 1 })).status, 400);
        assert.equal((await post(azure, { ...valid, timeToRestore: "2026-12-04T10:00:00+01:00" })).status, 400);
        assert.equal((await post(azure, { timeToRestore: valid.timeToRestore })).status, 400);
        assert.equal((await post(azure, { ...valid, blobRanges: [{ startRange: "ab", endRange: "ab0" }] })).status, 400);
        assert.equal((await post(azure, { ...valid, blobRanges: Array.from({ length: 11 }, () => valid.blobRanges[0]) })).status, 400);
        assert.equal((await post(azure, { ...valid, timeToRestore: "2026-12-05T09:00:00Z" })).status, 400, "in the future");
        assert.equal((await post(azure, { ...valid, timeToRestore: "2026-11-01T09:00:00Z" })).status, 400, "before the window");
        assert.equal((await post(azure, valid)).status, 202);
        assert.equal((await post(azure, valid)).status, 409, "one restore at a time");
    });

    it("blocks the apps' reads and writes of the ranges while a restore runs", async () => {
        const azure = await emulator({ pollsBeforeDone: 5 });
        withHistory(azure);
        assert.equal((await post(azure, valid)).status, 202);
        assert.throws(() => azure.putBlob("files-crm/new", "x"), /being restored/);
        assert.equal(azure.blob("files-hr/contract-7"), undefined, "another container stays usable");
    });
});
