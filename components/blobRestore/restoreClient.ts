import type { BlobRestoreRange } from "../plan/blobRestoreRanges";
import { restoreTimeoutHours } from "../plan/restoreTimeout";

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

/** The name of the error of a restore Azure ran and reported failed: nothing of it was applied (the operation is atomic). */
export const blobRestoreFailedName = "BlobRestoreFailedError";

/**
 * The error of a restore Azure ran and reported failed, with Azure's restore id. A plain Error, not
 * a subclass: Pulumi's serialisation of the provider rebuilds a class's constructor, and a
 * serialised subclass of Error loses its message (its `super(message)` sets nothing on it).
 */
export function blobRestoreFailed(message: string, restoreId: string | undefined): Error & { readonly restoreId: string | undefined } {
    return Object.assign(new Error(message), { name: blobRestoreFailedName, restoreId });
}

/** When Azure names no `Retry-After`. */
export const defaultPollSeconds = 15;
/**
 * How long the client waits, polling and backing off, before it gives up: long enough for the
 * largest restore Microsoft describes ("about two hours" for a million blobs 30 days back) many
 * times over, and as long as the stack lets a restore run (plan/restoreTimeout.ts).
 */
export const maxWaitSeconds = restoreTimeoutHours * 60 * 60;
/** Tries of one request that Azure answers with a transient failure, or that the network loses, before the client gives up. */
export const maxAttempts = 8;
/** The first pause after a transient failure; each next one doubles, up to `maxBackoffSeconds`. */
export const firstBackoffSeconds = 2;
export const maxBackoffSeconds = 60;

// Plain functions and values only at module level: Pulumi serialises this module into the
// dynamic provider, and a Set, a Map or an instance of a class loses its internal slots on the
// way (the serialised text rebuilds it as a plain object), as a subclass of Error loses its message.

/** `BlobRestoreStatus.status` of a restore that completed: `Complete`, or `Succeeded` as the spec's own example answers. */
function completedStatus(status: string | undefined): boolean {
    return status === "Complete" || status === "Succeeded";
}

/**
 * Answers worth asking again (Microsoft Learn, "Retry guidance for Azure services" and Azure Resource
 * Manager's throttling: 429 with `Retry-After`; 408 and 5xx are transient by HTTP's own definition
 * and Azure's SDKs' default retry policy).
 */
function transientStatus(status: number): boolean {
    return status === 408 || status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}

type Response = Awaited<ReturnType<typeof fetch>>;

/** Time spent waiting so far, against `maxWaitSeconds`. */
interface Waiting {
    waitedMs: number;
}

async function pause(deps: RestoreDependencies, waiting: Waiting, milliseconds: number, what: string): Promise<void> {
    if (waiting.waitedMs + milliseconds > maxWaitSeconds * 1000) {
        throw new Error(`${what}: still not done after ${maxWaitSeconds / 3600} hours of waiting; run again (a run finds a restore still in progress and waits for it)`);
    }
    waiting.waitedMs += milliseconds;
    await deps.sleep(milliseconds);
}

