import { ConfigReader, isJsonObject, JsonObject } from "./configReader";
import { AppConfig, AppLicense, defaults, limits } from "./contract";
import { isManagedSetting, managedSettingRules } from "./managedSettings";
import { isSecretSettingName } from "./secretSettingNames";
import { formatConfigPath } from "./securePaths";
import { isServiceConsoleKey, serviceConsoleKeys } from "./serviceConsoleKeys";
import { isHttpsUrl } from "./urls";

/** The `apps` key and the licences of `licenseSecrets`: names, custom settings, licences, host names, models. */

const appKeys = ["name", "customSettings", "license", "hostName", "mda"] as const;

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
            customSettings: readCustomSettings(reader, index, item["customSettings"]),
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
export function readLicensedApps(reader: ConfigReader, requireLicense: boolean): readonly AppConfig[] {
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
    const secrets: Record<string, string> = {};
    for (const [app, secret] of Object.entries(value as JsonObject)) {
        if (!reader.isSecretAt("licenseSecrets", [app])) {
            reader.report(`licenseSecrets.${app}`, secret, `a secret, never plain text in the stack file: pulumi config set --secret --path 'licenseSecrets.${app}' <secret>`, true);
        }
        if (typeof secret === "string" && secret.trim() !== "") {
            secrets[app] = secret;
        } else {
            reader.report(`licenseSecrets.${app}`, secret, "a non-empty subscription secret", true);
        }
    }
    return secrets;
}

/**
 * An app's custom settings. A setting whose name marks it a secret (docs/secret-settings.json) must
 * come from secret config: the program keeps it in Key Vault and the settings blobs point at it.
 * Each such value must be encrypted itself: another secret beside it in `apps` is no excuse.
 */
function readCustomSettings(reader: ConfigReader, appIndex: number, value: unknown): Record<string, string> {
    const path = `apps[${appIndex}].customSettings`;
    if (value === undefined) {
        return {};
    }
    if (!isJsonObject(value)) {
        reader.report(path, value, "a mapping of Mendix custom setting names to values");
        return {};
    }
    const settings: Record<string, string> = {};
    for (const [key, setting] of Object.entries(value)) {
        const secret = isSecretSettingName(key);
        if (isManagedSetting(key)) {
            reader.report(`${path}.${key}`, setting, `a setting the stack does not manage itself (it manages ${managedSettingRules.map((rule) => rule.describe).join(", ")})`, secret);
        } else if (isServiceConsoleKey(key)) {
            reader.report(
                `${path}.${key}`,
                setting,
                `a custom setting name that is not one of the Service Console's own settings (${serviceConsoleKeys.join(", ")}), which the console never passes to the runtime; the stack sets the ports, the Java path and the database itself`,
                secret,
            );
        } else if (!/^[A-Za-z][A-Za-z0-9._-]*$/.test(key)) {
            reader.report(`${path}.${key}`, setting, "a setting name of letters, digits, '.', '_' and '-'", secret);
        } else if (secret && !reader.isSecretAt("apps", [appIndex, "customSettings", key])) {
            reader.report(`${path}.${key}`, setting,
                `a secret, as its name says (docs/secret-settings.json), never plain text in the stack file: pulumi config set --secret --path '${formatConfigPath("apps", [appIndex, "customSettings", key])}' <value>`, true);
        } else if (typeof setting === "string" || typeof setting === "number" || typeof setting === "boolean") {
            settings[key] = String(setting);
        } else {
            reader.report(`${path}.${key}`, setting, "a string, number or boolean", secret);
        }
    }
    return settings;
}
