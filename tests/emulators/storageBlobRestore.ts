import { randomUUID } from "node:crypto";
import * as http from "node:http";
import { AddressInfo } from "node:net";

/**
 * Azure Resource Manager's side of point-in-time restore of block blobs, for one storage account,
 * over real HTTP. Written from:
 * - the REST spec (`Azure/azure-rest-api-specs`, Microsoft.Storage stable/2024-01-01 `storage.json`:
 *   `POST .../storageAccounts/{accountName}/restoreBlobRanges`, body `BlobRestoreParameters`
 *   `{ timeToRestore (date-time, required), blobRanges (required): [{ startRange, endRange }] }`, answers
 *   200 or 202 with a `BlobRestoreStatus` `{ status: InProgress | Complete | Failed, failureReason,
 *   restoreId, parameters }`, `x-ms-long-running-operation` with `final-state-via: location`; example
 *   `BlobRangesRestore.json`, whose 202 names a `location` under `.../locations/{region}/operationResults/{id}`
 *   with an api-version of its own; `GET` of an account with `$expand=blobRestoreStatus`);
 * - Microsoft Learn, "Track asynchronous Azure operations": `Location` answers 202 while the operation
 *   runs and 200 with the result once done; `Azure-AsyncOperation`, when given, answers
 *   `{ status: InProgress | Succeeded | Failed | Canceled, error }`; both come with `Retry-After`;
 * - Microsoft Learn, "Point-in-time restore for block blobs" and "Perform a point-in-time restore on
 *   block blob data": UTC restore points; ranges with an inclusive start, an exclusive end, at most
 *   ten, container patterns of at least three characters; no restore before the retention window or
 *   before point-in-time restore was turned on; one restore of an account at a time; the restore is
 *   atomic (a blob with an active lease that changed since the restore point fails the whole
 *   operation); data operations on the ranges are blocked while it runs; a container deleted
 *   during the retention period is not restored, and "if you attempt to restore a range of blobs
 *   that includes blobs in a deleted container, the point-in-time restore operation fails"
 *   (Limitations and known issues);
 * - Microsoft Learn, "Throttling Resource Manager requests" and "Retry guidance for Azure services":
 *   Azure Resource Manager answers 429 with `Retry-After` when a client is throttled, and any request
 *   may meet a transient 408 or 5xx, or lose its connection (`failNext`).
 * Error codes and messages are not documented for these refusals: the emulator's own are used, in
 * ARM's error shape `{ error: { code, message } }`, and the client relies on the status alone.
 */

/** Stable api-versions of Microsoft.Storage whose REST spec holds Restore Blob Ranges. */
export const restoreApiVersions = [
    "2019-06-01", "2021-01-01", "2021-02-01", "2021-04-01", "2021-06-01", "2021-08-01", "2021-09-01",
    "2022-05-01", "2022-09-01", "2023-01-01", "2023-04-01", "2023-05-01", "2024-01-01", "2025-01-01",
];

/** The api-version the spec's example 202 puts in its Location, which differs from the request's: a client must follow the URL as given. */
const operationApiVersion = "2022-09-01";

const dayMs = 24 * 60 * 60 * 1000;

interface Version {
    readonly at: number;
    /** Undefined: the blob was deleted. */
    readonly content: string | undefined;
}

interface Range {
    readonly startRange: string;
    readonly endRange: string;
}

interface Operation {
    readonly id: string;
    readonly parameters: { readonly timeToRestore: string; readonly blobRanges: readonly Range[] };
    status: "InProgress" | "Complete" | "Failed";
    failureReason?: string;
    pollsLeft: number;
}

export interface EmulatorOptions {
    /** The bearer token a request must carry. */
    readonly token?: string;
    /** The instant the emulator starts at (ms); its clock moves only when a test moves it. */
    readonly now?: number;
    /** `restorePolicy`: days, and when it was turned on (ms); undefined: point-in-time restore is off. */
    readonly restorePolicy?: { readonly days: number; readonly enabledAt: number };
    /** Polls that still find a restore in progress before it ends. */
    readonly pollsBeforeDone?: number;
    /** Also answer a 202 with `Azure-AsyncOperation`, as many operations do. */
    readonly asyncOperationHeader?: boolean;
    /**
     * How `Azure-AsyncOperation` reports a restore that failed, which no document says: as an
     * operation that ran to its end (`Succeeded`, the restore's own status saying Failed), or as a
     * failed operation carrying the failure reason in `error`.
     */
    readonly failedRestoreAs?: "restoreStatus" | "failedOperation";
    readonly retryAfterSeconds?: number;
}

