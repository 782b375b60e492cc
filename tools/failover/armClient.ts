import {
    bearerTokenAuthenticationPolicy, createDefaultHttpClient, createHttpHeaders, createPipelineFromOptions, createPipelineRequest, HttpClient, HttpMethods, Pipeline,
} from "@azure/core-rest-pipeline";
import type { TokenCredential } from "@azure/identity";

/**
 * Azure Resource Manager over the Azure SDK for JavaScript's HTTP pipeline (`@azure/core-rest-pipeline`:
 * bearer tokens from the operator's `@azure/identity` credential, retries of transient failures), with
 * what a failover needs on top: every request bounded in time, and long-running operations followed
 * as ARM documents them ("Track asynchronous Azure operations", MicrosoftDocs/azure-docs
 * `articles/azure-resource-manager/management/async-operations.md`): a 201 or 202 gives an
 * `Azure-AsyncOperation` URL (a status document: InProgress, then Succeeded, Failed or Canceled) or
 * else a `Location` URL (202 while running, then 200 or 204), and `Retry-After` seconds between polls.
 */

export const armEndpoint = "https://management.azure.com";
const armScope = `${armEndpoint}/.default`;

export interface ArmClientOptions {
    readonly credential: TokenCredential;
    /** The transport; Node's by default. Tests put an emulator of Azure here. */
    readonly httpClient?: HttpClient;
    /** The longest one request may take before it counts as no answer. */
    readonly requestTimeoutMs: number;
    /** The pipeline's retries of a failed request (a connection refused or reset, a 5xx, a 429). */
    readonly maxRetries: number;
    readonly retryDelayMs: number;
    /** Between polls of an operation when Azure gives no Retry-After; and the most a Retry-After is honoured. */
    readonly pollIntervalMs: number;
}

export interface ArmResponse {
    readonly status: number;
    readonly headers: Readonly<Record<string, string>>;
    readonly body: unknown;
}

/** ARM answered with an error status, or not at all within the time allowed. */
export class ArmError extends Error {
    constructor(message: string, readonly status: number | undefined, readonly code: string | undefined) {
        super(message);
        this.name = "ArmError";
    }
}

export class ArmClient {
    private readonly pipeline: Pipeline;
    private readonly httpClient: HttpClient;

    constructor(private readonly options: ArmClientOptions) {
        this.pipeline = createPipelineFromOptions({
            retryOptions: { maxRetries: options.maxRetries, retryDelayInMs: options.retryDelayMs, maxRetryDelayInMs: options.retryDelayMs * 4 },
            userAgentOptions: { userAgentPrefix: "mendix-azure-ha-failover" },
        });
        this.pipeline.addPolicy(bearerTokenAuthenticationPolicy({ credential: options.credential, scopes: armScope }));
        this.httpClient = options.httpClient ?? createDefaultHttpClient();
    }

    /** One request (with the pipeline's retries) to an ARM path (`/subscriptions/...`) or a full URL Azure gave for polling. */
    async request(method: HttpMethods, pathOrUrl: string, apiVersion: string | undefined, body?: unknown, query: Readonly<Record<string, string>> = {}): Promise<ArmResponse> {
        const url = new URL(pathOrUrl.startsWith("https://") ? pathOrUrl : `${armEndpoint}${pathOrUrl}`);
        if (apiVersion !== undefined) {
            url.searchParams.set("api-version", apiVersion);
        }
        for (const [key, value] of Object.entries(query)) {
            url.searchParams.set(key, value);
        }
        const request = createPipelineRequest({
            url: url.toString(),
            method,
            timeout: this.options.requestTimeoutMs,
            abortSignal: AbortSignal.timeout(this.options.requestTimeoutMs * (this.options.maxRetries + 1) + this.options.retryDelayMs * 8),
            headers: createHttpHeaders({ accept: "application/json", ...(body === undefined ? {} : { "content-type": "application/json" }) }),
            body: body === undefined ? undefined : JSON.stringify(body),
        });
        let response;
        try {
            response = await this.pipeline.sendRequest(this.httpClient, request);
        } catch (error) {
            const code = (error as { code?: string }).code;
            const aborted = (error as { name?: string }).name === "AbortError";
            throw new ArmError(`${method} ${url.pathname}: no answer (${aborted ? "timed out" : code ?? (error as Error).message})`, undefined, aborted ? "Timeout" : code);
        }
        const text = response.bodyAsText ?? "";
        const parsed: unknown = text === "" ? undefined : JSON.parse(text);
        const headers = response.headers.toJSON();
        if (response.status >= 400) {
            const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
            throw new ArmError(`${method} ${url.pathname}: ${response.status} ${error?.code ?? ""} ${error?.message ?? ""}`.trim(), response.status, error?.code);
        }
        return { status: response.status, headers, body: parsed };
    }

    /**
     * Starts an operation and, when `waitMs` is given, follows it until it ends or that time runs out
     * (then says so rather than waits on). Returns the final answer, or the acceptance alone.
     */
    async operation(method: HttpMethods, path: string, apiVersion: string, body: unknown, waitMs: number | undefined, query: Readonly<Record<string, string>> = {}): Promise<{ done: boolean; response: ArmResponse }> {
        const first = await this.request(method, path, apiVersion, body, query);
        if (first.status !== 201 && first.status !== 202) {
            return { done: true, response: first };
        }
        if (waitMs === undefined) {
            return { done: false, response: first };
        }
        const deadline = Date.now() + waitMs;
        const asyncOperation = first.headers["azure-asyncoperation"];
        const location = first.headers["location"];
        if (asyncOperation === undefined && location === undefined) {
            throw new ArmError(`${method} ${path}: ${first.status} without Azure-AsyncOperation or Location to follow`, first.status, undefined);
        }
        let retryAfter = first.headers["retry-after"];
        while (Date.now() < deadline) {
            await delay(Math.min(this.options.pollIntervalMs, retryAfter === undefined ? this.options.pollIntervalMs : Number(retryAfter) * 1000), deadline);
            if (asyncOperation !== undefined) {
                const poll = await this.request("GET", asyncOperation, undefined);
                const status = (poll.body as { status?: string } | undefined)?.status;
                if (status === "Succeeded") {
                    return { done: true, response: location === undefined ? poll : await this.request("GET", location, undefined) };
                }
                if (status === "Failed" || status === "Canceled") {
                    const error = (poll.body as { error?: { code?: string; message?: string } }).error;
                    throw new ArmError(`${method} ${path}: the operation ${status}: ${error?.code ?? ""} ${error?.message ?? ""}`.trim(), poll.status, error?.code);
                }
                retryAfter = poll.headers["retry-after"];
            } else {
                const poll = await this.request("GET", location ?? "", undefined);
                if (poll.status !== 202) {
                    return { done: true, response: poll };
                }
                retryAfter = poll.headers["retry-after"];
            }
        }
        return { done: false, response: first };
    }

    /** Asks `check` every poll interval until it says true or `waitMs` runs out; whether it did. */
    async waitFor(check: () => Promise<boolean>, waitMs: number): Promise<boolean> {
        const deadline = Date.now() + waitMs;
        for (;;) {
            if (await check()) {
                return true;
            }
            if (Date.now() >= deadline) {
                return false;
            }
            await delay(this.options.pollIntervalMs, deadline);
        }
    }
}

function delay(ms: number, deadline: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(ms, deadline - Date.now()))));
}
