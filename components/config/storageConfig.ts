import { ConfigReader } from "./configReader";
import { limits, StorageConfig, StorageReplication, storageReplications, Zone } from "./contract";

/**
 * The `storage` key: how the account replicates, and how long deleted blobs stay restorable.
 * Absent: ZRS on a stack with zones (LRS without).
 * Locally redundant storage lives in one zone, so a stack spread over zones refuses it.
 *
 * The files can go back as far as the databases: point-in-time restore of block blobs keeps
 * `sql.backupRetentionDays`, and Azure requires blob soft delete to keep at least one day longer
 * than that window ("The retention period for point-in-time restore must be at least one day less
 * than the retention period specified for soft delete": Microsoft Learn, "Point-in-time restore for
 * block blobs").
 */

const storageKeys = ["replication", "softDeleteDays"] as const;

/** Soft delete of a stack whose restore window is short: what the stack kept before its files could be restored. */
export const minimumDefaultSoftDeleteDays = 14;

export function defaultReplication(zones: readonly Zone[]): StorageReplication {
    return zones.length > 0 ? "ZRS" : "LRS";
}

export function allowedReplications(zones: readonly Zone[]): readonly StorageReplication[] {
    return zones.length > 0 ? storageReplications.filter((replication) => replication !== "LRS") : storageReplications;
}

/** Soft delete when `storage.softDeleteDays` is not set: two weeks, or one day past the restore window if that is longer. */
export function defaultSoftDeleteDays(restoreWindowDays: number): number {
    return Math.max(minimumDefaultSoftDeleteDays, restoreWindowDays + 1);
}

function readSoftDeleteDays(reader: ConfigReader, value: unknown, restoreWindowDays: number): number {
    const fallback = defaultSoftDeleteDays(restoreWindowDays);
    if (value === undefined) {
        return fallback;
    }
    const days = reader.checkInteger("storage.softDeleteDays", value, limits.softDeleteDays);
    if (days !== undefined && days <= restoreWindowDays) {
        reader.report("storage.softDeleteDays", days,
            `a whole number from ${restoreWindowDays + 1} to ${limits.softDeleteDays.max}: at least one day more than sql.backupRetentionDays (${restoreWindowDays}), ` +
            "since Azure keeps the files restorable as far back as the databases only while soft delete outlasts that window");
        return fallback;
    }
    return days ?? fallback;
}

/** `restoreWindowDays`: how far back the files must be restorable (`sql.backupRetentionDays`). */
export function readStorage(reader: ConfigReader, zones: readonly Zone[], restoreWindowDays: number): StorageConfig {
    const fallback = { replication: defaultReplication(zones), softDeleteDays: defaultSoftDeleteDays(restoreWindowDays) };
    const storage = reader.mapping("storage", storageKeys);
    if (storage === undefined) {
        return fallback;
    }
    const softDeleteDays = readSoftDeleteDays(reader, storage["softDeleteDays"], restoreWindowDays);
    const replication = storage["replication"] ?? fallback.replication;
    const allowed = allowedReplications(zones);
    if (!allowed.includes(replication as StorageReplication)) {
        const why = replication === "LRS" ? " (LRS keeps every copy in one zone, and this stack spreads its nodes over zones)" : "";
        reader.report("storage.replication", replication, `one of ${allowed.join(", ")}${why}`);
        return { ...fallback, softDeleteDays };
    }
    return { replication: replication as StorageReplication, softDeleteDays };
}
