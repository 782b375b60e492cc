import { ClusterNames } from "../../components/plan/names";
import {
    describeStep, Direction, FailoverObservation, FailoverPlan, FailoverStep, planFailover, ReadAnswer, RegionName, RegionNodes, StorageObservation,
} from "../../components/plan/failover";
import { healthProbePath } from "../../components/plan/delivery";
import { endpointTypePath } from "../../components/plan/trafficManager";
import { startAppsScript, stopAppsScript } from "../../components/plan/stopAppsScript";
import { ArmClient, ArmError } from "./armClient";

/**
 * A regional failover (or failback), carried out over Azure Resource Manager with the operator's
 * sign-in. It finds everything from the standby region's resource group, whose name follows from
 * the stack's alone, and asks the stack's own region only whether it answers: nothing in the lost
 * region is needed to go on. Each step is bounded in time. A step after which going on could put
 * two regions' apps on one database, or start apps on a database that has not moved, stops the
 * command; a storage failover that could not start is reported and the apps start anyway.
 */

/** API versions, each a documented stable version of its REST API (the versions azure-native uses where it registers the type). */
export const apiVersions = {
    sql: "2023-08-01",
    storage: "2024-01-01",
    trafficManager: "2022-04-01",
    compute: "2024-11-01",
} as const;

export interface FailoverContext {
    readonly arm: ArmClient;
    readonly subscriptionId: string;
    readonly primaryNames: ClusterNames;
    readonly standbyNames: ClusterNames;
    readonly locations: Readonly<Record<RegionName, string>>;
    readonly apps: readonly string[];
    readonly direction: Direction;
    /** false: say what would be done and stop. */
    readonly act: boolean;
    /** `--force`: carry out steps that can lose data, and count a stack region that answers with an HTTP error as lost. */
    readonly force: boolean;
    readonly log: (line: string) => void;
    readonly waits: FailoverWaits;
}

export interface FailoverWaits {
    /** How long the database failover may take; past it the command stops before the storage step. */
    readonly databaseMs: number;
    /** How long the storage failover may take; past it the command stops before any app starts. */
    readonly storageMs: number;
    /** How long one node's Run Command (start or stop of its apps) may take. */
    readonly runCommandMs: number;
    /** How long a started node's health path may take to answer 200 (inside its Run Command). */
    readonly readySeconds: number;
}

export interface FailoverOutcome {
    readonly plan: FailoverPlan | undefined;
    /** One line per step: what was done, or why not. */
    readonly results: readonly string[];
    /** 0: every step done (or only shown); 1: a step failed or could not be finished; 2: refused before anything changed. */
    readonly exitCode: 0 | 1 | 2;
}

interface Discovered {
    readonly partnerServer: string;
    readonly failoverGroup: string;
    readonly storageAccount: string;
    readonly primaryServer: string;
}

const sqlServersPath = (context: FailoverContext, resourceGroup: string) =>
    `/subscriptions/${context.subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Sql/servers`;
const groupPath = (context: FailoverContext, resourceGroup: string, server: string, group: string) =>
    `${sqlServersPath(context, resourceGroup)}/${server}/failoverGroups/${group}`;
const accountPath = (context: FailoverContext, account: string) =>
    `/subscriptions/${context.subscriptionId}/resourceGroups/${context.primaryNames.resourceGroup}/providers/Microsoft.Storage/storageAccounts/${account}`;
const vmPath = (context: FailoverContext, resourceGroup: string, vm?: string) =>
    `/subscriptions/${context.subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Compute/virtualMachines${vm === undefined ? "" : `/${vm}`}`;
const profilePath = (context: FailoverContext) =>
    `/subscriptions/${context.subscriptionId}/resourceGroups/${context.standbyNames.resourceGroup}/providers/Microsoft.Network/trafficmanagerprofiles/${context.standbyNames.trafficManagerProfile}`;

/** The SQL server (resource group and name) that is primary once the failover is done: where it is issued and read back. */
function targetServer(context: FailoverContext, found: Discovered): { readonly group: string; readonly name: string } {
    return context.direction === "toStandby"
        ? { group: context.standbyNames.resourceGroup, name: found.partnerServer }
        : { group: context.primaryNames.resourceGroup, name: found.primaryServer };
}

