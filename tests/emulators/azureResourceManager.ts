import { createHttpHeaders, HttpClient, PipelineRequest, PipelineResponse, RestError } from "@azure/core-rest-pipeline";

/**
 * Azure Resource Manager as the regional failover sees it, for a stack in `primary` with a standby,
 * answering the documented requests with the documented responses, and no kinder than Azure:
 * - SQL failover groups (REST "Failover Groups - Get / Failover / Force Failover Allow Data Loss", API
 *   2023-08-01; examples FailoverGroupGet.json, FailoverGroupFailover.json in Azure/azure-rest-api-specs):
 *   the group is read on either server, each answering its own `replicationRole`; a failover is posted
 *   on the server that becomes primary (on the primary: 400 FailoverGroupNotSecondary) and answers 202
 *   with Location and Retry-After; the roles swap only when the operation ends (`operationPolls` polls
 *   later), and a planned failover ends Failed (PlannedFailoverTimedOut) when the other region does not
 *   answer; `databaseFailover: "stuck"` leaves the operation running for ever.
 * - Storage (REST "Storage Accounts - Get Properties" with `$expand=geoReplicationStats`, "Storage
 *   Accounts - Failover" with `failoverType=Planned` or without; MicrosoftDocs/azure-docs
 *   `articles/storage/common/storage-failover-customer-managed-unplanned.md` and `-planned.md`): 202, then
 *   `failoverInProgress` until the failover ends (`storageFailoverReads` reads of the account later);
 *   the account fails over to the stack region's pair whatever the standby's region; an unplanned one
 *   leaves it Standard_LRS in the pair with no geo-replication, a planned one swaps primary and secondary
 *   and keeps the SKU; a planned failover only while `canPlannedFailover`, a failover of an account that
 *   is not geo-redundant is refused. The account's `location` never moves (the resource provider does
 *   not fail over: `articles/reliability/reliability-storage-blob.md`, "Management operations").
 * - Traffic Manager (REST "Endpoints - Update", PATCH, API 2022-04-01): 200 with the endpoint; the
 *   profile's endpoints are external ones, by FQDN.
 * - Run Command (REST "Virtual Machines - Run Command", API 2024-11-01): 202 with Azure-AsyncOperation
 *   and Location; the status document says InProgress once, then Succeeded; the Location answers the
 *   `RunCommandResult` (`value`: ComponentStatus/StdOut/succeeded and StdErr). The script runs on a node
 *   as Windows PowerShell would: the failover's run-state override (running or not, until the next
 *   failover), then its top-level stop or start of each app (recorded as `stand-by`/`serve`). An
 *   app starts only when its database's failover group is primary in the node's own region (each
 *   region reaches only its own server, through its own private endpoint) and its files answer (not
 *   while the account fails over, nor in a lost region); otherwise Start-MxApp fails on StdErr.
 * - Every request needs a bearer token and an api-version, as ARM does.
 *
 * A lost region is the worst a client can meet: requests about its resources get no answer at all
 * (`silent`: the connection stays open until the client gives up) or are refused at once (`refused`:
 * ECONNREFUSED, as Node reports it). How ARM really fails during a regional outage is not documented;
 * these are the cases the failover must survive without hanging. A region, or one request, can also
 * answer with an HTTP error (`{ status, code }`): 401, 403, 404, 429, 5xx are answers, not a lost region.
 */

export interface HttpFailure {
    readonly status: number;
    readonly code: string;
}

export type RegionBehaviour = "answers" | "silent" | "refused" | HttpFailure;

export interface EmulatedStack {
    readonly subscriptionId: string;
    readonly primaryGroup: string;
    readonly standbyGroup: string;
    readonly primaryServer: string;
    readonly partnerServer: string;
    readonly failoverGroup: string;
    readonly storageAccount: string;
    readonly profile: string;
    readonly primaryVms: readonly string[];
    readonly standbyVms: readonly string[];
    /** The stack's region, the standby's, and the stack region's pair, where geo-redundant storage fails over. */
    readonly locations: { readonly primary: string; readonly standby: string; readonly pair: string };
}

export interface EmulatedNode {
    running: boolean;
    /** What a failover's run-state override last told the node; undefined: never told. */
    role: "serving" | "standing-by" | undefined;
}

