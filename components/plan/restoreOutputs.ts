import { parseUtcInstant } from "../config/restoreConfig";
import { AppDatabase, DatabaseLineage, RestorableSince, RestoreRecord } from "./restore";

/**
 * The restore's record in the stack outputs, written by one deployment and read back by the next
 * (lastDeployment.ts): `databases` (every app's databases, oldest first, the last in use),
 * `restore` (the last restore: its instant, apps and stopped nodes) and `restorableSince` (the
 * earliest instants Azure reported it could restore to). What cannot be read as such reads as
 * nothing; a stack deployed before restores existed has `databaseNames` alone, each app's one database.
 */

/** The `restore` output: what the latest restore restored, to which instant, and which databases the apps use since. */
export interface RestoreOutput extends RestoreRecord {
    /** App -> the database restored and the one it was restored from. */
    readonly databases: Readonly<Record<string, { readonly restored: string; readonly from: string }>>;
    readonly files: { readonly storageAccount: string; readonly containers: readonly string[]; readonly restoreIds: readonly string[] };
}

export interface DeployedRestore {
    readonly databases: DatabaseLineage;
    readonly restore: RestoreRecord | undefined;
    readonly restorableSince: RestorableSince;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : []);
const instant = (value: unknown): string | undefined => (typeof value === "string" && parseUtcInstant(value) !== undefined ? value : undefined);
/** Azure's own timestamps (`2026-12-04T09:03:12.5471234Z`) are read as any date-time it can parse. */
const timestamp = (value: unknown): string | undefined => (typeof value === "string" && !Number.isNaN(Date.parse(value)) ? value : undefined);

function appDatabase(value: unknown): AppDatabase | undefined {
    if (!isRecord(value) || typeof value["name"] !== "string") {
        return undefined;
    }
    const from = value["restoredFrom"];
    if (isRecord(from) && typeof from["database"] === "string" && instant(from["pointInTime"]) !== undefined) {
        return { name: value["name"], restoredFrom: { database: from["database"], pointInTime: String(from["pointInTime"]) } };
    }
    return { name: value["name"] };
}

function lineage(databases: unknown, databaseNames: unknown): DatabaseLineage {
    if (isRecord(databases)) {
        return Object.fromEntries(Object.entries(databases).flatMap(([app, list]) => {
            const entries = Array.isArray(list) ? list.map(appDatabase) : [];
            return entries.length > 0 && entries.every((entry) => entry !== undefined) ? [[app, entries as AppDatabase[]]] : [];
        }));
    }
    if (isRecord(databaseNames)) {
        return Object.fromEntries(Object.entries(databaseNames).flatMap(([app, name]) => (typeof name === "string" ? [[app, [{ name }]]] : [])));
    }
    return {};
}

function restoreRecord(value: unknown): RestoreRecord | undefined {
    const pointInTime = isRecord(value) ? instant(value["pointInTime"]) : undefined;
    return isRecord(value) && pointInTime !== undefined ? { pointInTime, apps: strings(value["apps"]), nodes: strings(value["nodes"]) } : undefined;
}

function timestamps(value: unknown): Record<string, string> {
    return Object.fromEntries(Object.entries(isRecord(value) ? value : {}).flatMap(([key, since]) => {
        const read = timestamp(since);
        return read === undefined ? [] : [[key, read]];
    }));
}

function restorableSince(value: unknown): RestorableSince {
    return {
        files: isRecord(value) ? timestamp(value["files"]) : undefined,
        databases: timestamps(isRecord(value) ? value["databases"] : undefined),
        byDatabase: timestamps(isRecord(value) ? value["byDatabase"] : undefined),
    };
}

export function readDeployedRestore(outputs: { databases: unknown; databaseNames: unknown; restore: unknown; restorableSince: unknown }): DeployedRestore {
    return {
        databases: lineage(outputs.databases, outputs.databaseNames),
        restore: restoreRecord(outputs.restore),
        restorableSince: restorableSince(outputs.restorableSince),
    };
}