/**
 * A transient failure of the next request: an answer with that status (and `Retry-After`), the
 * connection dropped before Azure saw the request, or Azure's answer lost after it acted on it.
 */
export type TransientFailure =
    | { readonly status: 408 | 429 | 500 | 502 | 503 | 504; readonly retryAfter?: string }
    | "connectionLost"
    | "answerLost";

export interface RecordedRequest {
    readonly method: string;
    readonly url: string;
    readonly authorization: string | undefined;
    readonly body: unknown;
}

class Refusal extends Error {
    constructor(readonly status: number, readonly code: string, message: string) {
        super(message);
    }
}

const subscription = "00000000-0000-4000-8000-000000000001";

export class StorageRestoreEmulator {
    readonly requests: RecordedRequest[] = [];
    readonly accountId: string;
    now: number;
    private readonly blobs = new Map<string, Version[]>();
    private readonly leases = new Set<string>();
    private readonly deletedContainers = new Set<string>();
    private readonly failures: TransientFailure[] = [];
    private readonly restoreRequestFailures: TransientFailure[] = [];
    private readonly operations = new Map<string, Operation>();
    private latest: Operation | undefined;
    private server: http.Server | undefined;
    private base = "";

    private constructor(private readonly options: EmulatorOptions, readonly location = "westeurope") {
        this.now = options.now ?? Date.parse("2026-12-04T12:00:00Z");
        this.accountId = `/subscriptions/${subscription}/resourceGroups/rg-mx-prod/providers/Microsoft.Storage/storageAccounts/mxprodk3x9q2`;
    }

    static async start(options: EmulatorOptions = {}): Promise<StorageRestoreEmulator> {
        const emulator = new StorageRestoreEmulator(options);
        const server = http.createServer((request, response) => void emulator.handle(request, response));
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        emulator.server = server;
        emulator.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        return emulator;
    }

    /** What a client names as Azure Resource Manager's endpoint. */
    get endpoint(): string {
        return this.base;
    }

    get token(): string {
        return this.options.token ?? "emulator-token";
    }

    async close(): Promise<void> {
        await new Promise<void>((resolve, reject) => this.server?.close((error) => (error ? reject(error) : resolve())));
    }

    // --- the data plane, as the apps would use it -------------------------------------------------

    /** Writes a block blob (`container/name`) now, as a new version. */
    putBlob(path: string, content: string): void {
        this.refuseWhileRestoring(path);
        this.refuseInDeletedContainer(path);
        this.versions(path).push({ at: this.now, content });
    }

    deleteBlob(path: string): void {
        this.refuseWhileRestoring(path);
        this.refuseInDeletedContainer(path);
        this.versions(path).push({ at: this.now, content: undefined });
    }

    /** Deletes a container (soft delete keeps it restorable with `undeleteContainer`): its blobs are gone until then. */
    deleteContainer(container: string): void {
        this.deletedContainers.add(container);
    }

    undeleteContainer(container: string): void {
        this.deletedContainers.delete(container);
    }

    /** Answers the next requests, one each, with these failures before answering as Azure would. */
    failNext(...failures: TransientFailure[]): void {
        this.failures.push(...failures);
    }

    /** Answers the next Restore Blob Ranges requests (the POSTs alone), one each, with these failures. */
    failNextRestoreRequests(...failures: TransientFailure[]): void {
        this.restoreRequestFailures.push(...failures);
    }

    lease(path: string): void {
        this.leases.add(path);
    }

    breakLease(path: string): void {
        this.leases.delete(path);
    }

    /** The blob's current content; undefined when it does not exist. */
    blob(path: string): string | undefined {
        this.refuseWhileRestoring(path);
        if (this.deletedContainers.has(containerOf(path))) {
            return undefined;
        }
        const versions = this.versions(path);
        return versions[versions.length - 1]?.content;
    }

    /** Every blob that exists now, by path. */
    contents(): Record<string, string> {
        return Object.fromEntries([...this.blobs.keys()].sort().flatMap((path) => {
            const content = this.blob(path);
            return content === undefined ? [] : [[path, content]];
        }));
    }

    advance(milliseconds: number): void {
        this.now += milliseconds;
    }

