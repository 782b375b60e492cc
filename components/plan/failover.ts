/**
 * What `npm run failover` does, decided from what it could read, before it changes anything. Pure:
 * the command reads, asks this plan, then carries the steps out in order.
 *
 * The order keeps one cluster at a time on the database: the region being left stops its apps
 * first (when it answers at all); the database moves; the storage failover starts (it runs for up to
 * an hour and the apps serve meanwhile, their file operations failing until it ends); the target
 * region's apps start, its leader first; and only then the public entry changes.
 *
 * Facts the choices rest on:
 * - SQL failover groups (MicrosoftDocs/sql-docs, `azure-sql/database/auto-failover-group-sql-db.md`;
 *   REST "Failover Groups - Failover" / "Force Failover Allow Data Loss", API 2023-08-01, issued on the
 *   server that becomes primary): a planned failover synchronises first and loses nothing, but needs the
 *   primary to answer; a forced one switches at once and loses what had not replicated (Microsoft's
 *   older table: RPO 5 s).
 * - Storage (MicrosoftDocs/azure-docs, `articles/storage/common/storage-disaster-recovery-guidance.md`,
 *   REST "Storage Accounts - Failover", `failoverType=Planned`): a planned failover needs both regions
 *   and loses nothing; an unplanned one loses the writes after `lastSyncTime` (typically under 15
 *   minutes) and leaves the account locally redundant in its new region.
 */

export type Direction = "toStandby" | "toPrimary";
export type RegionName = "primary" | "standby";

export interface RegionNodes {
    /** VM names, the leader first. */
    readonly leader: string | undefined;
    readonly followers: readonly string[];
}