/** The standby's partner server, found in the standby's resource group; the other names follow from its suffix. */
async function discover(context: FailoverContext): Promise<Discovered> {
    const servers = await context.arm.request("GET", sqlServersPath(context, context.standbyNames.resourceGroup), apiVersions.sql);
    const prefix = context.standbyNames.sqlServer("");
    const partner = ((servers.body as { value?: { name?: string }[] }).value ?? []).map((server) => server.name ?? "").find((name) => name.startsWith(prefix));
    if (partner === undefined) {
        throw new ArmError(`no SQL server named ${prefix}<suffix> in ${context.standbyNames.resourceGroup}: is this the stack's standby, and was it deployed?`, undefined, undefined);
    }
    const suffix = partner.slice(prefix.length);
    return {
        partnerServer: partner,
        failoverGroup: context.primaryNames.failoverGroup(suffix),
        storageAccount: context.primaryNames.storageAccount(suffix),
        primaryServer: context.primaryNames.sqlServer(suffix),
    };
}

/**
 * A read, and how it went. Only no answer at all (a timeout, a connection refused or reset) is
 * "no answer"; an HTTP error is an answer, whatever its status, and is told apart.
 */
async function read<T>(request: () => Promise<{ body: unknown }>, value: (body: unknown) => T): Promise<ReadAnswer<T>> {
    try {
        return { kind: "answered", value: value((await request()).body) };
    } catch (error) {
        if (!(error instanceof ArmError)) {
            throw error;
        }
        return error.status === undefined ? { kind: "noAnswer", reason: error.code ?? error.message } : { kind: "httpError", status: error.status, code: error.code };
    }
}

const notAsked: ReadAnswer<never> = { kind: "noAnswer", reason: "not asked: the stack's region did not answer" };

function regionNodes(body: unknown, names: ClusterNames): RegionNodes {
    const prefix = names.vm(0).replace(/0$/, "");
    const vms = ((body as { value?: { name?: string }[] } | undefined)?.value ?? []).map((vm) => vm.name ?? "")
        .filter((name) => name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length)))
        .sort((a, b) => Number(a.slice(prefix.length)) - Number(b.slice(prefix.length)));
    return { leader: vms.find((name) => name === names.vm(0)), followers: vms.filter((name) => name !== names.vm(0)) };
}

function groupRole(body: unknown): "Primary" | "Secondary" | undefined {
    const role = (body as { properties?: { replicationRole?: string } } | undefined)?.properties?.replicationRole;
    return role === "Primary" || role === "Secondary" ? role : undefined;
}

async function observe(context: FailoverContext, found: Discovered): Promise<FailoverObservation> {
    const get = (path: string, apiVersion: string, query?: Record<string, string>) => () => context.arm.request("GET", path, apiVersion, undefined, query);
    const partnerRole = await read(get(groupPath(context, context.standbyNames.resourceGroup, found.partnerServer, found.failoverGroup), apiVersions.sql), groupRole);
    const primaryGroup = await read(get(groupPath(context, context.primaryNames.resourceGroup, found.primaryServer, found.failoverGroup), apiVersions.sql), (body) => body);
    const storage = await read(get(accountPath(context, found.storageAccount), apiVersions.storage, { "$expand": "geoReplicationStats" }), storageObservation);
    const nodesOf = (names: ClusterNames) => read(get(vmPath(context, names.resourceGroup), apiVersions.compute), (body) => regionNodes(body, names));
    return {
        direction: context.direction,
        primaryGroup,
        partnerRole,
        storage,
        nodes: {
            primary: primaryGroup.kind === "answered" ? await nodesOf(context.primaryNames) : notAsked,
            standby: await nodesOf(context.standbyNames),
        },
        locations: context.locations,
        force: context.force,
    };
}

function storageObservation(body: unknown): StorageObservation {
    const account = body as {
        sku?: { name?: string };
        properties?: { primaryLocation?: string; failoverInProgress?: boolean; geoReplicationStats?: { canPlannedFailover?: boolean; lastSyncTime?: string } };
    };
    return {
        primaryLocation: account.properties?.primaryLocation ?? "",
        skuName: account.sku?.name ?? "",
        failoverInProgress: account.properties?.failoverInProgress === true,
        canPlannedFailover: account.properties?.geoReplicationStats?.canPlannedFailover === true,
        lastSyncTime: account.properties?.geoReplicationStats?.lastSyncTime,
    };
}

