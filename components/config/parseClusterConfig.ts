import { isManagedSetting, managedSettingRules } from "../plan/settings";
import { adminPasswordProblem, adminPasswordRule, adminUsernameProblem, adminUsernameRule, vmSizeProblem, vmSizeRule } from "./azureVmRules";
import { cidrProblem, cidrRule } from "./cidr";
import { ConfigReader, isJsonObject, JsonObject, RawConfig } from "./configReader";
import { AppConfig, allZones, ClusterConfig, defaults, limits, RolloutConfig, SqlConfig, sqlTiers, Zone } from "./contract";
import { sqlSkuRules } from "./sqlSkus";

export const configKeys = [
    "nodeCount", "vmSize", "zones", "dataDiskSizeGb", "adminUsername", "adminPassword", "rdpSourceCidrs",
    "sql", "apps", "protect", "rollout",
] as const;

const sqlKeys = ["tier", "sku", "maxSizeGb", "zoneRedundant"] as const;
const appKeys = ["name", "customSettings"] as const;
const rolloutKeys = ["maxUnavailable"] as const;

/**
 * Reads and validates the whole stack config. Throws one `ConfigError` that names every wrong value
 * (key, value, what is allowed); returns a config every component can trust.
 */
export function parseClusterConfig(raw: RawConfig): ClusterConfig {
    const reader = new ConfigReader(raw);
    for (const key of reader.keysOtherThan(configKeys)) {
        reader.report(key, reader.rawString(key), `a known key: ${configKeys.join(", ")}`, reader.isSecret(key));
    }
    const config: ClusterConfig = {
        nodeCount: reader.integer("nodeCount", defaults.nodeCount, limits.nodeCount),
        vmSize: readVmSize(reader),
        zones: readZones(reader),
        dataDiskSizeGb: reader.integer("dataDiskSizeGb", defaults.dataDiskSizeGb, limits.dataDiskSizeGb),
        adminUsername: readAdminUsername(reader),
        adminPassword: readAdminPassword(reader),
        rdpSourceCidrs: readRdpSourceCidrs(reader),
        sql: readSql(reader),
        apps: readApps(reader),
        protect: reader.boolean("protect", defaults.protect),
        rollout: readRollout(reader),
    };
    reader.finish();
    return config;
}

function readVmSize(reader: ConfigReader): string {
    const size = reader.string("vmSize", defaults.vmSize);
    if (vmSizeProblem(size)) {
        reader.report("vmSize", size, vmSizeRule);
    }
    return size;
}

function readZones(reader: ConfigReader): readonly Zone[] {
    const zones = reader.stringList("zones", defaults.zones);
    const valid = zones.filter((zone): zone is Zone => (allZones as readonly string[]).includes(zone));
    if (valid.length !== zones.length || new Set(zones).size !== zones.length) {
        reader.report("zones", zones, `a list of distinct zones out of "1", "2", "3"; an empty list for no zones`);
    }
    return valid;
}

function readAdminUsername(reader: ConfigReader): string {
    const name = reader.string("adminUsername", defaults.adminUsername);
    if (adminUsernameProblem(name)) {
        reader.report("adminUsername", name, adminUsernameRule);
    }
    return name;
}

function readAdminPassword(reader: ConfigReader): string | undefined {
    const password = reader.rawString("adminPassword");
    if (password === undefined || password === "") {
        return undefined;
    }
    if (!reader.isSecret("adminPassword")) {
        reader.report("adminPassword", password, "a secret: set it with `pulumi config set --secret adminPassword`", true);
    } else if (adminPasswordProblem(password)) {
        reader.report("adminPassword", password, adminPasswordRule, true);
    }
    return password;
}

function readRdpSourceCidrs(reader: ConfigReader): readonly string[] {
    const cidrs = reader.stringList("rdpSourceCidrs", defaults.rdpSourceCidrs);
    cidrs.forEach((cidr, index) => {
        if (cidrProblem(cidr)) {
            reader.report(`rdpSourceCidrs[${index}]`, cidr, cidrRule);
        }
    });
    return cidrs;
}

function readSql(reader: ConfigReader): SqlConfig {
    const value = reader.json("sql", "object");
    if (value === undefined) {
        return defaults.sql;
    }
    const sql = value as JsonObject;
    reader.refuseUnknownKeys("sql", sql, sqlKeys);
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
    };
}

function readRollout(reader: ConfigReader): RolloutConfig {
    const value = reader.json("rollout", "object");
    if (value === undefined) {
        return defaults.rollout;
    }
    const rollout = value as JsonObject;
    reader.refuseUnknownKeys("rollout", rollout, rolloutKeys);
    const maxUnavailable = reader.checkInteger("rollout.maxUnavailable", rollout["maxUnavailable"] ?? defaults.rollout.maxUnavailable, limits.maxUnavailable);
    return { maxUnavailable: maxUnavailable ?? defaults.rollout.maxUnavailable };
}

function readApps(reader: ConfigReader): readonly AppConfig[] {
    const value = reader.json("apps", "list");
    if (value === undefined) {
        return defaults.apps.map((app) => ({ name: app.name, customSettings: {} }));
    }
    const list = value as readonly unknown[];
    if (list.length === 0) {
        reader.report("apps", list, "a list of at least one app, such as [{ name: app }]");
    }
    const seen = new Set<string>();
    return list.flatMap((item, index) => {
        const path = `apps[${index}]`;
        if (!isJsonObject(item)) {
            reader.report(path, item, "a mapping with a name and optional customSettings");
            return [];
        }
        reader.refuseUnknownKeys(path, item, appKeys);
        const name = item["name"];
        if (typeof name !== "string" || !limits.appName.test(name)) {
            reader.report(`${path}.name`, name, "1-20 lower-case letters and digits");
            return [];
        }
        if (seen.has(name)) {
            reader.report(`${path}.name`, name, "a name no other app has (each app gets its own database and container)");
        }
        seen.add(name);
        return [{ name, customSettings: readCustomSettings(reader, `${path}.customSettings`, item["customSettings"]) }];
    });
}

function readCustomSettings(reader: ConfigReader, path: string, value: unknown): Record<string, string> {
    if (value === undefined) {
        return {};
    }
    if (!isJsonObject(value)) {
        reader.report(path, value, "a mapping of Mendix custom setting names to values");
        return {};
    }
    const settings: Record<string, string> = {};
    for (const [key, setting] of Object.entries(value)) {
        if (isManagedSetting(key)) {
            reader.report(`${path}.${key}`, setting, `a setting the stack does not manage itself (it manages ${managedSettingRules.map((rule) => rule.describe).join(", ")})`);
        } else if (!/^[A-Za-z][A-Za-z0-9._-]*$/.test(key)) {
            reader.report(`${path}.${key}`, setting, "a setting name of letters, digits, '.', '_' and '-'");
        } else if (typeof setting === "string" || typeof setting === "number" || typeof setting === "boolean") {
            settings[key] = String(setting);
        } else {
            reader.report(`${path}.${key}`, setting, "a string, number or boolean");
        }
    }
    return settings;
}
