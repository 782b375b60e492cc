/**
 * What `npm run failover` does, decided from what it could read, before it changes anything. Pure:
 * the command reads, asks this plan, then carries the steps out in order.
 *
 * The order keeps one cluster at a time on the database: the region being left stops its apps
 * first (when it answers at all); the database moves, and nothing after it happens until the group
 * reads back as primary in the target region; the storage failover runs to its end (typically up
 * to an hour, the account answering no read or write meanwhile, and an app's runtime checks its
 * files container when it starts); the target region's apps start, its leader first; and only then
 * the public entry changes.
 *
 * Only a region that gives no answer at all (a timeout, a refused connection) counts as lost: one
 * that answers with an HTTP error (401, 403, 404, 429, 5xx) answers, and the plan refuses, naming
 * the status. Every step that can lose data (a forced database failover, an unplanned storage
 * failover) is carried out only with `--force`, after the operator has seen the plan.
 *
 * Facts the choices rest on:
 * - SQL failover groups (MicrosoftDocs/sql-docs, `azure-sql/database/auto-failover-group-sql-db.md`;
 *   REST "Failover Groups - Failover" / "Force Failover Allow Data Loss", API 2023-08-01, issued on the
 *   server that becomes primary): a planned failover synchronises first and loses nothing, but needs the
 *   primary to answer; a forced one switches at once and loses what had not replicated (Microsoft's
 *   older table: RPO 5 s).
 * - Storage (MicrosoftDocs/azure-docs, `articles/storage/common/storage-failover-customer-managed-unplanned.md`,
 *   REST "Storage Accounts - Failover", `failoverType=Planned`): a planned failover needs both regions
 *   and loses nothing; an unplanned one loses the writes after `lastSyncTime` (typically under 15
 *   minutes) and leaves the account locally redundant in its new region; GZRS fails over to the
 *   stack region's pair, whatever the standby's region. Geo-redundancy after an unplanned failover
 *   comes back as GRS only ("To regain geo-redundancy after a failover, you need to reconfigure your
 *   account as GRS"); from GRS, zone redundancy (GZRS) comes back by a customer-initiated conversion
 *   (`articles/storage/common/redundancy-migration.md`), not by a change of SKU.
 */

export type Direction = "toStandby" | "toPrimary";
export type RegionName = "primary" | "standby";

/** How a read went: answered, answered with an HTTP error status, or no answer at all (timeout, connection failure). */
export type ReadAnswer<T> =
    | { readonly kind: "answered"; readonly value: T }
    | { readonly kind: "httpError"; readonly status: number; readonly code: string | undefined }
    | { readonly kind: "noAnswer"; readonly reason: string };

export interface RegionNodes {
    /** VM names, the leader first. */
    readonly leader: string | undefined;
    readonly followers: readonly string[];
}

/** What the command could read before deciding. */
export interface FailoverObservation {
    readonly direction: Direction;
    /** The stack region's failover group, read on its own server: whether that region answers. */
    readonly primaryGroup: ReadAnswer<unknown>;
    /** The failover group's role on the standby's partner server. */
    readonly partnerRole: ReadAnswer<"Primary" | "Secondary" | undefined>;
    readonly storage: ReadAnswer<StorageObservation>;
    /** Each region's VMs; the stack region's only when it answered the group read. */
    readonly nodes: Readonly<Record<RegionName, ReadAnswer<RegionNodes>>>;
    readonly locations: Readonly<Record<RegionName, string>>;
    /** `--force`: the operator accepts losing data, and a stack region that answers with an error counts as lost. */
    readonly force: boolean;
}

export interface StorageObservation {
    /** The account's primary location now. */
    readonly primaryLocation: string;
    readonly skuName: string;
    readonly failoverInProgress: boolean;
    /** `geoReplicationStats.canPlannedFailover`: both regions answer and the account may swap without loss. */
    readonly canPlannedFailover: boolean;
    /** `geoReplicationStats.lastSyncTime`: writes after it are not in the secondary yet. */
    readonly lastSyncTime: string | undefined;
}

