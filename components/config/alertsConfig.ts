import { ConfigReader, isJsonObject, JsonObject } from "./configReader";
import { isHttpsUrl } from "./urls";

/**
 * The `alerts` key: who is told when an alert fires (e-mail addresses, an optional webhook) and the
 * thresholds the alerts fire at. The defaults are Azure Monitor Baseline Alerts' values
 * (`Azure/azure-monitor-baseline-alerts`, `services/<provider>/<type>/alerts.yaml`) and those of
 * Mendix's own Azure offering (`mendix/docs`, `deployment/mx-azure/mx-azure-alerts.md`).
 */

export interface AlertThresholds {
    /** Load balancer health probe status (DipAvailability) per node, percent: below it a node is out of the pool. */
    readonly probeAvailabilityPercent: number;
    /** Load balancer data path availability (VipAvailability), percent. */
    readonly dataPathAvailabilityPercent: number;
    /** Failed SNAT connections of the NAT gateway in 5 minutes: above it outbound connections fail. */
    readonly snatFailedConnections: number;
    /** Node CPU (Percentage CPU), percent. */
    readonly nodeCpuPercent: number;
    /** Node available memory (Available Memory Bytes), MB: below it. */
    readonly nodeAvailableMemoryMb: number;
    /** Free space of the data disk (M:), percent: below it. */
    readonly dataDiskFreePercent: number;
    /** Free space of the OS disk (C:), percent: below it. */
    readonly osDiskFreePercent: number;
    /** Minutes without a heartbeat from a node's Azure Monitor Agent. */
    readonly heartbeatMissingMinutes: number;
    /** Database CPU (vCore) or DTU (DTU tiers) percentage. */
    readonly databaseCpuPercent: number;
    /** Data space used against the database's size cap, percent. */
    readonly databaseStoragePercent: number;
    /** Deadlocks per database in 5 minutes: above it. */
    readonly databaseDeadlocks: number;
    /** Failed connections per database in 5 minutes: above it. */
    readonly databaseFailedConnections: number;
    /** Mendix runtime log lines at ERROR or CRITICAL per app in 5 minutes: above it. */
    readonly mendixErrorLines: number;
}

export interface AlertsConfig {
    /** Every alert e-mails these; empty: alerts fire in the portal only. */
    readonly emails: readonly string[];
    /** Posted the common alert schema; a Pulumi secret (webhook URLs carry their credential). */
    readonly webhookUrl: string | undefined;
    readonly thresholds: AlertThresholds;
}

export const defaultAlertThresholds: AlertThresholds = {
    probeAvailabilityPercent: 90,
    dataPathAvailabilityPercent: 90,
    snatFailedConnections: 0,
    nodeCpuPercent: 80,
    nodeAvailableMemoryMb: 1024,
    dataDiskFreePercent: 10,
    osDiskFreePercent: 20,
    heartbeatMissingMinutes: 10,
    databaseCpuPercent: 80,
    databaseStoragePercent: 80,
    databaseDeadlocks: 1,
    databaseFailedConnections: 5,
    mendixErrorLines: 0,
};

/** What a threshold may be set to: outside it the alert either never or always fires. */
export const alertThresholdRanges: Readonly<Record<keyof AlertThresholds, { min: number; max: number }>> = {
    probeAvailabilityPercent: { min: 1, max: 100 },
    dataPathAvailabilityPercent: { min: 1, max: 100 },
    snatFailedConnections: { min: 0, max: 100000 },
    nodeCpuPercent: { min: 1, max: 99 },
    nodeAvailableMemoryMb: { min: 64, max: 1048576 },
    dataDiskFreePercent: { min: 1, max: 99 },
    osDiskFreePercent: { min: 1, max: 99 },
    heartbeatMissingMinutes: { min: 5, max: 1440 },
    databaseCpuPercent: { min: 1, max: 99 },
    databaseStoragePercent: { min: 1, max: 99 },
    databaseDeadlocks: { min: 0, max: 100000 },
    databaseFailedConnections: { min: 0, max: 100000 },
    mendixErrorLines: { min: 0, max: 100000 },
};

