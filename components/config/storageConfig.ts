import { ConfigReader } from "./configReader";
import { StorageConfig, StorageReplication, storageReplications, Zone } from "./contract";

/**
 * The `storage` key: how the account replicates. Absent: ZRS on a stack with zones (LRS without).
 * Locally redundant storage lives in one zone, so a stack spread over zones refuses it.
 */

const storageKeys = ["replication"] as const;

export function defaultReplication(zones: readonly Zone[]): StorageReplication {
    return zones.length > 0 ? "ZRS" : "LRS";
}

export function allowedReplications(zones: readonly Zone[]): readonly StorageReplication[] {
    return zones.length > 0 ? storageReplications.filter((replication) => replication !== "LRS") : storageReplications;
}

export function readStorage(reader: ConfigReader, zones: readonly Zone[]): StorageConfig {
    const fallback = { replication: defaultReplication(zones) };
    const storage = reader.mapping("storage", storageKeys);
    if (storage === undefined) {
        return fallback;
    }
    const replication = storage["replication"] ?? fallback.replication;
    const allowed = allowedReplications(zones);
    if (!allowed.includes(replication as StorageReplication)) {
        const why = replication === "LRS" ? " (LRS keeps every copy in one zone, and this stack spreads its nodes over zones)" : "";
        reader.report("storage.replication", replication, `one of ${allowed.join(", ")}${why}`);
        return fallback;
    }
    return { replication: replication as StorageReplication };
}