export interface EmulatorState {
    primaryRegion: RegionBehaviour;
    /** How the storage account's resource provider answers (it may answer with its primary region down). */
    storage: RegionBehaviour;
    partnerRole: "Primary" | "Secondary";
    storageAccount: {
        primaryLocation: string; secondaryLocation: string | undefined; skuName: string; failoverInProgress: boolean; canPlannedFailover: boolean; lastSyncTime: string | undefined;
    };
    primaryEndpointStatus: "Enabled" | "Disabled";
    /** Polls before an accepted operation ends. */
    operationPolls: number;
    databaseFailover: "completes" | "stuck";
    /** Reads of the account before a storage failover ends (Azure: typically up to an hour). */
    storageFailoverReads: number;
    readonly nodes: Record<string, EmulatedNode>;
    /** Requests answered with an HTTP error whatever their region does, by `<METHOD> <the end of the path>`. */
    readonly failingRequests: Record<string, HttpFailure>;
    /** Every change, in order: `database failover|forceFailoverAllowDataLoss <server>`, `storage failover Planned|Unplanned`, `runCommand <vm> <steps>`, `endpoint primary Disabled`. */
    readonly changes: string[];
    /** Requests that got no answer or were refused. */
    readonly unanswered: string[];
}

export function emulatorState(stack: EmulatedStack, primaryRegion: RegionBehaviour = "answers"): EmulatorState {
    return {
        primaryRegion,
        storage: "answers",
        partnerRole: "Secondary",
        storageAccount: {
            primaryLocation: stack.locations.primary, secondaryLocation: stack.locations.pair, skuName: "Standard_GZRS", failoverInProgress: false,
            canPlannedFailover: primaryRegion === "answers", lastSyncTime: "2026-03-01T09:58:12.0000000Z",
        },
        primaryEndpointStatus: "Enabled",
        operationPolls: 2,
        databaseFailover: "completes",
        storageFailoverReads: 2,
        nodes: Object.fromEntries([
            ...stack.primaryVms.map((vm) => [vm, { running: true, role: undefined }] as const),
            ...stack.standbyVms.map((vm) => [vm, { running: false, role: undefined }] as const),
        ]),
        failingRequests: {},
        changes: [],
        unanswered: [],
    };
}

interface Reply {
    readonly status: number;
    readonly headers?: Record<string, string>;
    readonly body?: unknown;
}

const apiVersions: Readonly<Record<string, string>> = {
    "Microsoft.Sql": "2023-08-01", "Microsoft.Storage": "2024-01-01", "Microsoft.Network": "2022-04-01", "Microsoft.Compute": "2024-11-01",
};

/** What Run Command keeps of a script's output and of its errors. */
const runCommandOutputBytes = 4096;
const lastBytes = (text: string, bytes: number): string => {
    const encoded = Buffer.from(text, "utf8");
    return encoded.length <= bytes ? text : encoded.subarray(encoded.length - bytes).toString("utf8");
};

const errorReply = (failure: HttpFailure, message: string): Reply => ({ status: failure.status, body: { error: { code: failure.code, message } } });

export class ResourceManagerEmulator implements HttpClient {
    private nextOperation = 0;
    private readonly operations = new Map<string, { polls: number; result: () => Reply; stuck: boolean }>();
    private storageFailover: { planned: boolean; reads: number } | undefined;
    /** VM -> the operation of the last script Run Command was given there. */
    private readonly scriptsRunning = new Map<string, number>();

