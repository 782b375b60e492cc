import { isManagedSetting, managedSettingRules } from "../plan/settings";
import { adminPasswordProblem, adminPasswordRule, adminUsernameProblem, adminUsernameRule, vmSizeProblem, vmSizeRule } from "./azureVmRules";
import { cidrProblem, cidrRule } from "./cidr";
import { ConfigReader, isJsonObject, JsonObject, RawConfig } from "./configReader";
import { AppConfig, AppLicense, allZones, ClusterConfig, defaults, limits, RolloutConfig, SqlConfig, SqlEntraAdmin, sqlTiers, Zone } from "./contract";
import { deployerCidrProblem, deployerCidrRule, deployerCidrsRequiredRule } from "./deployerCidrs";
import { readDelivery } from "./delivery";
import { sqlSkuRules } from "./sqlSkus";
import { isHttpsUrl } from "./urls";

export const configKeys = [
    "nodeCount", "vmSize", "zones", "dataDiskSizeGb", "adminUsername", "adminPassword", "rdpSourceCidrs",
    "deployerCidrs", "sql", "apps", "protect", "rollout", "licenseSecrets", "requireLicense", "installers", "image",
    "certificate",
] as const;

/** Keys set with `pulumi config set --secret`; Pulumi.yaml cannot declare them (a secret has no plaintext default). */
export const secretConfigKeys: readonly (typeof configKeys)[number][] = ["adminPassword", "licenseSecrets"];

/**
 * Optional mappings whose absence means something (no image, a self-signed certificate, the
 * installers' built-in URLs): Pulumi.yaml cannot declare a key without a default without making
 * it required, so they are described there in comments.
 */
export const optionalConfigKeys: readonly (typeof configKeys)[number][] = ["installers", "image", "certificate"];

const sqlKeys = ["tier", "sku", "maxSizeGb", "zoneRedundant", "backupRetentionDays", "entraAdmin"] as const;
const entraAdminKeys = ["login", "objectId"] as const;
const objectIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const appKeys = ["name", "customSettings", "license", "hostName", "mda"] as const;
const rolloutKeys = ["maxUnavailable", "modelChange"] as const;
const modelChanges: readonly RolloutConfig["modelChange"][] = ["rolling", "stopAll"];

/**
 * Reads and validates the whole stack config. Throws one `ConfigError` that names every wrong value
 * (key, value, what is allowed); returns a config every component can trust.
 */