/** Runs a script on a node with Run Command (`RunPowerShellScript`) and returns its standard output. */
async function runOnNode(context: FailoverContext, resourceGroup: string, vm: string, script: string): Promise<string> {
    const { done, response } = await context.arm.operation("POST", `${vmPath(context, resourceGroup, vm)}/runCommand`, apiVersions.compute,
        { commandId: "RunPowerShellScript", script: script.split("\n") }, context.waits.runCommandMs);
    if (!done) {
        throw new ArmError(`Run Command on ${vm} did not finish within ${context.waits.runCommandMs / 1000} s`, undefined, "Timeout");
    }
    const statuses = (response.body as { value?: { code?: string; message?: string }[] } | undefined)?.value ?? [];
    const stderr = statuses.find((status) => status.code?.startsWith("ComponentStatus/StdErr/"))?.message ?? "";
    if (stderr.trim() !== "") {
        throw new ArmError(`Run Command on ${vm}: ${stderr.trim()}`, response.status, undefined);
    }
    return statuses.find((status) => status.code?.startsWith("ComponentStatus/StdOut/"))?.message ?? "";
}

/**
 * Fails the database group over and reads it back on the server that must now be primary: an
 * operation Azure accepted but did not finish in time, or one that finished with the role
 * elsewhere, is a failure.
 */
async function failDatabaseOver(context: FailoverContext, found: Discovered, mode: "planned" | "forced"): Promise<string> {
    const server = targetServer(context, found);
    const path = groupPath(context, server.group, server.name, found.failoverGroup);
    const action = mode === "planned" ? "failover" : "forceFailoverAllowDataLoss";
    const { done } = await context.arm.operation("POST", `${path}/${action}`, apiVersions.sql, undefined, context.waits.databaseMs);
    if (!done) {
        throw new ArmError(`the database failover (${mode}) was accepted but had not finished after ${context.waits.databaseMs / 1000} s`, undefined, "Timeout");
    }
    const role = groupRole((await context.arm.request("GET", path, apiVersions.sql)).body);
    if (role !== "Primary") {
        throw new ArmError(`the database failover (${mode}) ended, but the group on ${server.name} reads back as ${role ?? "no role"}, not Primary`, undefined, undefined);
    }
    return `database group ${found.failoverGroup} failed over (${mode}) to ${server.name}, which reads back as Primary`;
}

async function carryOut(context: FailoverContext, found: Discovered, step: FailoverStep): Promise<string> {
    const group = (region: RegionName) => (region === "primary" ? context.primaryNames : context.standbyNames).resourceGroup;
    switch (step.kind) {
        case "stopApps": {
            for (const vm of step.vms) {
                await runOnNode(context, group(step.region), vm, stopAppsScript(context.apps, { by: `failover-${context.direction}`, until: "next-failover" }));
            }
            return `recorded ${step.vms.join(", ")} as standing by and stopped their apps`;
        }
        case "database":
            return failDatabaseOver(context, found, step.mode);
        case "storage": {
            const path = accountPath(context, found.storageAccount);
            if (step.mode !== "inProgress") {
                await context.arm.operation("POST", `${path}/failover`, apiVersions.storage, undefined, undefined, step.mode === "planned" ? { failoverType: "Planned" } : {});
                context.log(`  storage failover (${step.mode}) of ${found.storageAccount} started; waiting for it to end (typically up to an hour)`);
            }
            const ended = await context.arm.waitFor(async () => !storageObservation((await context.arm.request("GET", path, apiVersions.storage)).body).failoverInProgress,
                context.waits.storageMs);
            if (!ended) {
                throw new ArmError(`the storage failover of ${found.storageAccount} had not ended after ${context.waits.storageMs / 60_000} min`, undefined, storageStillFailingOver);
            }
            const account = storageObservation((await context.arm.request("GET", path, apiVersions.storage)).body);
            return `the storage failover of ${found.storageAccount} ended: its primary is in ${account.primaryLocation}, ${account.skuName}`;
        }
        case "startApps": {
            const healthUrl = `http://localhost${healthProbePath}`;
            const results: string[] = [];
            for (const [vm, leader] of [...(step.leader === undefined ? [] : [[step.leader, true] as const]), ...step.followers.map((name) => [name, false] as const)]) {
                const output = await runOnNode(context, group(step.region), vm, startAppsScript(context.apps, leader, healthUrl, context.waits.readySeconds, `failover-${context.direction}`));
                const ready = /ready=true/.test(output);
                results.push(`${vm} ${ready ? "serves" : `started, but its health path did not answer 200 within ${context.waits.readySeconds} s`}`);
                if (leader && !ready) {
                    throw new ArmError(`the leader ${vm} started its apps but does not serve: followers not started (${results.join("; ")})`, undefined, undefined);
                }
            }
            return `apps started: ${results.join("; ")}`;
        }
        case "entry": {
            await context.arm.request("PATCH", `${profilePath(context)}/${endpointTypePath}/primary`, apiVersions.trafficManager, { properties: { endpointStatus: step.primaryEndpoint } });
            return `the public entry's endpoint for the stack's region is ${step.primaryEndpoint}`;
        }
    }
}

