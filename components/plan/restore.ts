import { ConfigIssue, describeValue } from "../config/configError";
import { parseUtcInstant, utcInstantRule } from "../config/restoreConfig";
import { nodeIndex } from "./nodes";

/**
 * Which databases each app has and uses, and the restore that put them there: a restore is
 * one-way. `restore.pointInTime` asks for one; once it is done, the stack keeps serving the
 * restored databases and keeps declaring everything as it was, whatever the key says later, because
 * what the last deployment did (its outputs, read back before anything is registered) decides, not
 * the key. A restore runs again only for an instant other than the last one restored to.
 *
 * Azure restores a database to a point in time as a new database on the same server ("You can't
 * overwrite an existing database during restore": Microsoft Learn, "Restore a database from a
 * backup in Azure SQL Database"), from the one in use; the one restored from is kept.
 */

/** A database an app has had: the first the stack made, or one restored from another. */
export interface AppDatabase {
    readonly name: string;
    /** On a restored database: the database it was restored from, and to which instant. */
    readonly restoredFrom?: { readonly database: string; readonly pointInTime: string };
}

/** App -> its databases, oldest first: the last is the one its nodes use. */
export type DatabaseLineage = Readonly<Record<string, readonly AppDatabase[]>>;

/** A restore of the cluster to one instant: which apps' databases and files, which nodes were stopped for it. */
export interface RestoreRecord {
    readonly pointInTime: string;
    readonly apps: readonly string[];
    readonly nodes: readonly string[];
}

/** The earliest instants Azure could restore to at the last deployment, as it reported them. */
export interface RestorableSince {
    /** The blob service's `restorePolicy.minRestoreTime`; undefined while point-in-time restore of the files was never on. */
    readonly files: string | undefined;
    /** App -> its database's `earliestRestoreDate`. */
    readonly databases: Readonly<Record<string, string>>;
    /** Database -> its `earliestRestoreDate`, for every database declared; absent on a stack deployed before it was recorded. */
    readonly byDatabase?: Readonly<Record<string, string>>;
}

export interface RestoreInput {
    /** `restore.pointInTime`. */
    readonly pointInTime: string | undefined;
    /** `restore.keepFormerDatabases`. */
    readonly keepFormerDatabases: boolean;
    /** The apps of the config. */
    readonly apps: readonly string[];
    /** `nodeCount`: the nodes this deployment keeps. */
    readonly nodeCount: number;
    /** What the last deployment left; empty lineage and no nodes for a stack never deployed. */
    readonly deployed: {
        readonly nodes: readonly string[];
        readonly databases: DatabaseLineage;
        readonly restore: RestoreRecord | undefined;
        readonly restorableSince: RestorableSince;
    };
    /** `sql.backupRetentionDays`, which is also the files' restore window. */
    readonly retentionDays: number;
    /** The stack has a standby region, whose failover group holds the databases in use. */
    readonly standby: boolean;
    readonly now: Date;
    /** The database an app starts with, and the one a restore to `key` makes (plan/names.ts). */
    readonly names: { sqlDatabase(app: string): string; restoredSqlDatabase(app: string, key: string): string };
}

export interface RestorePlan {
    /** Every database each app keeps declared, oldest first; the last is the one its nodes use. */
    readonly databases: DatabaseLineage;
    /** The latest restore, declared as it was; `performedNow` when this deployment is the one that performs it. */
    readonly restore: (RestoreRecord & { readonly key: string; readonly performedNow: boolean }) | undefined;
}

const dayMs = 24 * 60 * 60 * 1000;

/** `2026-12-04T09:00:00Z` -> `20261204t090000z`: the part of a name that says which restore made it. */
export function restoreKey(pointInTime: string): string {
    return pointInTime.replace(/[-:]/g, "").toLowerCase();
}

/** App -> the database its nodes use: the last of its lineage. */
export function databasesInUse(databases: DatabaseLineage): Record<string, string> {
    return Object.fromEntries(Object.entries(databases).flatMap(([app, lineage]) => {
        const last = lineage[lineage.length - 1];
        return last === undefined ? [] : [[app, last.name]];
    }));
}