export type FailoverStep =
    | { readonly kind: "stopApps"; readonly region: RegionName; readonly vms: readonly string[] }
    | { readonly kind: "database"; readonly mode: "planned" | "forced" }
    /** Starts the storage failover (`inProgress`: one already runs) and waits until it ends: no app starts while the account answers no read or write. */
    | { readonly kind: "storage"; readonly mode: "planned" | "unplanned" | "inProgress" }
    | { readonly kind: "startApps"; readonly region: RegionName; readonly leader: string | undefined; readonly followers: readonly string[] }
    | { readonly kind: "entry"; readonly primaryEndpoint: "Enabled" | "Disabled" };

export interface FailoverPlan {
    readonly steps: readonly FailoverStep[];
    /** What the operator must know: data a forced step can lose, steps left out and why. */
    readonly notes: readonly string[];
    /** Set when the command must not go on at all. */
    readonly refusal: string | undefined;
    /** The steps that can lose data: the command carries the plan out only with `--force` while there are any. */
    readonly lossy: readonly string[];
}

const geoRedundantSkus = new Set(["Standard_GZRS", "Standard_RAGZRS", "Standard_GRS", "Standard_RAGRS"]);

/** A read that did not answer with what was asked, in words: the HTTP status and code, or why nothing answered. */
export function unanswered(answer: Exclude<ReadAnswer<unknown>, { kind: "answered" }>): string {
    return answer.kind === "httpError" ? `answered HTTP ${answer.status}${answer.code === undefined ? "" : ` ${answer.code}`}` : `gave no answer (${answer.reason})`;
}

const refused = (refusal: string): FailoverPlan => ({ steps: [], notes: [], refusal, lossy: [] });

const forceHint = "If Azure's status page or Service Health says the stack's region is down and you must fail over anyway, run again with --force: " +
    "the stack's region then counts as lost, and the database fails over FORCED.";