    private versions(path: string): Version[] {
        const existing = this.blobs.get(path);
        if (existing !== undefined) {
            return existing;
        }
        const created: Version[] = [];
        this.blobs.set(path, created);
        return created;
    }

    private refuseInDeletedContainer(path: string): void {
        if (this.deletedContainers.has(containerOf(path))) {
            throw new Error(`404 ContainerNotFound: the container of ${path} was deleted`);
        }
    }

    private refuseWhileRestoring(path: string): void {
        if (this.latest?.status === "InProgress" && this.latest.parameters.blobRanges.some((range) => inRange(path, range))) {
            throw new Error(`409 OperationNotAllowed: ${path} is being restored; data operations on the ranges restored are blocked`);
        }
    }

    // --- Azure Resource Manager ---------------------------------------------------------------------

    private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
        const chunks: Buffer[] = [];
        for await (const chunk of request) {
            chunks.push(chunk as Buffer);
        }
        const text = Buffer.concat(chunks).toString("utf8");
        let body: unknown;
        try {
            body = text === "" ? undefined : JSON.parse(text);
        } catch {
            body = text;
        }
        this.requests.push({ method: request.method ?? "", url: request.url ?? "", authorization: request.headers.authorization, body });
        const failure = request.method === "POST" && this.restoreRequestFailures.length > 0 ? this.restoreRequestFailures.shift() : this.failures.shift();
        if (failure === "connectionLost") {
            request.socket.destroy();
            return;
        }
        if (failure !== undefined && failure !== "answerLost") {
            response.writeHead(failure.status, {
                "Content-Type": "application/json; charset=utf-8",
                ...(failure.retryAfter === undefined ? {} : { "Retry-After": failure.retryAfter }),
            });
            response.end(JSON.stringify({ error: { code: failure.status === 429 ? "TooManyRequests" : "ServerBusy", message: `a transient ${failure.status} the test asked for` } }));
            return;
        }
        try {
            const answer = this.route(request, body, text);
            if (failure === "answerLost") {
                request.socket.destroy();
                return;
            }
            response.writeHead(answer.status, { "Content-Type": "application/json; charset=utf-8", ...answer.headers });
            response.end(answer.body === undefined ? "" : JSON.stringify(answer.body));
        } catch (error) {
            const refusal = error instanceof Refusal ? error : new Refusal(500, "InternalError", String(error));
            response.writeHead(refusal.status, { "Content-Type": "application/json; charset=utf-8" });
            response.end(JSON.stringify({ error: { code: refusal.code, message: refusal.message } }));
        }
    }

    private route(request: http.IncomingMessage, body: unknown, text: string): { status: number; headers?: Record<string, string>; body?: unknown } {
        if (request.headers.authorization !== `Bearer ${this.token}`) {
            throw new Refusal(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing or is not a valid bearer token.");
        }
        const url = new URL(request.url ?? "/", this.base);
        const apiVersion = url.searchParams.get("api-version");
        const operation = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Storage\/locations\/[^/]+\/(operationResults|asyncoperations)\/([^/]+)$/.exec(url.pathname);
        if (operation !== null && request.method === "GET") {
            if (apiVersion !== operationApiVersion) {
                throw new Refusal(400, "InvalidApiVersionParameter", `The operation URL carries api-version ${operationApiVersion}; got ${String(apiVersion)}. Follow the URL Azure gave.`);
            }
            return operation[1] === "operationResults" ? this.pollLocation(operation[2] ?? "") : this.pollAsyncOperation(operation[2] ?? "");
        }
        if (apiVersion === null || !restoreApiVersions.includes(apiVersion)) {
            throw new Refusal(400, "InvalidApiVersionParameter", `The api-version '${String(apiVersion)}' is invalid. The supported versions are '${restoreApiVersions.join(",")}'.`);
        }
        if (request.method === "GET" && url.pathname === this.accountId) {
            const expand = url.searchParams.get("$expand");
            if (expand !== null && expand !== "blobRestoreStatus" && expand !== "geoReplicationStats") {
                throw new Refusal(400, "InvalidQueryParameterValue", `$expand must be blobRestoreStatus or geoReplicationStats; got ${expand}`);
            }
            this.advanceLatest();
            return { status: 200, body: this.account(expand === "blobRestoreStatus") };
        }
        if (request.method === "POST" && url.pathname === `${this.accountId}/restoreBlobRanges`) {
            if (!(request.headers["content-type"] ?? "").startsWith("application/json")) {
                throw new Refusal(415, "UnsupportedMediaType", "The request body must be application/json.");
            }
            return this.restore(body, text);
        }
        throw new Refusal(404, "ResourceNotFound", `${request.method ?? ""} ${url.pathname} is not a route of this account`);
    }

    private account(withRestoreStatus: boolean): Record<string, unknown> {
        return {
            id: this.accountId,
            name: this.accountId.split("/").pop(),
            type: "Microsoft.Storage/storageAccounts",
            location: this.location,
            kind: "StorageV2",
            properties: {
                provisioningState: "Succeeded",
                ...(withRestoreStatus && this.latest !== undefined ? { blobRestoreStatus: this.status(this.latest) } : {}),
            },
        };
    }

    private status(operation: Operation): Record<string, unknown> {
        return {
            status: operation.status,
            restoreId: operation.id,
            parameters: operation.parameters,
            ...(operation.failureReason === undefined ? {} : { failureReason: operation.failureReason }),
        };
    }

    /** The earliest instant a restore may go back to now: the window's start, or a few minutes after the policy was turned on. */
    earliestRestorePoint(): number {
        const policy = this.options.restorePolicy;
        if (policy === undefined) {
            throw new Error("point-in-time restore is off");
        }
        return Math.max(this.now - policy.days * dayMs, policy.enabledAt + 5 * 60 * 1000);
    }

    private restore(body: unknown, text: string): { status: number; headers: Record<string, string>; body: unknown } {
        const parameters = validatedParameters(body, text);
        const policy = this.options.restorePolicy;
        if (policy === undefined) {
            throw new Refusal(409, "FeatureNotEnabled", "Point-in-time restore is not enabled on this account: it needs blob soft delete, change feed, versioning and a restore policy.");
        }
        const time = Date.parse(parameters.timeToRestore);
        if (time > this.now) {
            throw new Refusal(400, "InvalidTimeToRestore", `timeToRestore ${parameters.timeToRestore} is in the future.`);
        }
        if (time < this.earliestRestorePoint()) {
            throw new Refusal(400, "InvalidTimeToRestore", `timeToRestore ${parameters.timeToRestore} is before the earliest restore point ${new Date(this.earliestRestorePoint()).toISOString()}.`);
        }
        if (this.latest?.status === "InProgress") {
            throw new Refusal(409, "ConflictingOperationInProgress", `Restore ${this.latest.id} is in progress; only one restore of an account runs at a time.`);
        }
        const operation: Operation = { id: randomUUID(), parameters, status: "InProgress", pollsLeft: this.options.pollsBeforeDone ?? 2 };
        this.operations.set(operation.id, operation);
        this.latest = operation;
        const locations = `${this.base}/subscriptions/${subscription}/resourceGroups/rg-mx-prod/providers/Microsoft.Storage/locations/${this.location}`;
        return {
            status: 202,
            headers: {
                Location: `${locations}/operationResults/${operation.id}?api-version=${operationApiVersion}`,
                "Retry-After": String(this.options.retryAfterSeconds ?? 17),
                ...(this.options.asyncOperationHeader === true
                    ? { "Azure-AsyncOperation": `${locations}/asyncoperations/${operation.id}?monitor=true&api-version=${operationApiVersion}` }
                    : {}),
            },
            body: this.status(operation),
        };
    }

    private operation(id: string): Operation {
        const operation = this.operations.get(id);
        if (operation === undefined) {
            throw new Refusal(404, "OperationNotFound", `No operation ${id}.`);
        }
        return operation;
    }

    private pollLocation(id: string): { status: number; headers?: Record<string, string>; body?: unknown } {
        const operation = this.advance1(this.operation(id));
        return operation.status === "InProgress"
            ? { status: 202, headers: { "Retry-After": String(this.options.retryAfterSeconds ?? 17) } }
            : { status: 200, body: this.status(operation) };
    }

    private pollAsyncOperation(id: string): { status: number; headers?: Record<string, string>; body: unknown } {
        const operation = this.advance1(this.operation(id));
        if (operation.status === "InProgress") {
            return { status: 200, headers: { "Retry-After": String(this.options.retryAfterSeconds ?? 17) }, body: { id, name: id, status: "InProgress" } };
        }
        const failedOperation = operation.status === "Failed" && this.options.failedRestoreAs === "failedOperation";
        return {
            status: 200,
            body: failedOperation
                ? { id, name: id, status: "Failed", error: { code: "BlobRestoreFailed", message: operation.failureReason } }
                : { id, name: id, status: "Succeeded" },
        };
    }

    private advanceLatest(): void {
        if (this.latest?.status === "InProgress") {
            this.advance1(this.latest);
        }
    }

    /** One poll's worth of progress; at the end, the restore applies atomically or fails. */
    private advance1(operation: Operation): Operation {
        if (operation.status !== "InProgress") {
            return operation;
        }
        operation.pollsLeft -= 1;
        if (operation.pollsLeft > 0) {
            return operation;
        }
        const time = Date.parse(operation.parameters.timeToRestore);
        const changes = [...this.blobs.entries()]
            .filter(([path]) => operation.parameters.blobRanges.some((range) => inRange(path, range)))
            .flatMap(([path, versions]) => {
                const target = [...versions].reverse().find((version) => version.at <= time)?.content;
                const current = versions[versions.length - 1]?.content;
                return target === current ? [] : [{ path, versions, target }];
            });
        const inDeletedContainer = [...this.blobs.keys()].find((path) => this.deletedContainers.has(containerOf(path))
            && operation.parameters.blobRanges.some((range) => inRange(path, range)));
        if (inDeletedContainer !== undefined) {
            operation.status = "Failed";
            operation.failureReason = `Container ${containerOf(inDeletedContainer)} was deleted; a range that includes blobs in a deleted container cannot be restored. Restore the container first.`;
            return operation;
        }
        const leased = changes.find((change) => this.leases.has(change.path));
        if (leased !== undefined) {
            operation.status = "Failed";
            operation.failureReason = `Blob ${leased.path} has an active lease and has changed since ${operation.parameters.timeToRestore}; break the lease and restore again.`;
            return operation;
        }
        for (const change of changes) {
            change.versions.push({ at: this.now, content: change.target });
        }
        operation.status = "Complete";
        return operation;
    }
}