/** The lineage of every app of the config: as deployed, or its first database for an app not deployed yet. */
function deployedLineage(input: RestoreInput): Record<string, readonly AppDatabase[]> {
    return Object.fromEntries(input.apps.map((app) => [app, input.deployed.databases[app] ?? [{ name: input.names.sqlDatabase(app) }]]));
}

/** Whether the config asks for a restore the last deployment has not done. */
export function restoreAsked(input: Pick<RestoreInput, "pointInTime" | "deployed">): boolean {
    return input.pointInTime !== undefined && input.pointInTime !== input.deployed.restore?.pointInTime;
}

/** The apps a new restore covers: those of the config whose databases the last deployment had. */
function appsToRestore(input: RestoreInput): string[] {
    return input.apps.filter((app) => input.deployed.databases[app] !== undefined);
}

/**
 * Why `restore.pointInTime` cannot be restored to, as a config issue; undefined when it can (or
 * when it asks for nothing new). Refused: a stack never deployed, an instant in the future, one
 * older than the databases' retention and the files' restore window (both `sql.backupRetentionDays`),
 * older than the earliest instant Azure reported it could restore a database or the files to (a
 * database younger than its retention, files whose restore policy was turned on recently: "you
 * cannot restore blobs to a state prior to the beginning of the retention period", which "begins a
 * few minutes after you enable point-in-time restore"), and an instant whose databases exist.
 */
export function restoreRefusal(input: RestoreInput): ConfigIssue | undefined {
    const text = input.pointInTime;
    if (text === undefined || !restoreAsked(input)) {
        return undefined;
    }
    const refuse = (allowed: string): ConfigIssue => ({ key: "restore.pointInTime", value: describeValue(text), allowed });
    const instant = parseUtcInstant(text);
    if (instant === undefined) {
        return refuse(utcInstantRule);
    }
    if (input.standby) {
        return refuse("nothing on a stack with a standby region: its failover group and geo-secondaries replicate the databases in use " +
            "and do not follow a restore to new ones; take standby out of the stack config and run pulumi up first, then restore, then set standby again " +
            "(docs/restoring.md, \"Limits\")");
    }
    const apps = appsToRestore(input);
    if (input.deployed.nodes.length === 0 || apps.length === 0) {
        return refuse("an instant to restore a deployed cluster to; this stack has not been deployed, so there is nothing to restore: deploy it first, without restore.pointInTime");
    }
    const now = iso(input.now);
    if (instant.getTime() > input.now.getTime()) {
        return refuse(`an instant in the past (it is ${now} now)`);
    }
    const retentionStart = new Date(input.now.getTime() - input.retentionDays * dayMs);
    if (instant < retentionStart) {
        return refuse(`an instant no earlier than ${iso(retentionStart)}: the databases and the files are restorable for sql.backupRetentionDays (${input.retentionDays} days) back from now (${now})`);
    }
    const filesSince = input.deployed.restorableSince.files;
    if (filesSince === undefined) {
        return refuse("nothing yet: Azure reports point-in-time restore of the files off. Deploy once without restore.pointInTime; " +
            "the files are restorable from a few minutes after that deployment");
    }
    if (instant.getTime() < Date.parse(filesSince)) {
        return refuse(`an instant no earlier than ${filesSince}, the earliest Azure can restore the files to (point-in-time restore of the files began then)`);
    }
    for (const app of apps) {
        const lineage = input.deployed.databases[app] ?? [];
        if (restoreSource(lineage, instant, input.deployed.restorableSince, app) === undefined) {
            const earliest = lineage.map((database) => databaseSince(lineage, database, input.deployed.restorableSince, app)).filter((since) => since !== undefined).sort()[0];
            return refuse(earliest === undefined
                ? `nothing yet for app ${app}: Azure reports no backup of its databases to restore from (a database has one minutes after it is made); run again later`
                : `an instant no earlier than ${earliest}, the earliest Azure can restore the database of app ${app} to (the oldest of its databases kept was made then)`);
        }
    }
    const key = restoreKey(text);
    const taken = apps.filter((app) => (input.deployed.databases[app] ?? []).some((database) => database.name === input.names.restoredSqlDatabase(app, key)));
    if (taken.length > 0) {
        return refuse(`an instant other than ${text}: the cluster was restored to it before and its databases (${taken.map((app) => input.names.restoredSqlDatabase(app, key)).join(", ")}) ` +
            "exist; restore to a second later instead");
    }
    return undefined;
}

