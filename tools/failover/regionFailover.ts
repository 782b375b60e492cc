import { ClusterNames } from "../../components/plan/names";
import { describeStep, Direction, FailoverObservation, FailoverPlan, FailoverStep, planFailover, RegionName, RegionNodes, StorageObservation } from "../../components/plan/failover";
import { healthProbePath } from "../../components/plan/delivery";
import { startAppsScript, stopAppsScript } from "../../components/plan/stopAppsScript";
import { ArmClient, ArmError } from "./armClient";

/**
 * A regional failover (or failback), carried out over Azure Resource Manager with the operator's
 * sign-in. It finds everything from the standby region's resource group, whose name follows from
 * the stack's alone, and asks the stack's own region only whether it answers: nothing in the lost
 * region is needed to go on. Each step is bounded in time; a step that fails is reported and the
 * next goes on, since a half-done failover is better finished than abandoned.
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
    readonly log: (line: string) => void;
    readonly waits: FailoverWaits;
}

export interface FailoverWaits {
    /** How long the database failover may take before the command says so and goes on. */
    readonly databaseMs: number;
    /** How long one node's Run Command (start or stop of its apps) may take. */
    readonly runCommandMs: number;
    /** How long a started node's health path may take to answer 200 (inside its Run Command). */
    readonly readySeconds: number;
}