/** `Retry-After` in milliseconds, as seconds or an HTTP date; undefined when the answer names none. */
function retryAfterHeader(response: Response, now: number): number | undefined {
    const header = response.headers.get("retry-after");
    if (header === null || header.trim() === "") {
        return undefined;
    }
    const seconds = Number(header);
    if (Number.isFinite(seconds)) {
        return Math.max(0, seconds * 1000);
    }
    const date = Date.parse(header);
    return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function pollDelay(response: Response): number {
    const named = retryAfterHeader(response, Date.now());
    return named !== undefined && named > 0 ? named : defaultPollSeconds * 1000;
}

function backoff(attempt: number): number {
    return Math.min(firstBackoffSeconds * 2 ** attempt, maxBackoffSeconds) * 1000;
}

/** Azure's answer to one try of a request, or why the network lost it. */
type Answer = Response | { readonly lost: string };

/** What makes the answer worth asking again; undefined when it is Azure's final word. */
function transientFailure(answer: Answer): string | undefined {
    return "lost" in answer ? answer.lost : transientStatus(answer.status) ? `Azure answered ${answer.status}` : undefined;
}

/** How long to wait before the next try: `Retry-After` when Azure names it, else a doubling pause. */
function retryDelay(answer: Answer, attempt: number): number {
    return ("lost" in answer ? undefined : retryAfterHeader(answer, Date.now())) ?? backoff(attempt);
}

async function sendOnce(deps: RestoreDependencies, method: "GET" | "POST", url: string, body?: unknown): Promise<Answer> {
    const headers: Record<string, string> = { Authorization: `Bearer ${await deps.token()}` };
    if (body !== undefined) {
        headers["Content-Type"] = "application/json";
    }
    try {
        return await deps.fetch(url, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    } catch (error) {
        // fetch rejects only when no answer came: a refused or reset connection, a name that did not resolve.
        return { lost: error instanceof Error ? `${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ""}` : String(error) };
    }
}

/**
 * A request, asked again after a transient failure (a throttling or server error, a lost
 * connection), after `Retry-After` when Azure names one, else after a doubling pause; at most
 * `maxAttempts` tries.
 */
async function send(deps: RestoreDependencies, waiting: Waiting, method: "GET" | "POST", url: string, body?: unknown): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
        const answer = await sendOnce(deps, method, url, body);
        const transient = transientFailure(answer);
        if (transient === undefined) {
            return answer as Response;
        }
        const what = `${method} ${url.split("?")[0] ?? url}`;
        if (attempt + 1 >= maxAttempts) {
            throw new Error(`${what}: ${transient}, ${maxAttempts} times; giving up. Run again once Azure answers: a run finds a restore in progress and waits for it`);
        }
        const delay = retryDelay(answer, attempt);
        deps.log(`${what}: ${transient}; trying again in ${Math.round(delay / 1000)} s (try ${attempt + 2} of ${maxAttempts})`);
        await pause(deps, waiting, delay, what);
    }
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

function withApiVersion(url: string): string {
    return `${url}${url.includes("?") ? "&" : "?"}api-version=${storageApiVersion}`;
}

function sameInstant(status: BlobRestoreStatus, request: BlobRestoreRequest): boolean {
    const time = status.parameters?.timeToRestore;
    return time !== undefined && Date.parse(time) === Date.parse(request.timeToRestore);
}

function sameRestore(status: BlobRestoreStatus, request: BlobRestoreRequest): boolean {
    const ranges = request.blobRanges;
    const theirs = status.parameters?.blobRanges ?? [];
    return sameInstant(status, request)
        && theirs.length === ranges.length
        && theirs.every((range, index) => range.startRange === ranges[index]?.startRange && range.endRange === ranges[index]?.endRange);
}

/** The account's latest restore, as `GET ...?$expand=blobRestoreStatus` shows it. */
async function latestRestore(request: BlobRestoreRequest, deps: RestoreDependencies, waiting: Waiting): Promise<BlobRestoreStatus | undefined> {
    const url = withApiVersion(`${request.endpoint}${request.accountId}?$expand=blobRestoreStatus`);
    const response = await send(deps, waiting, "GET", url);
    if (response.status !== 200) {
        throw await failure(`reading the restore status of ${request.accountId}`, response);
    }
    const properties = (await json(response))["properties"] as { blobRestoreStatus?: BlobRestoreStatus } | undefined;
    return properties?.blobRestoreStatus;
}

/** Polls the account until its latest restore is no longer in progress. */
async function waitForLatest(request: BlobRestoreRequest, deps: RestoreDependencies, waiting: Waiting): Promise<BlobRestoreStatus> {
    for (;;) {
        const latest = await latestRestore(request, deps, waiting);
        if (latest?.status !== "InProgress") {
            return latest ?? {};
        }
        await pause(deps, waiting, defaultPollSeconds * 1000, `the restore of ${request.accountId}`);
    }
}

/** Follows a 202 to the restore's final status, by `Azure-AsyncOperation` if Azure named one, else by `Location`. */
async function waitForOperation(request: BlobRestoreRequest, accepted: Response, deps: RestoreDependencies, waiting: Waiting): Promise<BlobRestoreStatus> {
    const asyncOperation = accepted.headers.get("azure-asyncoperation");
    const location = accepted.headers.get("location");
    const what = `the restore of ${request.accountId}`;
    let delay = pollDelay(accepted);
    if (asyncOperation !== null) {
        for (;;) {
            await pause(deps, waiting, delay, what);
            const response = await send(deps, waiting, "GET", asyncOperation);
            if (response.status !== 200) {
                throw await failure(`polling ${what}`, response);
            }
            const operation = await json(response);
            const status = String(operation["status"]);
            if (status === "Succeeded") {
                break;
            }
            if (status === "Failed" || status === "Canceled") {
                const error = (operation["error"] ?? {}) as { code?: unknown; message?: unknown };
                throw blobRestoreFailed(`${what} to ${request.timeToRestore} ${status.toLowerCase()}: ` +
                    `${String(error.code ?? "no code")}: ${String(error.message ?? "no message")}`, undefined);
            }
            delay = pollDelay(response);
        }
        // `final-state-via: location`: the result is where Location points; without one, on the account.
        if (location === null) {
            return waitForLatest(request, deps, waiting);
        }
        delay = 0;
    }
    if (location === null) {
        throw new Error(`Azure accepted ${what} but named neither Azure-AsyncOperation nor Location to follow it by`);
    }
    for (;;) {
        if (delay > 0) {
            await pause(deps, waiting, delay, what);
        }
        const response = await send(deps, waiting, "GET", location);
        if (response.status === 200) {
            return await json(response) as BlobRestoreStatus;
        }
        if (response.status !== 202) {
            throw await failure(`polling ${what}`, response);
        }
        delay = pollDelay(response);
    }
}

function outcome(request: BlobRestoreRequest, status: BlobRestoreStatus): BlobRestoreStatus {
    if (completedStatus(status.status)) {
        return status;
    }
    throw blobRestoreFailed(
        `the restore of ${request.accountId} to ${request.timeToRestore} (restore id ${status.restoreId ?? "unknown"}) ended ${status.status ?? "without a status"}: ` +
        `${status.failureReason ?? "Azure gave no failure reason"}. Azure restores atomically: nothing of it was applied`,
        status.restoreId,
    );
}

/**
 * Restores `blobRanges` (at most ten: one request) of the account to `timeToRestore`, and returns
 * Azure's final status; throws when Azure refuses it or reports it failed. When the account is
 * already restoring the same ranges to the same instant (a run stopped while it waited, or a
 * request whose answer was lost), it waits for that restore rather than asking for another, which
 * Azure would refuse: so a request lost to a transient failure is asked again only after the
 * account's status says Azure did not take it.
 */
export async function restoreBlobRanges(request: BlobRestoreRequest, deps: RestoreDependencies): Promise<BlobRestoreStatus> {
    const ranges = request.blobRanges;
    const waiting: Waiting = { waitedMs: 0 };
    const described = `${ranges.map((range) => range.startRange).join(", ")} of ${request.accountId} to ${request.timeToRestore}`;
    for (let attempt = 0; ; attempt++) {
        const latest = await latestRestore(request, deps, waiting);
        if (latest?.status === "InProgress") {
            if (!sameRestore(latest, request) && sameInstant(latest, request)) {
                // A later request of a run cut off (more than ten containers): its ranges are this restore's too.
                deps.log(`a restore of other ranges of ${request.accountId} to ${request.timeToRestore} is in progress (restore id ${latest.restoreId ?? "unknown"}); ` +
                    "waiting for it, then asking for these");
                await waitForLatest(request, deps, waiting);
                continue;
            }
            if (!sameRestore(latest, request)) {
                throw new Error(`another restore of ${request.accountId} is in progress (restore id ${latest.restoreId ?? "unknown"}, to ` +
                    `${latest.parameters?.timeToRestore ?? "an unknown instant"}); Azure runs one at a time and cannot cancel it: wait until it ends, then run again`);
            }
            deps.log(`a restore of the same ranges to ${request.timeToRestore} is in progress (restore id ${latest.restoreId ?? "unknown"}); waiting for it`);
            return outcome(request, await waitForLatest(request, deps, waiting));
        }
        const body = { timeToRestore: request.timeToRestore, blobRanges: ranges.map((range) => ({ startRange: range.startRange, endRange: range.endRange })) };
        const answer = await sendOnce(deps, "POST", withApiVersion(`${request.endpoint}${request.accountId}/restoreBlobRanges`), body);
        const transient = transientFailure(answer);
        if (transient !== undefined) {
            if (attempt + 1 >= maxAttempts) {
                throw new Error(`restoring ${described}: ${transient}, ${maxAttempts} times; giving up. Run again once Azure answers`);
            }
            const delay = retryDelay(answer, attempt);
            deps.log(`restoring ${described}: ${transient}; reading the account's restore status again in ${Math.round(delay / 1000)} s`);
            await pause(deps, waiting, delay, `restoring ${described}`);
            continue;
        }
        const response = answer as Response;
        if (response.status === 200) {
            return outcome(request, await json(response) as BlobRestoreStatus);
        }
        if (response.status !== 202) {
            throw await failure(`restoring ${described}`, response);
        }
        const accepted = await json(response) as BlobRestoreStatus;
        deps.log(`Azure accepted the restore of ${ranges.map((range) => range.startRange).join(", ")} to ${request.timeToRestore} (restore id ${accepted.restoreId ?? "unknown"})`);
        return outcome(request, await waitForOperation(request, response, deps, waiting));
    }
}