export function planFailover(observation: FailoverObservation): FailoverPlan {
    const target: RegionName = observation.direction === "toStandby" ? "standby" : "primary";
    const source: RegionName = target === "standby" ? "primary" : "standby";
    const notes: string[] = [];
    const lossy: string[] = [];

    const role = observation.partnerRole;
    if (role.kind !== "answered" || role.value === undefined) {
        return refused(`the standby's SQL server ${role.kind === "answered" ? "did not say its role" : unanswered(role)} reading its failover group: ` +
            "nothing was changed; check the operator's sign-in (`az account show`) and read access to the standby's resource group");
    }

    const primaryGroup = observation.primaryGroup;
    if (target === "primary" && primaryGroup.kind !== "answered") {
        return refused(`the stack's own region ${unanswered(primaryGroup)} reading its failover group: failing back needs it to answer, ` +
            "and every step planned (nothing lost); run it again once it answers");
    }
    if (primaryGroup.kind === "httpError" && !observation.force) {
        return refused(`the stack's own region ${unanswered(primaryGroup)} reading its failover group: a region that answers is not lost. ` +
            `Check the sign-in and its roles (docs/losing-a-region.md, "Who may fail over"). ${forceHint}`);
    }
    if (primaryGroup.kind === "httpError") {
        notes.push(`--force: the stack's region ${unanswered(primaryGroup)}, and counts as lost.`);
    }
    const primaryAnswers = primaryGroup.kind === "answered";
    const sourceAnswers = source === "primary" ? primaryAnswers : true;

    const targetNodes = observation.nodes[target];
    if (targetNodes.kind !== "answered") {
        return refused(`listing the VMs of the ${target} region ${unanswered(targetNodes)}: the failover could not start its apps; nothing was changed`);
    }
    const sourceNodes = sourceAnswers ? observation.nodes[source] : undefined;
    if (sourceNodes !== undefined && sourceNodes.kind !== "answered" && !observation.force) {
        return refused(`listing the VMs of the ${source} region ${unanswered(sourceNodes)}: their apps could not be stopped, and two regions' apps must never run ` +
            `on one database; nothing was changed. Run it again; ${forceHint}`);
    }

    const steps: FailoverStep[] = [];
    if (sourceNodes?.kind === "answered") {
        const vms = [...sourceNodes.value.followers, ...(sourceNodes.value.leader === undefined ? [] : [sourceNodes.value.leader])];
        if (vms.length > 0) {
            steps.push({ kind: "stopApps", region: source, vms });
        }
    } else if (sourceNodes !== undefined) {
        notes.push(`--force: the ${source} region's VMs could not be listed (${unanswered(sourceNodes)}); their apps were not stopped.`);
    } else {
        notes.push("The stack's own region does not answer: its nodes were not stopped. They cannot reach the database once it fails over " +
            "(each region's SQL private endpoint is in its own, unpeered network), and the entry no longer sends users there; the failover recorded nothing on them, " +
            "so when the region returns, fail back (or stop them) before anything else.");
    }

    const databaseOnTarget = target === "standby" ? role.value === "Primary" : role.value === "Secondary";
    if (databaseOnTarget) {
        notes.push(`The database group is already primary in the ${target} region: not failed over again.`);
    } else if (sourceAnswers) {
        steps.push({ kind: "database", mode: "planned" });
    } else {
        steps.push({ kind: "database", mode: "forced" });
        lossy.push("the database fails over FORCED");
        notes.push("The database fails over FORCED: transactions the stack's region committed in the last seconds before it was lost, and not yet " +
            "replicated, are gone (Microsoft's figure: RPO 5 s). They come back only if that region returns before anything else writes, which a forced failover rules out.");
    }

    const storage = target === "standby"
        ? storageToStandby(observation, sourceAnswers, notes, lossy)
        : storageBack(observation.storage, observation.locations.primary, notes);
    if (typeof storage === "string") {
        return refused(storage);
    }
    steps.push(...storage);

    if (targetNodes.value.leader === undefined) {
        notes.push(`The ${target} region has no nodes (a cold standby): no app was started. Building its nodes needs the stack region's storage account, ` +
            "whose resource provider stays in the stack's region: set standby.nodeCount and run pulumi up once that region's Azure Resource Manager answers, " +
            "then run this command again to start their apps (docs/losing-a-region.md, \"A cold standby\").");
    } else {
        steps.push({ kind: "startApps", region: target, leader: targetNodes.value.leader, followers: targetNodes.value.followers });
    }
    steps.push({ kind: "entry", primaryEndpoint: target === "standby" ? "Disabled" : "Enabled" });
    return { steps, notes, refusal: undefined, lossy };
}

/** The storage step of a failover to the standby; a refusal as text. */
function storageToStandby(observation: FailoverObservation, sourceAnswers: boolean, notes: string[], lossy: string[]): FailoverStep[] | string {
    const answer = observation.storage;
    const stackRegion = observation.locations.primary;
    if (answer.kind === "httpError" && !observation.force) {
        return `the storage account ${unanswered(answer)}: nothing was changed; check the operator's read access to it. ${forceHint}`;
    }
    if (answer.kind !== "answered") {
        notes.push(`The storage account ${unanswered(answer)}: its failover was not started. Start it when it answers: ` +
            "az storage account failover --resource-group <the stack's resource group> --name <account> (files written after its lastSyncTime are lost).");
        return [];
    }
    const storage = answer.value;
    if (storage.failoverInProgress) {
        notes.push("A storage failover is already in progress: not started again; the command waits for it to end.");
        return [{ kind: "storage", mode: "inProgress" }];
    }
    // GZRS fails over to the stack region's pair, which need not be the standby's region.
    if (storage.primaryLocation !== stackRegion) {
        notes.push(`The storage account's primary is already in ${storage.primaryLocation}, no longer the stack's region (${stackRegion}): not failed over again.`);
        return [];
    }
    if (!geoRedundantSkus.has(storage.skuName)) {
        notes.push(`The storage account is ${storage.skuName}, with no copy in another region: it cannot fail over.`);
        return [];
    }
    if (sourceAnswers && storage.canPlannedFailover) {
        return [{ kind: "storage", mode: "planned" }];
    }
    if (sourceAnswers && !observation.force) {
        notes.push("The storage account cannot fail over planned now (geoReplicationStats.canPlannedFailover is false) while the stack's region answers: " +
            `it stays in ${stackRegion}, which the standby reaches through its private endpoint. Run again once it can, or with --force to fail it over UNPLANNED ` +
            "(the writes after its lastSyncTime are lost, and it becomes locally redundant).");
        return [];
    }
    lossy.push("the files fail over UNPLANNED");
    notes.push(`The files fail over UNPLANNED: blobs written after the account's last sync (${storage.lastSyncTime ?? "unknown"}) are lost, ` +
        "and the account becomes locally redundant in its new region. Azure takes typically up to an hour, and the account answers no read or write until it ends.");
    return [{ kind: "storage", mode: "unplanned" }];
}