export interface FailoverOutcome {
    readonly plan: FailoverPlan | undefined;
    /** One line per step: what was done, or why not. */
    readonly results: readonly string[];
    /** 0: every step done; 1: a step failed or could not be finished; 2: refused before anything changed. */
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

async function answered<T>(read: () => Promise<T>): Promise<T | undefined> {
    try {
        return await read();
    } catch (error) {
        if (error instanceof ArmError) {
            return undefined;
        }
        throw error;
    }
}

async function regionNodes(context: FailoverContext, resourceGroup: string, names: ClusterNames): Promise<RegionNodes> {
    const list = await answered(() => context.arm.request("GET", vmPath(context, resourceGroup), apiVersions.compute));
    const vms = ((list?.body as { value?: { name?: string }[] } | undefined)?.value ?? []).map((vm) => vm.name ?? "")
        .filter((name) => new RegExp(`^${names.vm(0).replace(/0$/, "")}\\d+$`).test(name))
        .sort((a, b) => Number(a.split("-").pop()) - Number(b.split("-").pop()));
    return { leader: vms.find((name) => name === names.vm(0)), followers: vms.filter((name) => name !== names.vm(0)) };
}

async function observe(context: FailoverContext, found: Discovered): Promise<FailoverObservation> {
    const partnerGroup = await answered(() => context.arm.request("GET", groupPath(context, context.standbyNames.resourceGroup, found.partnerServer, found.failoverGroup), apiVersions.sql));
    const primaryGroup = await answered(() => context.arm.request("GET", groupPath(context, context.primaryNames.resourceGroup, found.primaryServer, found.failoverGroup), apiVersions.sql));
    const account = await answered(() => context.arm.request("GET", accountPath(context, found.storageAccount), apiVersions.storage, undefined, { "$expand": "geoReplicationStats" }));
    const role = (partnerGroup?.body as { properties?: { replicationRole?: string } } | undefined)?.properties?.replicationRole;
    const primaryAnswers = primaryGroup !== undefined;
    return {
        direction: context.direction,
        primaryAnswers,
        partnerRole: role === "Primary" || role === "Secondary" ? role : undefined,
        storage: account === undefined ? undefined : storageObservation(account.body),
        nodes: {
            primary: primaryAnswers ? await regionNodes(context, context.primaryNames.resourceGroup, context.primaryNames) : { leader: undefined, followers: [] },
            standby: await regionNodes(context, context.standbyNames.resourceGroup, context.standbyNames),
        },
        apps: context.apps,
        locations: context.locations,
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

async function carryOut(context: FailoverContext, found: Discovered, step: FailoverStep): Promise<string> {
    const group = (region: RegionName) => (region === "primary" ? context.primaryNames : context.standbyNames).resourceGroup;
    switch (step.kind) {
        case "stopApps": {
            for (const vm of step.vms) {
                await runOnNode(context, group(step.region), vm, stopAppsScript(context.apps, `failover-${context.direction}`));
            }
            return `stopped the apps on ${step.vms.join(", ")}`;
        }
        case "database": {
            // Issued on the server that becomes primary (REST "Failover Groups - Failover"; 400 FailoverGroupNotSecondary otherwise).
            const server = context.direction === "toStandby" ? { group: context.standbyNames.resourceGroup, name: found.partnerServer } : { group: context.primaryNames.resourceGroup, name: found.primaryServer };
            const action = step.mode === "planned" ? "failover" : "forceFailoverAllowDataLoss";
            const { done } = await context.arm.operation("POST", `${groupPath(context, server.group, server.name, found.failoverGroup)}/${action}`, apiVersions.sql, undefined, context.waits.databaseMs);
            return done ? `database group ${found.failoverGroup} failed over (${step.mode}) to ${server.name}` : `database failover (${step.mode}) accepted, not finished within ${context.waits.databaseMs / 1000} s: check the group's role before you start apps by hand`;
        }
        case "storage": {
            await context.arm.operation("POST", `${accountPath(context, found.storageAccount)}/failover`, apiVersions.storage, undefined, undefined, step.mode === "planned" ? { failoverType: "Planned" } : {});
            return `storage failover (${step.mode}) of ${found.storageAccount} started; Azure takes typically up to an hour (az storage account show --name ${found.storageAccount} --query failoverInProgress)`;
        }
        case "startApps": {
            const healthUrl = `http://localhost${healthProbePath}`;
            const results: string[] = [];
            for (const [vm, leader] of [...(step.leader === undefined ? [] : [[step.leader, true] as const]), ...step.followers.map((name) => [name, false] as const)]) {
                const output = await runOnNode(context, group(step.region), vm, startAppsScript(context.apps, leader, healthUrl, context.waits.readySeconds));
                const ready = /ready=true/.test(output);
                results.push(`${vm} ${ready ? "serves" : `started, but its health path did not answer 200 within ${context.waits.readySeconds} s`}`);
                if (leader && !ready) {
                    throw new ArmError(`the leader ${vm} started its apps but does not serve: followers not started (${results.join("; ")})`, undefined, undefined);
                }
            }
            return `apps started: ${results.join("; ")}`;
        }
        case "entry": {
            await context.arm.request("PATCH", `${profilePath(context)}/azureEndpoints/primary`, apiVersions.trafficManager, { properties: { endpointStatus: step.primaryEndpoint } });
            return `the public entry's endpoint for the stack's region is ${step.primaryEndpoint}`;
        }
    }
}

export async function runFailover(context: FailoverContext): Promise<FailoverOutcome> {
    let found: Discovered;
    try {
        found = await discover(context);
    } catch (error) {
        context.log(`Refused: ${(error as Error).message}; nothing was changed.`);
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
    if (!context.act) {
        context.log("Nothing was changed: run again with --yes to carry this out.");
        return { plan, results: [], exitCode: 0 };
    }
    const results: string[] = [];
    let failed = false;
    for (const step of plan.steps) {
        try {
            results.push(`done: ${await carryOut(context, found, step)}`);
        } catch (error) {
            if (!(error instanceof ArmError)) {
                throw error;
            }
            failed = true;
            results.push(`FAILED: ${describeStep(step)}: ${error.message}`);
            context.log(`  ${results[results.length - 1]}`);
            if (step.kind === "stopApps" || (step.kind === "database" && context.direction === "toPrimary")) {
                // Never two clusters on one database: what follows would start the target region's apps.
                results.push("stopped here: the next steps would start apps while the region being left may still run its own");
                context.log(`  ${results[results.length - 1]}`);
                break;
            }
            continue;
        }
        context.log(`  ${results[results.length - 1]}`);
    }
    const next = context.direction === "toStandby"
        ? "pulumi config set --path standby.active true && pulumi up"
        : "pulumi config set --path standby.active false && pulumi up";
    context.log(`Then, to make the stack match: ${next} (it changes nothing of the ${context.direction === "toStandby" ? "lost" : "standby"} region's that it need not).`);
    return { plan, results, exitCode: failed ? 1 : 0 };
}