/** What the command could read before deciding. `undefined` where the read got no answer. */
export interface FailoverObservation {
    readonly direction: Direction;
    /** The stack's own region answered (its server's failover group read within the time allowed). */
    readonly primaryAnswers: boolean;
    /** The failover group's role on the standby's partner server. */
    readonly partnerRole: "Primary" | "Secondary" | undefined;
    readonly storage: StorageObservation | undefined;
    readonly nodes: Readonly<Record<RegionName, RegionNodes>>;
    readonly apps: readonly string[];
    readonly locations: Readonly<Record<RegionName, string>>;
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
    | { readonly kind: "storage"; readonly mode: "planned" | "unplanned" }
    | { readonly kind: "startApps"; readonly region: RegionName; readonly leader: string | undefined; readonly followers: readonly string[] }
    | { readonly kind: "entry"; readonly primaryEndpoint: "Enabled" | "Disabled" };

export interface FailoverPlan {
    readonly steps: readonly FailoverStep[];
    /** What the operator must know: data a forced step can lose, steps left out and why. */
    readonly notes: readonly string[];
    /** Set when the command must not go on at all. */
    readonly refusal: string | undefined;
}

const geoRedundantSkus = new Set(["Standard_GZRS", "Standard_RAGZRS", "Standard_GRS", "Standard_RAGRS"]);

export function planFailover(observation: FailoverObservation): FailoverPlan {
    const target: RegionName = observation.direction === "toStandby" ? "standby" : "primary";
    const source: RegionName = target === "standby" ? "primary" : "standby";
    const sourceAnswers = source === "primary" ? observation.primaryAnswers : true;
    if (target === "primary" && !observation.primaryAnswers) {
        return {
            steps: [], notes: [],
            refusal: "the stack's own region does not answer: failing back needs it, and a planned failover of the database and the files (nothing lost); run it again once the region answers",
        };
    }
    if (observation.partnerRole === undefined) {
        return {
            steps: [], notes: [],
            refusal: "the standby's SQL server did not say its role in the failover group: nothing was changed; check the operator's sign-in (`az account show`) and read access to the standby's resource group",
        };
    }
    const steps: FailoverStep[] = [];
    const notes: string[] = [];
    const sourceNodes = observation.nodes[source];
    const targetNodes = observation.nodes[target];

    if (sourceAnswers && (sourceNodes.followers.length > 0 || sourceNodes.leader !== undefined)) {
        steps.push({ kind: "stopApps", region: source, vms: [...sourceNodes.followers, ...(sourceNodes.leader === undefined ? [] : [sourceNodes.leader])] });
    } else if (!sourceAnswers) {
        notes.push("The stack's own region does not answer: its nodes were not stopped. They cannot reach the database once it fails over " +
            "(each region's SQL private endpoint is in its own, unpeered network), and the entry no longer sends users there; stop them when the region returns.");
    }

    const databaseOnTarget = target === "standby" ? observation.partnerRole === "Primary" : observation.partnerRole === "Secondary";
    if (databaseOnTarget) {
        notes.push(`The database group is already primary in the ${target} region: not failed over again.`);
    } else if (sourceAnswers) {
        steps.push({ kind: "database", mode: "planned" });
    } else {
        steps.push({ kind: "database", mode: "forced" });
        notes.push("The database fails over FORCED: transactions the stack's region committed in the last seconds before it was lost, and not yet " +
            "replicated, are gone (Microsoft's figure: RPO 5 s). They come back only if that region returns before anything else writes, which a forced failover rules out.");
    }

    steps.push(...storageSteps(observation, target, sourceAnswers, notes));

    if (targetNodes.leader === undefined) {
        notes.push(`The ${target} region has no nodes (a cold standby): no app was started. Set standby.nodeCount and standby.active and run pulumi up to build them; they start their apps when done.`);
    } else {
        steps.push({ kind: "startApps", region: target, leader: targetNodes.leader, followers: targetNodes.followers });
    }
    steps.push({ kind: "entry", primaryEndpoint: target === "standby" ? "Disabled" : "Enabled" });
    return { steps, notes, refusal: undefined };
}

function storageSteps(observation: FailoverObservation, target: RegionName, sourceAnswers: boolean, notes: string[]): FailoverStep[] {
    const storage = observation.storage;
    const targetLocation = observation.locations[target];
    if (storage === undefined) {
        notes.push("The storage account did not answer: its failover was not started. Start it when it does: " +
            "az storage account failover --resource-group <the stack's resource group> --name <account> (files written after its lastSyncTime are lost).");
        return [];
    }
    if (storage.failoverInProgress) {
        notes.push("A storage failover is already in progress: not started again.");
        return [];
    }
    if (storage.primaryLocation === targetLocation) {
        notes.push(`The storage account's primary is already in ${targetLocation}: not failed over.`);
        return [];
    }
    if (!geoRedundantSkus.has(storage.skuName)) {
        notes.push(`The storage account is ${storage.skuName}, with no copy in another region: it cannot fail over. ` +
            "After an unplanned failover the account is locally redundant: set it back to GZRS (pulumi up does, from storage.replication) and fail back once replication has caught up.");
        return [];
    }
    if (sourceAnswers && storage.canPlannedFailover) {
        return [{ kind: "storage", mode: "planned" }];
    }
    if (target === "primary") {
        notes.push("The storage account cannot fail back planned yet (geoReplicationStats.canPlannedFailover is false): left where it is, which the nodes reach either way.");
        return [];
    }
    notes.push(`The files fail over UNPLANNED: blobs written after the account's last sync (${storage.lastSyncTime ?? "unknown"}) are lost, ` +
        "and the account becomes locally redundant in its new region. Azure takes typically up to an hour; the apps' file operations fail until it ends.");
    return [{ kind: "storage", mode: "unplanned" }];
}

/** The plan as the operator reads it before the command acts. */
export function describeStep(step: FailoverStep): string {
    switch (step.kind) {
        case "stopApps":
            return `stop the apps in the ${step.region} region (${step.vms.join(", ")}), the leader last`;
        case "database":
            return step.mode === "planned" ? "fail the database group over, planned (synchronised first: nothing lost)" : "fail the database group over, FORCED (may lose the last seconds)";
        case "storage":
            return step.mode === "planned" ? "start the storage failover, planned (nothing lost)" : "start the storage failover, UNPLANNED (may lose the writes since the last sync)";
        case "startApps":
            return `start the apps in the ${step.region} region: ${step.leader ?? "no leader"} first, then ${step.followers.join(", ") || "no follower"}`;
        case "entry":
            return `${step.primaryEndpoint === "Disabled" ? "disable" : "enable"} the stack region's endpoint of the public entry`;
    }
}
