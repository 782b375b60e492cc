import { ConfigReader } from "./configReader";
import { defaults, RestoreConfig } from "./contract";

/**
 * The `restore` key: `pointInTime`, the moment every app's database and files go back to, and
 * `keepFormerDatabases`, whether the databases a restore replaced stay declared. Only the form of
 * the instant is checked here; whether it lies within what Azure can restore depends on the time of
 * the run and on what the last deployment left (plan/restore.ts).
 */

const restoreKeys = ["pointInTime", "keepFormerDatabases"] as const;

/**
 * A UTC instant to the second, as Azure takes it: `YYYY-MM-DDTHH:MM:SSZ`. Azure Storage "always uses
 * UTC date/time values as the restore point" (Microsoft Learn, "Perform a point-in-time restore on
 * block blob data"); a local time or an offset would silently move the restore by hours.
 */
const utcInstantPattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

export const utcInstantRule = "a UTC instant in ISO 8601, to the second and ending in Z, such as 2026-12-04T09:00:00Z";

/** The instant `text` names, or undefined when it is not `YYYY-MM-DDTHH:MM:SSZ` or names no real date (2026-02-30). */
export function parseUtcInstant(text: string): Date | undefined {
    if (!utcInstantPattern.test(text)) {
        return undefined;
    }
    const instant = new Date(text);
    return Number.isNaN(instant.getTime()) || instant.toISOString() !== text.replace("Z", ".000Z") ? undefined : instant;
}

export function readRestore(reader: ConfigReader): RestoreConfig {
    const restore = reader.mapping("restore", restoreKeys);
    if (restore === undefined) {
        return defaults.restore;
    }
    const keepFormerDatabases = reader.checkBoolean("restore.keepFormerDatabases", restore["keepFormerDatabases"] ?? defaults.restore.keepFormerDatabases)
        ?? defaults.restore.keepFormerDatabases;
    const pointInTime = restore["pointInTime"];
    if (pointInTime === undefined || pointInTime === null) {
        return { pointInTime: undefined, keepFormerDatabases };
    }
    if (typeof pointInTime !== "string" || parseUtcInstant(pointInTime) === undefined) {
        reader.report("restore.pointInTime", pointInTime, utcInstantRule);
        return { pointInTime: undefined, keepFormerDatabases };
    }
    return { pointInTime, keepFormerDatabases };
}