/**
 * The storage step of a failback: planned or nothing, never a loss; a refusal as text, with what to
 * do, while the account cannot fail back planned (after an unplanned failover it is locally redundant).
 */
function storageBack(answer: ReadAnswer<StorageObservation>, stackRegion: string, notes: string[]): FailoverStep[] | string {
    if (answer.kind !== "answered") {
        return `the storage account ${unanswered(answer)}: failing back needs it to answer; run it again once it does`;
    }
    const storage = answer.value;
    if (storage.failoverInProgress) {
        notes.push("A storage failover is already in progress: not started again; the command waits for it to end.");
        return [{ kind: "storage", mode: "inProgress" }];
    }
    if (storage.primaryLocation === stackRegion) {
        notes.push(`The storage account's primary is in the stack's region (${stackRegion}) already: not failed back.`);
        return [];
    }
    if (!geoRedundantSkus.has(storage.skuName)) {
        return `the storage account is ${storage.skuName}, as an unplanned failover leaves it: make it geo-redundant first, as GRS (GZRS is not offered after a failover): ` +
            "az storage account update --resource-group <the stack's resource group> --name <account> --sku Standard_GRS; " +
            "then wait until `az storage account show --name <account> --expand geoReplicationStats --query geoReplicationStats.canPlannedFailover` says true " +
            "(Azure copies every blob to the stack's region first: hours for a large account), and run this again";
    }
    if (!storage.canPlannedFailover) {
        return "the storage account cannot fail back planned yet (geoReplicationStats.canPlannedFailover is false: replication to the stack's region has not caught up); " +
            "run this again once `az storage account show --name <account> --expand geoReplicationStats --query geoReplicationStats.canPlannedFailover` says true";
    }
    notes.push(`After the failback the storage account is ${storage.skuName} in the stack's region: if that is not storage.replication (GZRS), ` +
        "convert it, which Azure does in the background (az storage account migration start --account-name <account> --sku Standard_GZRS), " +
        "and set standby.active false and run pulumi up right after this command, without --refresh (the account's state in the stack still names the SKU " +
        "the stack declares, so nothing asks Azure to change it); refresh only once `az storage account show --name <account> --query sku.name` says Standard_GZRS " +
        "(docs/losing-a-region.md, \"Failing back\").");
    return [{ kind: "storage", mode: "planned" }];
}

/** The plan as the operator reads it before the command acts. */
export function describeStep(step: FailoverStep): string {
    switch (step.kind) {
        case "stopApps":
            return `stop the apps in the ${step.region} region (${step.vms.join(", ")}), the leader last, and record them as standing by`;
        case "database":
            return step.mode === "planned" ? "fail the database group over, planned (synchronised first: nothing lost)" : "fail the database group over, FORCED (may lose the last seconds)";
        case "storage":
            return step.mode === "inProgress" ? "wait for the storage failover in progress to end (typically up to an hour)"
                : `start the storage failover, ${step.mode === "planned" ? "planned (nothing lost)" : "UNPLANNED (may lose the writes since the last sync)"}, and wait for it to end (typically up to an hour)`;
        case "startApps":
            return `record the ${step.region} region's nodes as serving and start their apps: ${step.leader ?? "no leader"} first, then ${step.followers.join(", ") || "no follower"}`;
        case "entry":
            return `${step.primaryEndpoint === "Disabled" ? "disable" : "enable"} the stack region's endpoint of the public entry`;
    }
}
