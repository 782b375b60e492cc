import { ConfigReader, isJsonObject } from "./configReader";
import { defaults, limits, SqlConfig, SqlEntraAdmin, sqlTiers } from "./contract";
import { sqlSkuRules } from "./sqlSkus";

/** The `sql` key: tier and sku the runtime is fast enough on, size, backups, an Entra admin. */

const sqlKeys = ["tier", "sku", "maxSizeGb", "zoneRedundant", "backupRetentionDays", "entraAdmin"] as const;
const entraAdminKeys = ["login", "objectId"] as const;
/** A Microsoft Entra object id (a GUID). */
export const objectIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function readEntraAdmin(reader: ConfigReader, value: unknown): SqlEntraAdmin | undefined {
    const path = "sql.entraAdmin";
    if (value === undefined) {
        return undefined;
    }
    if (!isJsonObject(value)) {
        reader.report(path, value, "a mapping { login, objectId } naming a Microsoft Entra user or group");
        return undefined;
    }
    reader.refuseUnknownKeys(path, value, entraAdminKeys);
    const login = value["login"];
    const objectId = value["objectId"];
    if (typeof login !== "string" || login.trim() === "" || login.length > 128) {
        reader.report(`${path}.login`, login, "the display name of the Entra user or group, 1-128 characters");
    }
    if (typeof objectId !== "string" || !objectIdPattern.test(objectId)) {
        reader.report(`${path}.objectId`, objectId, "the Entra object id of that user or group, a GUID such as 00000000-0000-0000-0000-000000000000");
    }
    return typeof login === "string" && typeof objectId === "string" ? { login, objectId } : undefined;
}

export function readSql(reader: ConfigReader): SqlConfig {
    const sql = reader.mapping("sql", sqlKeys);
    if (sql === undefined) {
        return defaults.sql;
    }
    const backupRetentionDays = reader.checkInteger("sql.backupRetentionDays", sql["backupRetentionDays"] ?? defaults.sql.backupRetentionDays, limits.backupRetentionDays)
        ?? defaults.sql.backupRetentionDays;
    const entraAdmin = readEntraAdmin(reader, sql["entraAdmin"]);
    const tier = sql["tier"] ?? defaults.sql.tier;
    if (!sqlTiers.includes(tier as SqlConfig["tier"])) {
        reader.report("sql.tier", tier, `${sqlTiers.join(" or ")} (other tiers make the Mendix runtime slow)`);
        return defaults.sql;
    }
    const rule = sqlSkuRules[tier as SqlConfig["tier"]];
    const sku = sql["sku"] ?? rule.skus[0];
    const maxSizeGb = reader.checkInteger("sql.maxSizeGb", sql["maxSizeGb"] ?? defaults.sql.maxSizeGb, { min: 1, max: 4096 });
    const zoneRedundant = reader.checkBoolean("sql.zoneRedundant", sql["zoneRedundant"] ?? defaults.sql.zoneRedundant);
    if (typeof sku !== "string" || !rule.skus.includes(sku)) {
        reader.report("sql.sku", sku, `for tier ${String(tier)}: ${rule.describeSkus}`);
        return defaults.sql;
    }
    const sizeProblem = maxSizeGb === undefined ? undefined : rule.sizeProblem(sku, maxSizeGb);
    if (sizeProblem !== undefined) {
        reader.report("sql.maxSizeGb", maxSizeGb, sizeProblem);
    }
    return {
        tier: tier as SqlConfig["tier"],
        sku,
        maxSizeGb: maxSizeGb ?? defaults.sql.maxSizeGb,
        zoneRedundant: zoneRedundant ?? defaults.sql.zoneRedundant,
        backupRetentionDays,
        ...(entraAdmin === undefined ? {} : { entraAdmin }),
    };
}