/**
 * Why `nodeCount` cannot go down in the deployment that restores, as a config issue; undefined
 * when it does not. The restore stops the apps on every node the last deployment left and waits for
 * those stops; a node removed in the same deployment is neither stopped nor told of the restored
 * databases, and Azure deletes it while the restore runs, its apps still writing to the database
 * and the files restored from.
 */
export function restoreNodeCountRefusal(input: Pick<RestoreInput, "pointInTime" | "deployed" | "nodeCount">): ConfigIssue | undefined {
    if (input.pointInTime === undefined || !restoreAsked(input)) {
        return undefined;
    }
    const removed = input.deployed.nodes.filter((node) => (nodeIndex(node) ?? -1) >= input.nodeCount);
    if (removed.length === 0) {
        return undefined;
    }
    const deployedCount = input.deployed.nodes.length;
    return {
        key: "nodeCount",
        value: describeValue(input.nodeCount),
        allowed: `at least ${deployedCount} (the nodes deployed: ${input.deployed.nodes.join(", ")}) while restore.pointInTime (${input.pointInTime}) asks for a restore: ` +
            `the restore stops the apps on every deployed node, and ${removed.join(", ")} would be deleted mid-restore without being stopped. ` +
            `Restore with nodeCount ${deployedCount}, then lower nodeCount in the next deployment (or lower it first, then restore)`,
    };
}

function databaseSince(lineage: readonly AppDatabase[], database: AppDatabase, since: RestorableSince, app: string): string | undefined {
    return since.byDatabase?.[database.name] ?? (database === lineage[lineage.length - 1] ? since.databases[app] : undefined);
}

/**
 * The database a restore to `instant` restores from: the newest of the app's databases kept whose
 * backups reach back to it. An instant before the last restore's deployment is in the backups of
 * the database the apps used at that instant, not of the one restored later (whose backups begin
 * when it was made). A database whose earliest instant Azure does not report (one made minutes ago,
 * before its first backup) reaches back to nothing. Undefined when none does.
 */
export function restoreSource(lineage: readonly AppDatabase[], instant: Date, since: RestorableSince, app: string): AppDatabase | undefined {
    return [...lineage].reverse().find((database) => {
        const earliest = databaseSince(lineage, database, since, app);
        return earliest !== undefined && instant.getTime() >= Date.parse(earliest);
    });
}

function iso(instant: Date): string {
    return instant.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * The databases every app keeps declared and the restore to declare. Call `restoreRefusal` first:
 * this assumes a restore asked for can be done.
 */
export function planRestore(input: RestoreInput): RestorePlan {
    const deployed = deployedLineage(input);
    const restore = restoreAsked(input) && input.pointInTime !== undefined
        ? { pointInTime: input.pointInTime, apps: appsToRestore(input), nodes: [...input.deployed.nodes], performedNow: true }
        : input.deployed.restore === undefined ? undefined : { ...input.deployed.restore, performedNow: false };
    const key = restore === undefined ? undefined : restoreKey(restore.pointInTime);
    const lineage = Object.fromEntries(Object.entries(deployed).map(([app, databases]) => {
        const inUse = databases[databases.length - 1] ?? { name: input.names.sqlDatabase(app) };
        const restored = restore?.performedNow === true && key !== undefined && restore.apps.includes(app)
            ? [{
                name: input.names.restoredSqlDatabase(app, key),
                restoredFrom: { database: (restoreSource(databases, new Date(restore.pointInTime), input.deployed.restorableSince, app) ?? inUse).name, pointInTime: restore.pointInTime },
            }]
            : [];
        const all = [...databases, ...restored];
        // The database in use stays declared whatever the key says; the former ones while they are
        // kept, and always in the deployment that restores from them.
        return [app, input.keepFormerDatabases || restore?.performedNow === true ? all : all.slice(-1)];
    }));
    return { databases: lineage, restore: restore === undefined || key === undefined ? undefined : { ...restore, key } };
}