/** The code of the failure that says the storage account is still failing over. */
const storageStillFailingOver = "StorageFailoverInProgress";

/**
 * Whether a failed step stops the command: what would follow could put two regions' apps on one
 * database, or apps on a database that did not move or on files that answer nothing, or send users
 * to apps that do not serve. A storage failover that could not be started does not: the files may
 * still answer where they are.
 */
function stopsTheCommand(step: FailoverStep, error: ArmError): string | undefined {
    switch (step.kind) {
        case "stopApps":
            return "stopped here: the next steps would start apps while the region being left may still run its own";
        case "database":
            return "stopped here, before the storage step: no app starts and the entry does not move until the database group reads back as primary in the target region; " +
                "run the command again (it does only what is left)";
        case "startApps":
            return "stopped here: the entry does not move to a region whose leader does not serve";
        case "storage":
            return error.code === storageStillFailingOver
                ? "stopped here: no app starts while the storage account fails over (it answers no read or write, and an app's runtime checks its files container when it starts); " +
                    "run the command again once `az storage account show --name <account> --query failoverInProgress` says false: it does only what is left"
                : undefined;
        case "entry":
            return undefined;
    }
}

export async function runFailover(context: FailoverContext): Promise<FailoverOutcome> {
    let found: Discovered;
    try {
        found = await discover(context);
    } catch (error) {
        if (!(error instanceof ArmError)) {
            throw error;
        }
        context.log(`Refused: ${error.message}; nothing was changed.`);
        return { plan: undefined, results: [], exitCode: 2 };
    }
    const plan = planFailover(await observe(context, found));
    if (plan.refusal !== undefined) {
        context.log(`Refused: ${plan.refusal}.`);
        return { plan, results: [], exitCode: 2 };
    }
    context.log(`Failover ${context.direction === "toStandby" ? `to the standby region (${context.locations.standby})` : `back to the stack's region (${context.locations.primary})`}:`);
    plan.steps.forEach((step, index) => context.log(`  ${index + 1}. ${describeStep(step)}`));
    plan.notes.forEach((note) => context.log(`  ! ${note}`));
    const force = plan.lossy.length === 0 ? "" : " --force";
    if (!context.act) {
        context.log(`Nothing was changed: run again with --yes${force} to carry this out${force === "" ? "" : ` (${plan.lossy.join(", ")}: read the lines marked !)`}.`);
        return { plan, results: [], exitCode: 0 };
    }
    if (plan.lossy.length > 0 && !context.force) {
        context.log(`Refused: ${plan.lossy.join(" and ")}, which can lose data (the lines marked ! say what); nothing was changed. ` +
            "Run again with --yes --force to carry this plan out.");
        return { plan, results: [], exitCode: 2 };
    }
    const results: string[] = [];
    let failed = false;
    for (const step of plan.steps) {
        try {
            results.push(`done: ${await carryOut(context, found, step)}`);
            context.log(`  ${results[results.length - 1]}`);
        } catch (error) {
            if (!(error instanceof ArmError)) {
                throw error;
            }
            failed = true;
            results.push(`FAILED: ${describeStep(step)}: ${error.message}`);
            context.log(`  ${results[results.length - 1]}`);
            const stop = stopsTheCommand(step, error);
            if (stop !== undefined) {
                results.push(stop);
                context.log(`  ${stop}`);
                return { plan, results, exitCode: 1 };
            }
        }
    }
    const next = context.direction === "toStandby"
        ? "pulumi config set --path standby.active true && pulumi up"
        : "pulumi config set --path standby.active false && pulumi up, now: while standby.active is true, every pulumi up disables the stack region's endpoint again";
    context.log(`Then, to make the stack match: ${next} (docs/losing-a-region.md says what it changes, and what it cannot while a region is down).`);
    return { plan, results, exitCode: failed ? 1 : 0 };
}
