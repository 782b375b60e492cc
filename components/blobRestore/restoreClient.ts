import type { BlobRestoreRange } from "../plan/blobRestoreRanges";

/**
 * Restores block blobs of a storage account to an instant through Azure Resource Manager's Restore
 * Blob Ranges, and waits for the outcome. Written from the REST reference and the storage spec
 * (`Azure/azure-rest-api-specs`, Microsoft.Storage stable/2024-01-01 `storage.json`,
 * `StorageAccounts_RestoreBlobRanges`, example `BlobRangesRestore.json`), Microsoft Learn's
 * "Track asynchronous Azure operations", and "Point-in-time restore for block blobs":
 * - `POST {account}/restoreBlobRanges?api-version=...` with `{ timeToRestore, blobRanges: [{ startRange, endRange }] }`
 *   answers 200 with the final `BlobRestoreStatus`, or 202 with one (`status: InProgress`, `restoreId`,
 *   `parameters`) and a `Location` header (`x-ms-long-running-operation`, `final-state-via: location`);
 * - a client polls `Azure-AsyncOperation` when the answer has one (its body `{ status, error }`,
 *   `Succeeded | Failed | Canceled` being final), otherwise `Location` (202 while running, 200 with the
 *   result once done), each after `Retry-After` seconds;
 * - `BlobRestoreStatus.status` is `InProgress | Complete | Failed`, with `failureReason` when failed
 *   (the spec's own example answers `Succeeded` for a completed restore: taken as complete too);
 * - the restore is atomic ("it either succeeds completely ... or it fails"), one restore of an
 *   account runs at a time, and it cannot be cancelled; `GET` of the account with
 *   `$expand=blobRestoreStatus` shows the latest one.
 * Nothing here knows Pulumi: the dynamic provider (provider.ts) serialises it into the deployment.
 */

/** The storage API version azure-native v3 manages the account with. */
export const storageApiVersion = "2024-01-01";

export interface BlobRestoreRequest {
    /** Azure Resource Manager's endpoint, `https://management.azure.com` in Azure's public cloud. */
    readonly endpoint: string;
    /** The storage account's resource id. */
    readonly accountId: string;
    /** UTC, `YYYY-MM-DDTHH:MM:SSZ`. */
    readonly timeToRestore: string;
    readonly blobRanges: readonly BlobRestoreRange[];
}

export interface BlobRestoreStatus {
    readonly status?: string;
    readonly failureReason?: string;
    readonly restoreId?: string;
    readonly parameters?: { readonly timeToRestore?: string; readonly blobRanges?: readonly BlobRestoreRange[] };
}

/** How the client reaches Azure: injected, so that tests run it against an emulator. */
export interface RestoreDependencies {
    readonly fetch: typeof fetch;
    /** A bearer token for Azure Resource Manager, asked for before every request (the credential renews it). */
    readonly token: () => Promise<string>;
    readonly sleep: (milliseconds: number) => Promise<void>;
    readonly log: (message: string) => void;
}

/** A restore Azure ran and reported failed: nothing of it was applied (the operation is atomic). */
export class BlobRestoreFailedError extends Error {
    constructor(message: string, readonly restoreId: string | undefined) {
        super(message);
        this.name = "BlobRestoreFailedError";
    }
}

/** When Azure names no `Retry-After`. */
export const defaultPollSeconds = 15;
/** Long enough for the largest restore Microsoft describes ("about two hours" for a million blobs 30 days back), many times over. */
export const maxPolls = 24 * 60 * 60 / defaultPollSeconds;

const completed = new Set(["Complete", "Succeeded"]);

type Response = Awaited<ReturnType<typeof fetch>>;