    constructor(private readonly stack: EmulatedStack, readonly state: EmulatorState) {}

    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
        const url = new URL(request.url);
        if (url.origin !== "https://management.azure.com") {
            throw new Error(`the failover asked ${url.origin}, which is not Azure Resource Manager`);
        }
        if (!/^Bearer \S+$/.test(request.headers.get("authorization") ?? "")) {
            return this.respond(request, { status: 401, body: { error: { code: "AuthenticationFailed", message: "Authentication failed. The 'Authorization' header is missing." } } });
        }
        const behaviour = this.behaviourFor(url.pathname);
        if (behaviour === "silent" || behaviour === "refused") {
            this.state.unanswered.push(`${request.method} ${url.pathname}`);
            return this.noAnswer(request, behaviour);
        }
        if (behaviour !== "answers") {
            return this.respond(request, errorReply(behaviour, `${request.method} ${url.pathname}: the region answers ${behaviour.status}.`));
        }
        const failure = Object.entries(this.state.failingRequests).find(([key]) => {
            const [method, suffix] = key.split(" ");
            return method === request.method && suffix !== undefined && url.pathname.endsWith(suffix);
        })?.[1];
        if (failure !== undefined) {
            return this.respond(request, errorReply(failure, `${request.method} ${url.pathname} failed.`));
        }
        return this.respond(request, this.route(request.method, url, request.body === undefined ? undefined : JSON.parse(String(request.body))));
    }

    private behaviourFor(path: string): RegionBehaviour {
        if (path.includes("/Microsoft.Storage/")) {
            return this.state.storage;
        }
        return path.includes(`/resourceGroups/${this.stack.primaryGroup}/`) ? this.state.primaryRegion : "answers";
    }

    private noAnswer(request: PipelineRequest, behaviour: "silent" | "refused"): Promise<PipelineResponse> {
        if (behaviour === "refused") {
            return Promise.reject(new RestError(`connect ECONNREFUSED ${new URL(request.url).host}`, { code: "ECONNREFUSED", request }));
        }
        return new Promise((_, reject) => {
            const signal = request.abortSignal;
            // An open connection keeps the process alive while it waits, as a socket that never answers does.
            const openConnection = setInterval(() => undefined, 1_000);
            const abort = () => {
                clearInterval(openConnection);
                reject(Object.assign(new Error("The operation was aborted."), { name: "AbortError" }));
            };
            if (signal === undefined) {
                // A client that sets no time limit hangs here: the failover always sets one.
                return;
            }
            if (signal.aborted) {
                abort();
            }
            signal.addEventListener("abort", abort, { once: true });
        });
    }

    private respond(request: PipelineRequest, reply: Reply): Promise<PipelineResponse> {
        return Promise.resolve({
            request,
            status: reply.status,
            headers: createHttpHeaders(reply.headers),
            bodyAsText: reply.body === undefined ? undefined : JSON.stringify(reply.body),
        });
    }

    private route(method: string, url: URL, body: unknown): Reply {
        const path = url.pathname;
        const operation = /^\/operations\/(\d+)\/(status|result)$/.exec(path);
        if (operation !== null) {
            return this.poll(Number(operation[1]), operation[2] === "status");
        }
        const provider = /\/providers\/(Microsoft\.\w+)\//.exec(path)?.[1] ?? "";
        const expected = apiVersions[provider];
        if (url.searchParams.get("api-version") !== expected) {
            return { status: 400, body: { error: { code: "InvalidApiVersionParameter", message: `The api-version '${url.searchParams.get("api-version")}' is invalid here; this emulator answers ${expected}.` } } };
        }
        const { stack } = this;
        const rg = (group: string) => `/subscriptions/${stack.subscriptionId}/resourceGroups/${group}/providers`;
        const servers = (group: string) => `${rg(group)}/Microsoft.Sql/servers`;
        const account = `${rg(stack.primaryGroup)}/Microsoft.Storage/storageAccounts/${stack.storageAccount}`;

        if (method === "GET" && path === servers(stack.standbyGroup)) {
            return { status: 200, body: { value: [{ name: stack.partnerServer, type: "Microsoft.Sql/servers", location: stack.locations.standby }] } };
        }
        for (const [server, serverGroup, isPartner] of [[stack.primaryServer, stack.primaryGroup, false], [stack.partnerServer, stack.standbyGroup, true]] as const) {
            const base = `${servers(serverGroup)}/${server}/failoverGroups/${stack.failoverGroup}`;
            if (method === "GET" && path === base) {
                return { status: 200, body: this.failoverGroupBody(server, serverGroup, this.roleOf(isPartner)) };
            }
            if (method === "POST" && (path === `${base}/failover` || path === `${base}/forceFailoverAllowDataLoss`)) {
                return this.failDatabaseOver(server, serverGroup, isPartner, path.endsWith("forceFailoverAllowDataLoss"));
            }
        }
        if (method === "GET" && path === account) {
            return { status: 200, body: this.accountBody(account, url.searchParams.get("$expand") === "geoReplicationStats") };
        }
        if (method === "POST" && path === `${account}/failover`) {
            // failoverType is an enum of one value, Planned; anything else is refused, as ARM refuses a value outside an enum.
            const failoverType = url.searchParams.get("failoverType");
            if (failoverType !== null && failoverType !== "Planned") {
                return { status: 400, body: { error: { code: "InvalidQueryParameterValue", message: `Value '${failoverType}' for query parameter 'failoverType' is not valid; allowed: Planned.` } } };
            }
            return this.failStorageOver(failoverType === "Planned");
        }
        if (method === "PATCH" && path === `${rg(stack.standbyGroup)}/Microsoft.Network/trafficmanagerprofiles/${stack.profile}/externalEndpoints/primary`) {
            const status = (body as { properties?: { endpointStatus?: string } } | undefined)?.properties?.endpointStatus;
            if (status !== "Enabled" && status !== "Disabled") {
                return { status: 400, body: { error: { code: "BadRequest", message: "endpointStatus must be Enabled or Disabled." } } };
            }
            this.state.primaryEndpointStatus = status;
            this.state.changes.push(`endpoint primary ${status}`);
            return { status: 200, body: { name: "primary", type: "Microsoft.Network/trafficManagerProfiles/externalEndpoints", properties: { endpointStatus: status, priority: 1 } } };
        }
        for (const [vmGroup, names, region] of [[stack.primaryGroup, stack.primaryVms, "primary"], [stack.standbyGroup, stack.standbyVms, "standby"]] as const) {
            const vms = `${rg(vmGroup)}/Microsoft.Compute/virtualMachines`;
            if (method === "GET" && path === vms) {
                return { status: 200, body: { value: names.map((name) => ({ name, type: "Microsoft.Compute/virtualMachines" })) } };
            }
            const vm = names.find((name) => path === `${vms}/${name}/runCommand`);
            if (method === "POST" && vm !== undefined) {
                const request = body as { commandId?: string; script?: string[] };
                if (request.commandId !== "RunPowerShellScript" || !Array.isArray(request.script)) {
                    return { status: 400, body: { error: { code: "InvalidParameter", message: "commandId RunPowerShellScript with a script is required." } } };
                }
                // "One script at a time can run" (MicrosoftDocs/azure-docs, articles/virtual-machines/windows/run-command.md,
                // "Restrictions"): a second one while the first runs is refused. The exact error Azure answers is not
                // documented there; it is answered as ARM answers a conflicting request.
                const running = this.scriptsRunning.get(vm);
                if (running !== undefined && this.stillRunning(running)) {
                    return { status: 409, body: { error: { code: "Conflict", message: `Run Command is already running a script on ${vm}; one script at a time can run.` } } };
                }
                const reply = this.accepted(() => this.runScript(vm, region, request.script ?? []), "asyncOperation");
                this.scriptsRunning.set(vm, this.nextOperation - 1);
                return reply;
            }
        }
        return { status: 404, body: { error: { code: "ResourceNotFound", message: `${method} ${path} names nothing this emulator knows.` } } };
    }

    private roleOf(isPartner: boolean): "Primary" | "Secondary" {
        return isPartner ? this.state.partnerRole : this.state.partnerRole === "Primary" ? "Secondary" : "Primary";
    }

    private failDatabaseOver(server: string, serverGroup: string, isPartner: boolean, forced: boolean): Reply {
        if (this.roleOf(isPartner) === "Primary") {
            return { status: 400, body: { error: { code: "FailoverGroupNotSecondary", message: "Failover cannot be initiated from the primary server in a Failover Group." } } };
        }
        const otherAnswers = isPartner ? this.state.primaryRegion === "answers" : true;
        this.state.changes.push(`database ${forced ? "forceFailoverAllowDataLoss" : "failover"} ${server}`);
        return this.accepted(() => {
            if (!forced && !otherAnswers) {
                return { status: 400, body: { error: { code: "PlannedFailoverTimedOut", message: "User invoked planned failover, and it timed out while trying to contact the partner management service." } } };
            }
            this.state.partnerRole = isPartner ? "Primary" : "Secondary";
            return { status: 200, body: this.failoverGroupBody(server, serverGroup, "Primary") };
        }, "location", this.state.databaseFailover === "stuck");
    }

    private failStorageOver(planned: boolean): Reply {
        const account = this.state.storageAccount;
        if (account.failoverInProgress) {
            return { status: 409, body: { error: { code: "Conflict", message: "A failover of this storage account is already in progress." } } };
        }
        if (account.secondaryLocation === undefined || !/GRS|GZRS/.test(account.skuName)) {
            return { status: 400, body: { error: { code: "InvalidAccountType", message: `A ${account.skuName} account has no secondary region to fail over to.` } } };
        }
        if (planned && !account.canPlannedFailover) {
            return { status: 400, body: { error: { code: "InvalidAccountStatus", message: "Planned failover needs both the primary and the secondary to be available." } } };
        }
        account.failoverInProgress = true;
        this.storageFailover = { planned, reads: 0 };
        this.state.changes.push(`storage failover ${planned ? "Planned" : "Unplanned"}`);
        return this.accepted(() => ({ status: 200 }), "location");
    }

    /** The account as Azure reports it; each read brings a running failover closer to its end. */
    private accountBody(id: string, expand: boolean) {
        const account = this.state.storageAccount;
        const failover = this.storageFailover;
        if (failover !== undefined && ++failover.reads > this.state.storageFailoverReads) {
            const from = account.primaryLocation;
            account.primaryLocation = account.secondaryLocation ?? from;
            account.secondaryLocation = failover.planned ? from : undefined;
            if (!failover.planned) {
                account.skuName = "Standard_LRS";
                account.canPlannedFailover = false;
                account.lastSyncTime = undefined;
            }
            account.failoverInProgress = false;
            this.storageFailover = undefined;
        }
        const answers = this.state.primaryRegion === "answers" || account.primaryLocation !== this.stack.locations.primary;
        return {
            id, name: this.stack.storageAccount, type: "Microsoft.Storage/storageAccounts", location: this.stack.locations.primary, kind: "StorageV2",
            sku: { name: account.skuName, tier: "Standard" },
            properties: {
                primaryLocation: account.primaryLocation, statusOfPrimary: answers ? "available" : "unavailable",
                ...(account.secondaryLocation === undefined ? {} : { secondaryLocation: account.secondaryLocation }),
                failoverInProgress: account.failoverInProgress,
                ...(expand && account.secondaryLocation !== undefined
                    ? { geoReplicationStats: { status: "Live", lastSyncTime: account.lastSyncTime, canFailover: true, canPlannedFailover: account.canPlannedFailover } }
                    : {}),
            },
        };
    }

    /** Runs a failover's script on a node, as Windows PowerShell would, line by line, stopping at the first error. */
    private runScript(vm: string, region: "primary" | "standby", script: readonly string[]): Reply {
        const node = this.state.nodes[vm] ?? { running: false, role: undefined };
        const done: string[] = [];
        const result = (stdout: string, stderr: string): Reply => {
            this.state.changes.push(`runCommand ${vm} ${done.join(",") || "nothing"}`);
            return { status: 200, body: { value: [
                // "Output is limited to the last 4,096 bytes" (run-command.md, "Restrictions").
                { code: "ComponentStatus/StdOut/succeeded", level: "Info", displayStatus: "Provisioning succeeded", message: lastBytes(stdout, runCommandOutputBytes) },
                { code: "ComponentStatus/StdErr/succeeded", level: "Info", displayStatus: "Provisioning succeeded", message: lastBytes(stderr, runCommandOutputBytes) },
            ] } };
        };
        // What the script records first (components/plan/runStateOverride.ts): a failover's word on the node's apps.
        const text = script.join("\n");
        if (text.includes("'until=next-failover'")) {
            node.role = text.includes("'running=true'") ? "serving" : "standing-by";
            done.push(node.role === "serving" ? "serve" : "stand-by");
        }
        // Its top-level calls that stop or start an app: the script's functions around Stop-MxApp and Start-MxApp.
        for (const line of script.flatMap((part) => part.split("\n"))) {
            const call = /^(Stop|Start)-MxApp\w* /.exec(line)?.[1];
            if (call === "Stop") {
                node.running = false;
                done.push("Stop-MxApp");
            } else if (call === "Start") {
                done.push("Start-MxApp");
                const databaseRegion = this.state.partnerRole === "Primary" ? "standby" : "primary";
                if (databaseRegion !== region) {
                    return result("", "Start-MxApp : Unable to start the app: its database did not answer (the failover group's listener leads to the other region's server, " +
                        "which this node's network cannot reach).");
                }
                if (!this.filesAnswer()) {
                    return result("", "Start-MxApp : Unable to start the app: its file storage did not answer.");
                }
                node.running = true;
            }
        }
        this.state.nodes[vm] = node;
        return result(done.includes("Start-MxApp") ? "ready=true" : "", "");
    }

    /** Whether the account's blob endpoint answers: not while it fails over, nor while its primary is in a region that is down. */
    private filesAnswer(): boolean {
        const account = this.state.storageAccount;
        return !account.failoverInProgress && (this.state.primaryRegion === "answers" || account.primaryLocation !== this.stack.locations.primary);
    }

    private failoverGroupBody(server: string, serverGroup: string, role: "Primary" | "Secondary") {
        const { stack } = this;
        const partner = server === stack.primaryServer ? { id: `/subscriptions/${stack.subscriptionId}/resourceGroups/${stack.standbyGroup}/providers/Microsoft.Sql/servers/${stack.partnerServer}`, location: stack.locations.standby }
            : { id: `/subscriptions/${stack.subscriptionId}/resourceGroups/${stack.primaryGroup}/providers/Microsoft.Sql/servers/${stack.primaryServer}`, location: stack.locations.primary };
        return {
            id: `/subscriptions/${stack.subscriptionId}/resourceGroups/${serverGroup}/providers/Microsoft.Sql/servers/${server}/failoverGroups/${stack.failoverGroup}`,
            name: stack.failoverGroup, type: "Microsoft.Sql/servers/failoverGroups",
            properties: {
                readWriteEndpoint: { failoverPolicy: "Manual" }, readOnlyEndpoint: { failoverPolicy: "Disabled" },
                replicationRole: role, replicationState: "CATCH_UP",
                partnerServers: [{ ...partner, replicationRole: role === "Primary" ? "Secondary" : "Primary" }],
                databases: [],
            },
        };
    }

    /**
     * 202 with the URL to follow: `Location` (202 while running, then the result) or
     * `Azure-AsyncOperation` (a status document) with Location for the result. The operation's effect
     * happens when it ends, `operationPolls` polls later; a stuck one never ends.
     */
    private accepted(result: () => Reply, style: "location" | "asyncOperation", stuck = false): Reply {
        const id = this.nextOperation++;
        this.operations.set(id.toString(), { polls: 0, result: memoised(result), stuck });
        const base = `https://management.azure.com/operations/${id}`;
        return {
            status: 202,
            headers: { "retry-after": "1", location: `${base}/result`, ...(style === "asyncOperation" ? { "azure-asyncoperation": `${base}/status` } : {}) },
        };
    }

    private stillRunning(id: number): boolean {
        const operation = this.operations.get(id.toString());
        return operation !== undefined && (operation.stuck || operation.polls < this.state.operationPolls);
    }

    private poll(id: number, status: boolean): Reply {
        const operation = this.operations.get(id.toString());
        if (operation === undefined) {
            return { status: 404, body: { error: { code: "OperationNotFound", message: `no operation ${id}` } } };
        }
        operation.polls += 1;
        const running = operation.stuck || operation.polls < this.state.operationPolls;
        if (status) {
            if (running) {
                return { status: 200, body: { status: "InProgress" } };
            }
            const reply = operation.result();
            return { status: 200, body: reply.status < 400 ? { status: "Succeeded" } : { status: "Failed", error: (reply.body as { error: unknown }).error } };
        }
        return running ? { status: 202, headers: { "retry-after": "1" } } : operation.result();
    }
}

function memoised(compute: () => Reply): () => Reply {
    let reply: Reply | undefined;
    return () => (reply ??= compute());
}