export const defaultAlerts: { readonly emails: readonly string[] } = { emails: [] };

const alertsKeys = ["emails", "webhookUrl", "thresholds"] as const;
/** RFC 5321 caps a path at 254 characters; the rest is the shape every mail system takes. */
const emailPattern = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
/** An action group takes at most 1000 e-mail receivers (Azure Monitor service limits). */
const maxEmails = 1000;

export const alertEmailsRequiredRule =
    "at least one e-mail address, since requireLicense is true (a production stack): pulumi config set --path 'alerts.emails[0]' ops@example.com";

export function readAlerts(reader: ConfigReader, requireLicense: boolean): AlertsConfig {
    const value = reader.json("alerts", "object");
    const alerts: JsonObject = value === undefined ? defaultAlerts : value as JsonObject;
    reader.refuseUnknownKeys("alerts", alerts, alertsKeys);
    const emails = readEmails(reader, alerts["emails"]);
    if (requireLicense && emails.length === 0) {
        reader.report("alerts.emails", alerts["emails"] ?? [], alertEmailsRequiredRule);
    }
    return {
        emails,
        webhookUrl: readWebhookUrl(reader, alerts["webhookUrl"]),
        thresholds: readThresholds(reader, alerts["thresholds"]),
    };
}

function readEmails(reader: ConfigReader, value: unknown): readonly string[] {
    if (value === undefined) {
        return [];
    }
    if (!Array.isArray(value)) {
        reader.report("alerts.emails", value, "a list of e-mail addresses");
        return [];
    }
    if (value.length > maxEmails) {
        reader.report("alerts.emails", value.length, `at most ${maxEmails} addresses (an action group's limit)`);
    }
    const emails: string[] = [];
    value.forEach((email: unknown, index) => {
        if (typeof email !== "string" || email.length > 254 || !emailPattern.test(email)) {
            reader.report(`alerts.emails[${index}]`, email, "an e-mail address such as ops@example.com");
        } else if (emails.some((seen) => seen.toLowerCase() === email.toLowerCase())) {
            reader.report(`alerts.emails[${index}]`, email, "each address once");
        } else {
            emails.push(email);
        }
    });
    return emails;
}

function readWebhookUrl(reader: ConfigReader, value: unknown): string | undefined {
    if (value === undefined) {
        return undefined;
    }
    if (!reader.isSecretAt("alerts", ["webhookUrl"])) {
        reader.report("alerts.webhookUrl", value,
            "a secret, since a webhook URL carries its credential: pulumi config set --secret --path alerts.webhookUrl <https URL>", true);
        return undefined;
    }
    if (!isHttpsUrl(value)) {
        reader.report("alerts.webhookUrl", value, "an https URL that takes Azure Monitor's common alert schema", true);
        return undefined;
    }
    return value;
}

function readThresholds(reader: ConfigReader, value: unknown): AlertThresholds {
    if (value === undefined) {
        return defaultAlertThresholds;
    }
    if (!isJsonObject(value)) {
        reader.report("alerts.thresholds", value, `a mapping of ${Object.keys(defaultAlertThresholds).join(", ")}`);
        return defaultAlertThresholds;
    }
    reader.refuseUnknownKeys("alerts.thresholds", value, Object.keys(defaultAlertThresholds));
    const thresholds = { ...defaultAlertThresholds };
    for (const key of Object.keys(defaultAlertThresholds) as (keyof AlertThresholds)[]) {
        if (value[key] !== undefined) {
            thresholds[key] = reader.checkInteger(`alerts.thresholds.${key}`, value[key], alertThresholdRanges[key]) ?? defaultAlertThresholds[key];
        }
    }
    return thresholds;
}