async function send(deps: RestoreDependencies, method: "GET" | "POST", url: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { Authorization: `Bearer ${await deps.token()}` };
    if (body !== undefined) {
        headers["Content-Type"] = "application/json";
    }
    return deps.fetch(url, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
}

async function json(response: Response): Promise<Record<string, unknown>> {
    const text = await response.text();
    if (text === "") {
        return {};
    }
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? parsed as Record<string, unknown> : {};
}

/** Azure's error body (`{ error: { code, message } }`) in one line. */
async function failure(what: string, response: Response): Promise<Error> {
    const body = await json(response).catch(() => ({} as Record<string, unknown>));
    const error = (body["error"] ?? {}) as { code?: unknown; message?: unknown };
    return new Error(`${what}: Azure answered ${response.status}${error.code === undefined ? "" : ` ${String(error.code)}`}` +
        `${error.message === undefined ? "" : `: ${String(error.message)}`}`);
}

function retryAfter(response: Response): number {
    const seconds = Number(response.headers.get("retry-after"));
    return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : defaultPollSeconds * 1000;
}

function withApiVersion(url: string): string {
    return `${url}${url.includes("?") ? "&" : "?"}api-version=${storageApiVersion}`;
}

function sameRestore(status: BlobRestoreStatus, request: BlobRestoreRequest, ranges: readonly BlobRestoreRange[]): boolean {
    const time = status.parameters?.timeToRestore;
    const theirs = status.parameters?.blobRanges ?? [];
    return time !== undefined && Date.parse(time) === Date.parse(request.timeToRestore)
        && theirs.length === ranges.length
        && theirs.every((range, index) => range.startRange === ranges[index]?.startRange && range.endRange === ranges[index]?.endRange);
}

/** The account's latest restore, as `GET ...?$expand=blobRestoreStatus` shows it. */
async function latestRestore(request: BlobRestoreRequest, deps: RestoreDependencies): Promise<BlobRestoreStatus | undefined> {
    const url = withApiVersion(`${request.endpoint}${request.accountId}?$expand=blobRestoreStatus`);
    const response = await send(deps, "GET", url);
    if (response.status !== 200) {
        throw await failure(`reading the restore status of ${request.accountId}`, response);
    }
    const properties = (await json(response))["properties"] as { blobRestoreStatus?: BlobRestoreStatus } | undefined;
    return properties?.blobRestoreStatus;
}

/** Polls the account until its latest restore is no longer in progress. */
async function waitForLatest(request: BlobRestoreRequest, deps: RestoreDependencies): Promise<BlobRestoreStatus> {
    for (let poll = 0; poll < maxPolls; poll++) {
        const latest = await latestRestore(request, deps);
        if (latest?.status !== "InProgress") {
            return latest ?? {};
        }
        await deps.sleep(defaultPollSeconds * 1000);
    }
    throw new Error(`the restore of ${request.accountId} was still in progress after ${maxPolls} polls`);
}

/** Follows a 202 to the restore's final status, by `Azure-AsyncOperation` if Azure named one, else by `Location`. */
async function waitForOperation(request: BlobRestoreRequest, accepted: Response, deps: RestoreDependencies): Promise<BlobRestoreStatus> {
    const asyncOperation = accepted.headers.get("azure-asyncoperation");
    const location = accepted.headers.get("location");
    let delay = retryAfter(accepted);
    if (asyncOperation !== null) {
        for (let poll = 0; ; poll++) {
            if (poll >= maxPolls) {
                throw new Error(`the restore of ${request.accountId} was still in progress after ${maxPolls} polls`);
            }
            await deps.sleep(delay);
            const response = await send(deps, "GET", asyncOperation);
            if (response.status !== 200) {
                throw await failure(`polling the restore of ${request.accountId}`, response);
            }
            const operation = await json(response);
            const status = String(operation["status"]);
            if (status === "Succeeded") {
                break;
            }
            if (status === "Failed" || status === "Canceled") {
                const error = (operation["error"] ?? {}) as { code?: unknown; message?: unknown };
                throw new BlobRestoreFailedError(`the restore of ${request.accountId} to ${request.timeToRestore} ${status.toLowerCase()}: ` +
                    `${String(error.code ?? "no code")}: ${String(error.message ?? "no message")}`, undefined);
            }
            delay = retryAfter(response);
        }
        // `final-state-via: location`: the result is where Location points; without one, on the account.
        if (location === null) {
            return waitForLatest(request, deps);
        }
        delay = 0;
    }
    if (location === null) {
        throw new Error(`Azure accepted the restore of ${request.accountId} but named neither Azure-AsyncOperation nor Location to follow it by`);
    }
    for (let poll = 0; poll < maxPolls; poll++) {
        if (delay > 0) {
            await deps.sleep(delay);
        }
        const response = await send(deps, "GET", location);
        if (response.status === 200) {
            return await json(response) as BlobRestoreStatus;
        }
        if (response.status !== 202) {
            throw await failure(`polling the restore of ${request.accountId}`, response);
        }
        delay = retryAfter(response);
    }
    throw new Error(`the restore of ${request.accountId} was still in progress after ${maxPolls} polls`);
}

function outcome(request: BlobRestoreRequest, status: BlobRestoreStatus): BlobRestoreStatus {
    if (status.status !== undefined && completed.has(status.status)) {
        return status;
    }
    throw new BlobRestoreFailedError(
        `the restore of ${request.accountId} to ${request.timeToRestore} (restore id ${status.restoreId ?? "unknown"}) ended ${status.status ?? "without a status"}: ` +
        `${status.failureReason ?? "Azure gave no failure reason"}. Azure restores atomically: nothing of it was applied`,
        status.restoreId,
    );
}

/**
 * Restores `blobRanges` (at most ten: one request) of the account to `timeToRestore`, and returns
 * Azure's final status; throws when Azure refuses it or reports it failed. When the account is
 * already restoring the same ranges to the same instant (a run stopped while it waited), it waits
 * for that restore rather than asking for another, which Azure would refuse.
 */
export async function restoreBlobRanges(request: BlobRestoreRequest, deps: RestoreDependencies): Promise<BlobRestoreStatus> {
    const ranges = request.blobRanges;
    const latest = await latestRestore(request, deps);
    if (latest?.status === "InProgress") {
        if (!sameRestore(latest, request, ranges)) {
            throw new Error(`another restore of ${request.accountId} is in progress (restore id ${latest.restoreId ?? "unknown"}, to ` +
                `${latest.parameters?.timeToRestore ?? "an unknown instant"}); Azure runs one at a time and cannot cancel it: wait until it ends, then run again`);
        }
        deps.log(`a restore of the same ranges to ${request.timeToRestore} is in progress (restore id ${latest.restoreId ?? "unknown"}); waiting for it`);
        return outcome(request, await waitForLatest(request, deps));
    }
    const body = { timeToRestore: request.timeToRestore, blobRanges: ranges.map((range) => ({ startRange: range.startRange, endRange: range.endRange })) };
    const response = await send(deps, "POST", withApiVersion(`${request.endpoint}${request.accountId}/restoreBlobRanges`), body);
    if (response.status === 200) {
        return outcome(request, await json(response) as BlobRestoreStatus);
    }
    if (response.status !== 202) {
        throw await failure(`restoring ${ranges.map((range) => range.startRange).join(", ")} of ${request.accountId} to ${request.timeToRestore}`, response);
    }
    const accepted = await json(response) as BlobRestoreStatus;
    deps.log(`Azure accepted the restore of ${ranges.map((range) => range.startRange).join(", ")} to ${request.timeToRestore} (restore id ${accepted.restoreId ?? "unknown"})`);
    return outcome(request, await waitForOperation(request, response, deps));
}