export function parseClusterConfig(raw: RawConfig): ClusterConfig {
    const reader = new ConfigReader(raw);
    for (const key of reader.keysOtherThan(configKeys)) {
        reader.report(key, reader.rawString(key), `a known key: ${configKeys.join(", ")}`, reader.isSecret(key));
    }
    const requireLicense = reader.boolean("requireLicense", defaults.requireLicense);
    const config: ClusterConfig = {
        nodeCount: reader.integer("nodeCount", defaults.nodeCount, limits.nodeCount),
        vmSize: readVmSize(reader),
        zones: readZones(reader),
        dataDiskSizeGb: reader.integer("dataDiskSizeGb", defaults.dataDiskSizeGb, limits.dataDiskSizeGb),
        adminUsername: readAdminUsername(reader),
        adminPassword: readAdminPassword(reader),
        rdpSourceCidrs: readRdpSourceCidrs(reader),
        deployerCidrs: readDeployerCidrs(reader),
        sql: readSql(reader),
        apps: readLicensedApps(reader, requireLicense),
        protect: reader.boolean("protect", defaults.protect),
        rollout: readRollout(reader),
        requireLicense,
        delivery: readDelivery(reader),
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

function readDeployerCidrs(reader: ConfigReader): readonly string[] {
    const cidrs = reader.stringList("deployerCidrs", defaults.deployerCidrs);
    if (cidrs.length === 0) {
        reader.report("deployerCidrs", cidrs, deployerCidrsRequiredRule);
    }
    cidrs.forEach((cidr, index) => {
        const problem = deployerCidrProblem(cidr);
        if (problem !== undefined) {
            reader.report(`deployerCidrs[${index}]`, cidr, `${deployerCidrRule} (this one is ${problem})`);
        } else if (cidrs.indexOf(cidr) !== index) {
            reader.report(`deployerCidrs[${index}]`, cidr, "each address once");
        }
    });
    return cidrs;
}

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

function readSql(reader: ConfigReader): SqlConfig {
    const value = reader.json("sql", "object");
    if (value === undefined) {
        return defaults.sql;
    }
    const sql = value as JsonObject;
    reader.refuseUnknownKeys("sql", sql, sqlKeys);
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

function readRollout(reader: ConfigReader): RolloutConfig {
    const value = reader.json("rollout", "object");
    if (value === undefined) {
        return defaults.rollout;
    }
    const rollout = value as JsonObject;
    reader.refuseUnknownKeys("rollout", rollout, rolloutKeys);
    const maxUnavailable = reader.checkInteger("rollout.maxUnavailable", rollout["maxUnavailable"] ?? defaults.rollout.maxUnavailable, limits.maxUnavailable);
    const modelChange = rollout["modelChange"] ?? defaults.rollout.modelChange;
    if (!modelChanges.includes(modelChange as RolloutConfig["modelChange"])) {
        reader.report("rollout.modelChange", modelChange, `${modelChanges.join(" or ")}: a new model reaches the nodes one batch at a time, or all nodes stop before the leader starts it`);
    }
    return {
        maxUnavailable: maxUnavailable ?? defaults.rollout.maxUnavailable,
        modelChange: modelChanges.includes(modelChange as RolloutConfig["modelChange"]) ? modelChange as RolloutConfig["modelChange"] : defaults.rollout.modelChange,
    };
}

type UnlicensedApp = AppConfig & { readonly licenseTerms: LicenseTerms | undefined };

function readApps(reader: ConfigReader): readonly UnlicensedApp[] {
    const value = reader.json("apps", "list");
    if (value === undefined) {
        return defaults.apps.map((app) => ({ name: app.name, customSettings: {}, license: undefined, licenseTerms: undefined, hostName: undefined, mda: undefined }));
    }
    const list = value as readonly unknown[];
    if (list.length === 0) {
        reader.report("apps", list, "a list of at least one app, such as [{ name: app }]");
    }
    const seen = new Set<string>();
    const apps = list.flatMap((item, index) => {
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
        return [{
            name,
            customSettings: readCustomSettings(reader, `${path}.customSettings`, item["customSettings"]),
            license: undefined,
            licenseTerms: readLicenseTerms(reader, `${path}.license`, item["license"]),
            hostName: readHostName(reader, `${path}.hostName`, item["hostName"]),
            mda: readModelPath(reader, `${path}.mda`, item["mda"]),
        }];
    });
    const catchAll = list.filter((item) => isJsonObject(item) && item["hostName"] === undefined);
    if (apps.length > 0 && catchAll.length !== 1) {
        reader.report("apps[].hostName", catchAll.map((item) => (item as JsonObject)["name"]),
            "exactly one app without a hostName: its IIS site answers every other host name and the load balancer's health probe");
    }
    return apps;
}

/** https://learn.microsoft.com/troubleshoot/windows-server/active-directory/naming-conventions-for-computer-domain-site-ou */
function readHostName(reader: ConfigReader, path: string, value: unknown): string | undefined {
    if (value === undefined) {
        return undefined;
    }
    const label = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
    if (typeof value !== "string" || value.length > 253 || !new RegExp(`^${label}(?:\\.${label})+$`).test(value)) {
        reader.report(path, value, "a lower-case DNS name such as crm.example.com");
        return undefined;
    }
    return value;
}

function readModelPath(reader: ConfigReader, path: string, value: unknown): string | undefined {
    if (value === undefined) {
        return undefined;
    }
    if (typeof value !== "string" || !/\.mda$/i.test(value)) {
        reader.report(path, value, "the path of the app's MDA file (a Mendix deployment archive, *.mda), relative to the project");
        return undefined;
    }
    return value;
}

/**
 * The apps with their licences: terms from `apps[].license`, secrets from the secret config
 * `licenseSecrets` (app name -> subscription secret). Every mismatch is refused.
 */
function readLicensedApps(reader: ConfigReader, requireLicense: boolean): readonly AppConfig[] {
    const apps = readApps(reader);
    const secrets = readLicenseSecrets(reader);
    const names = apps.map((app) => app.name);
    for (const app of Object.keys(secrets).filter((name) => !names.includes(name))) {
        reader.report(`licenseSecrets.${app}`, secrets[app], `a secret for one of the apps: ${names.join(", ")}`, true);
    }
    return apps.map(({ licenseTerms, ...app }, index) => {
        const secret = secrets[app.name];
        if (licenseTerms !== undefined && secret === undefined) {
            reader.report(`licenseSecrets.${app.name}`, undefined,
                `the subscription secret of app ${app.name}, which has a licence: pulumi config set --secret --path 'licenseSecrets.${app.name}' <secret>`);
        }
        if (licenseTerms === undefined && requireLicense) {
            reader.report(`apps[${index}].license`, undefined, `a licence { environmentName, licenseServerUrl } for app ${app.name}, since requireLicense is true`);
        }
        return licenseTerms !== undefined && secret !== undefined ? { ...app, license: { ...licenseTerms, subscriptionSecret: secret } } : app;
    });
}

type LicenseTerms = Omit<AppLicense, "subscriptionSecret">;
const licenseKeys = ["environmentName", "licenseServerUrl"] as const;

function readLicenseTerms(reader: ConfigReader, path: string, value: unknown): LicenseTerms | undefined {
    if (value === undefined) {
        return undefined;
    }
    if (!isJsonObject(value)) {
        reader.report(path, value, "a mapping { environmentName, licenseServerUrl }");
        return undefined;
    }
    reader.refuseUnknownKeys(path, value, licenseKeys);
    const environmentName = value["environmentName"];
    const licenseServerUrl = value["licenseServerUrl"];
    if (typeof environmentName !== "string" || environmentName.trim() === "") {
        reader.report(`${path}.environmentName`, environmentName, "the non-empty environment name of the subscription licence");
    }
    if (typeof licenseServerUrl !== "string" || !isHttpsUrl(licenseServerUrl)) {
        reader.report(`${path}.licenseServerUrl`, licenseServerUrl, "the https URL of the Mendix licence server");
    }
    return typeof environmentName === "string" && typeof licenseServerUrl === "string" ? { environmentName, licenseServerUrl } : undefined;
}

function readLicenseSecrets(reader: ConfigReader): Readonly<Record<string, string>> {
    const value = reader.json("licenseSecrets", "object");
    if (value === undefined) {
        return {};
    }
    if (!reader.isSecret("licenseSecrets")) {
        reader.report("licenseSecrets", value, "secrets only: pulumi config set --secret --path 'licenseSecrets.<app>' <secret>", true);
        return {};
    }
    const secrets: Record<string, string> = {};
    for (const [app, secret] of Object.entries(value as JsonObject)) {
        if (typeof secret === "string" && secret.trim() !== "") {
            secrets[app] = secret;
        } else {
            reader.report(`licenseSecrets.${app}`, secret, "a non-empty subscription secret", true);
        }
    }
    return secrets;
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