function containerOf(path: string): string {
    return path.split("/")[0] ?? path;
}

function inRange(path: string, range: Range): boolean {
    return path >= range.startRange && (range.endRange === "" || path < range.endRange);
}

const utcDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?Z$/;

function validatedParameters(body: unknown, text: string): Operation["parameters"] {
    const refuse = (message: string) => new Refusal(400, "InvalidRequestBody", message);
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
        throw refuse(`The request body must be a BlobRestoreParameters object; got ${text.slice(0, 80)}`);
    }
    const record = body as Record<string, unknown>;
    const unknown = Object.keys(record).filter((key) => key !== "timeToRestore" && key !== "blobRanges");
    if (unknown.length > 0) {
        throw refuse(`BlobRestoreParameters has no property ${unknown.join(", ")}.`);
    }
    const time = record["timeToRestore"];
    if (typeof time !== "string" || !utcDateTime.test(time) || Number.isNaN(Date.parse(time))) {
        throw refuse(`timeToRestore is required: a UTC date-time such as 2019-04-20T15:30:00.0000000Z; got ${JSON.stringify(time ?? null)}.`);
    }
    const ranges = record["blobRanges"];
    if (!Array.isArray(ranges) || ranges.length === 0 || ranges.length > 10) {
        throw refuse(`blobRanges is required: one to ten ranges; got ${JSON.stringify(ranges ?? null)}.`);
    }
    const checked = ranges.map((range: unknown, index): Range => {
        const item = (typeof range === "object" && range !== null ? range : {}) as Record<string, unknown>;
        const { startRange, endRange } = item;
        if (typeof startRange !== "string" || typeof endRange !== "string" || Object.keys(item).some((key) => key !== "startRange" && key !== "endRange")) {
            throw refuse(`blobRanges[${index}] must be { startRange, endRange }, both strings.`);
        }
        for (const pattern of [startRange, endRange].filter((value) => value !== "")) {
            if ((pattern.split("/")[0] ?? "").length < 3) {
                throw refuse(`blobRanges[${index}]: the container pattern of ${pattern} has fewer than three characters.`);
            }
        }
        if (endRange !== "" && startRange >= endRange) {
            throw refuse(`blobRanges[${index}]: startRange ${startRange} is not before endRange ${endRange}.`);
        }
        return { startRange, endRange };
    });
    return { timeToRestore: time, blobRanges: checked };
}
