import { createHttpHeaders, HttpClient, PipelineRequest, PipelineResponse, RestError } from "@azure/core-rest-pipeline";

/**
 * Azure Resource Manager as the regional failover sees it, for a stack in `primary` with a standby,
 * answering the documented requests with the documented responses:
 * - SQL failover groups (REST "Failover Groups - Get / Failover / Force Failover Allow Data Loss", API
 *   2023-08-01; examples FailoverGroupGet.json, FailoverGroupFailover.json in Azure/azure-rest-api-specs):
 *   the group is read on either server, each answering its own `replicationRole`; a failover is posted
 *   on the server that becomes primary (on the primary: 400 FailoverGroupNotSecondary), answers 202 with
 *   Location and Retry-After, and swaps the roles; a planned failover needs the primary to answer
 *   (400 PlannedFailoverTimedOut otherwise), a forced one does not.
 * - Storage (REST "Storage Accounts - Get Properties" with `$expand=geoReplicationStats`, "Storage
 *   Accounts - Failover" with `failoverType=Planned` or without): 202 with Location; a planned failover
 *   only while `canPlannedFailover`.
 * - Traffic Manager (REST "Endpoints - Update", PATCH, API 2022-04-01): 200 with the endpoint.
 * - Run Command (REST "Virtual Machines - Run Command", API 2024-11-01): 202 with Azure-AsyncOperation
 *   and Location; the status document says InProgress once, then Succeeded; the Location answers the
 *   `RunCommandResult` (`value`: ComponentStatus/StdOut/succeeded and StdErr).
 * - Every request needs a bearer token and an api-version, as ARM does.
 *
 * A lost region is the worst a client can meet: requests about its resources get no answer at all
 * (`silent`: the connection stays open until the client gives up) or are refused at once (`refused`:
 * ECONNREFUSED, as Node reports it). How ARM really fails during a regional outage is not documented;
 * these are the cases the failover must survive without hanging.
 */

export type RegionBehaviour = "answers" | "silent" | "refused";

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
    readonly locations: { readonly primary: string; readonly standby: string };
}

export interface EmulatorState {
    primaryRegion: RegionBehaviour;
    /** How the storage account's resource provider answers (it may answer with its primary region down). */
    storage: RegionBehaviour;
    partnerRole: "Primary" | "Secondary";
    storageAccount: { primaryLocation: string; skuName: string; failoverInProgress: boolean; canPlannedFailover: boolean; lastSyncTime: string };
    primaryEndpointStatus: "Enabled" | "Disabled";
    /** Every change, in order: `database failover|forceFailoverAllowDataLoss <server>`, `storage failover Planned|Unplanned`, `runCommand <vm> <first cmdlet>`, `endpoint primary Disabled`. */
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
            primaryLocation: stack.locations.primary, skuName: "Standard_GZRS", failoverInProgress: false,
            canPlannedFailover: primaryRegion === "answers", lastSyncTime: "2026-03-01T09:58:12.0000000Z",
        },
        primaryEndpointStatus: "Enabled",
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

export class ResourceManagerEmulator implements HttpClient {
    private nextOperation = 0;
    private readonly operations = new Map<string, { polls: number; result: Reply }>();

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
        if (behaviour !== "answers") {
            this.state.unanswered.push(`${request.method} ${url.pathname}`);
            return this.noAnswer(request, behaviour);
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
        const group = (server: string, serverGroup: string) => `${servers(serverGroup)}/${server}/failoverGroups/${stack.failoverGroup}`;
        const account = `${rg(stack.primaryGroup)}/Microsoft.Storage/storageAccounts/${stack.storageAccount}`;
        const vms = (vmGroup: string) => `${rg(vmGroup)}/Microsoft.Compute/virtualMachines`;

        if (method === "GET" && path === servers(stack.standbyGroup)) {
            return { status: 200, body: { value: [{ name: stack.partnerServer, type: "Microsoft.Sql/servers", location: stack.locations.standby }] } };
        }
        for (const [server, serverGroup, isPartner] of [[stack.primaryServer, stack.primaryGroup, false], [stack.partnerServer, stack.standbyGroup, true]] as const) {
            const base = group(server, serverGroup);
            const role = isPartner ? this.state.partnerRole : this.state.partnerRole === "Primary" ? "Secondary" : "Primary";
            if (method === "GET" && path === base) {
                return { status: 200, body: this.failoverGroupBody(server, serverGroup, role) };
            }
            if (method === "POST" && (path === `${base}/failover` || path === `${base}/forceFailoverAllowDataLoss`)) {
                if (role === "Primary") {
                    return { status: 400, body: { error: { code: "FailoverGroupNotSecondary", message: "Failover cannot be initiated from the primary server in a Failover Group." } } };
                }
                const forced = path.endsWith("forceFailoverAllowDataLoss");
                const otherAnswers = isPartner ? this.state.primaryRegion === "answers" : true;
                if (!forced && !otherAnswers) {
                    return this.accepted({ status: 400, body: { error: { code: "PlannedFailoverTimedOut", message: "User invoked planned failover, and it timed out while trying to contact the partner management service." } } }, "location");
                }
                this.state.partnerRole = isPartner ? "Primary" : "Secondary";
                this.state.changes.push(`database ${forced ? "forceFailoverAllowDataLoss" : "failover"} ${server}`);
                return this.accepted({ status: 200, body: this.failoverGroupBody(server, serverGroup, "Primary") }, "location");
            }
        }
        if (method === "GET" && path === account) {
            const { storageAccount: state } = this.state;
            const expand = url.searchParams.get("$expand") === "geoReplicationStats";
            return {
                status: 200,
                body: {
                    id: account, name: stack.storageAccount, type: "Microsoft.Storage/storageAccounts", location: state.primaryLocation, kind: "StorageV2",
                    sku: { name: state.skuName, tier: "Standard" },
                    properties: {
                        primaryLocation: state.primaryLocation, statusOfPrimary: this.state.primaryRegion === "answers" ? "available" : "unavailable",
                        failoverInProgress: state.failoverInProgress,
                        ...(expand ? { geoReplicationStats: { status: "Live", lastSyncTime: state.lastSyncTime, canFailover: true, canPlannedFailover: state.canPlannedFailover } } : {}),
                    },
                },
            };
        }
        if (method === "POST" && path === `${account}/failover`) {
            const planned = url.searchParams.get("failoverType") === "Planned";
            if (planned && !this.state.storageAccount.canPlannedFailover) {
                return { status: 400, body: { error: { code: "InvalidAccountStatus", message: "Planned failover needs both the primary and the secondary to be available." } } };
            }
            this.state.storageAccount.failoverInProgress = true;
            this.state.changes.push(`storage failover ${planned ? "Planned" : "Unplanned"}`);
            return this.accepted({ status: 200 }, "location");
        }
        if (method === "PATCH" && path === `${rg(stack.standbyGroup)}/Microsoft.Network/trafficmanagerprofiles/${stack.profile}/azureEndpoints/primary`) {
            const status = (body as { properties?: { endpointStatus?: string } } | undefined)?.properties?.endpointStatus;
            if (status !== "Enabled" && status !== "Disabled") {
                return { status: 400, body: { error: { code: "BadRequest", message: "endpointStatus must be Enabled or Disabled." } } };
            }
            this.state.primaryEndpointStatus = status;
            this.state.changes.push(`endpoint primary ${status}`);
            return { status: 200, body: { name: "primary", type: "Microsoft.Network/trafficManagerProfiles/azureEndpoints", properties: { endpointStatus: status, priority: 1 } } };
        }
        for (const [vmGroup, names] of [[stack.primaryGroup, stack.primaryVms], [stack.standbyGroup, stack.standbyVms]] as const) {
            if (method === "GET" && path === vms(vmGroup)) {
                return { status: 200, body: { value: names.map((name) => ({ name, type: "Microsoft.Compute/virtualMachines" })) } };
            }
            const vm = names.find((name) => path === `${vms(vmGroup)}/${name}/runCommand`);
            if (method === "POST" && vm !== undefined) {
                const request = body as { commandId?: string; script?: string[] };
                if (request.commandId !== "RunPowerShellScript" || !Array.isArray(request.script)) {
                    return { status: 400, body: { error: { code: "InvalidParameter", message: "commandId RunPowerShellScript with a script is required." } } };
                }
                // The script's first top-level call that starts or stops an app (a cmdlet, or the script's function around it).
                const cmdlet = request.script.find((line) => /^(Start|Stop)-MxApp\w* /.test(line))?.replace(/^(Start|Stop)-MxApp.*$/, "$1-MxApp") ?? "none";
                this.state.changes.push(`runCommand ${vm} ${cmdlet}`);
                const stdout = cmdlet === "Start-MxApp" ? "ready=true" : "";
                return this.accepted({ status: 200, body: { value: [
                    { code: "ComponentStatus/StdOut/succeeded", level: "Info", displayStatus: "Provisioning succeeded", message: stdout },
                    { code: "ComponentStatus/StdErr/succeeded", level: "Info", displayStatus: "Provisioning succeeded", message: "" },
                ] } }, "asyncOperation");
            }
        }
        return { status: 404, body: { error: { code: "ResourceNotFound", message: `${method} ${path} names nothing this emulator knows.` } } };
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

    /** 202 with the URL to follow: `Location` (202 once more, then the result) or `Azure-AsyncOperation` (a status document) with Location for the result. */
    private accepted(result: Reply, style: "location" | "asyncOperation"): Reply {
        const id = this.nextOperation++;
        this.operations.set(id.toString(), { polls: 0, result });
        const base = `https://management.azure.com/operations/${id}`;
        return {
            status: 202,
            headers: { "retry-after": "1", location: `${base}/result`, ...(style === "asyncOperation" ? { "azure-asyncoperation": `${base}/status` } : {}) },
        };
    }

    private poll(id: number, status: boolean): Reply {
        const operation = this.operations.get(id.toString());
        if (operation === undefined) {
            return { status: 404, body: { error: { code: "OperationNotFound", message: `no operation ${id}` } } };
        }
        operation.polls += 1;
        if (status) {
            const succeeded = operation.result.status < 400;
            return { status: 200, body: operation.polls < 2 ? { status: "InProgress" } : succeeded ? { status: "Succeeded" } : { status: "Failed", error: (operation.result.body as { error: unknown }).error } };
        }
        return operation.polls < 2 ? { status: 202, headers: { "retry-after": "1" } } : operation.result;
    }
}
