import { list, Props, record } from "./props";
import { catalog } from "../../components/catalog";
import { forTypes, SecurityRule, Violations } from "./securityRule";

const server = [catalog.sqlServer.token];
const auditingPolicies = [catalog.sqlServerAuditing.token, catalog.sqlExtendedServerAuditing.token];
const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The audit log category a diagnostic setting on a server's master database carries audit records in. */
export const sqlAuditLogCategory = "SQLSecurityAuditEvents";
/** Security reviews (CIS Azure, checkov CKV_AZURE_24) ask audit records to be kept more than 90 days. */
export const auditRetentionMoreThanDays = 90;
export const defaultMinimumBackupRetentionDays = 14;

export const checkSqlMinimumTls = forTypes(server, (props): Violations =>
    ["1.2", "1.3"].includes(String(props["minimalTlsVersion"])) ? [] : [`minimalTlsVersion must be 1.2 or later; got ${JSON.stringify(props["minimalTlsVersion"] ?? null)}`]);

/** 0.0.0.0 as the start covers both "every address" (0.0.0.0-255.255.255.255) and "Azure services" (0.0.0.0-0.0.0.0). */
export const checkSqlNoOpenFirewall = forTypes([catalog.sqlFirewallRule.token], (props): Violations => {
    const start = String(props["startIpAddress"] ?? "");
    const end = String(props["endIpAddress"] ?? "");
    if (start === "0.0.0.0") {
        return [end === "0.0.0.0"
            ? "a firewall rule 0.0.0.0-0.0.0.0 lets in every Azure service of every tenant; reach the server through its private endpoint"
            : `a firewall rule ${start}-${end} lets in every address; reach the server through its private endpoint`];
    }
    return [];
});

export const checkSqlNoPublicNetworkAccess = forTypes(server, (props): Violations =>
    props["publicNetworkAccess"] === "Disabled" ? [] : [`publicNetworkAccess must be Disabled (the server is reached through a private endpoint); got ${JSON.stringify(props["publicNetworkAccess"] ?? null)}`]);

function entraAdminViolations(admin: Props, path: string): Violations {
    const violations: string[] = [];
    if (admin["administratorType"] !== "ActiveDirectory") {
        violations.push(`${path}administratorType must be ActiveDirectory; got ${JSON.stringify(admin["administratorType"] ?? null)}`);
    }
    if (typeof admin["login"] !== "string" || admin["login"].trim() === "") {
        violations.push(`${path}login must name the Entra user, group or application`);
    }
    if (typeof admin["sid"] !== "string" || !guid.test(admin["sid"])) {
        violations.push(`${path}sid must be the Entra object id of a user or group, or an application's client id (a GUID); got ${JSON.stringify(admin["sid"] ?? null)}`);
    }
    return violations;
}

/**
 * An Entra admin resource, or the one a server names at creation (`administrators`); a server with
 * no SQL admin login at all (what checkov's CKV2_AZURE_27 reads in a template) must take Entra
 * sign-ins only, which is what Azure requires of one created so.
 */
export function checkSqlEntraAdmin(type: string, props: Props): Violations {
    if (type === catalog.sqlEntraAdmin.token) {
        return entraAdminViolations(props, "");
    }
    if (type !== catalog.sqlServer.token) {
        return [];
    }
    const administrators = props["administrators"] === undefined ? undefined : record(props["administrators"]);
    const withoutLogin = props["administratorLogin"] === undefined || props["administratorLogin"] === "";
    return [
        ...(administrators === undefined ? [] : entraAdminViolations(administrators, "administrators.")),
        ...(withoutLogin && administrators?.["azureADOnlyAuthentication"] !== true
            ? ["a server without a SQL admin login needs administrators naming its Entra admin with azureADOnlyAuthentication: true"]
            : []),
    ];
}

function auditingPolicyViolations(props: Props): Violations {
    const violations: string[] = [];
    if (props["state"] !== "Enabled") {
        violations.push(`state must be Enabled; got ${JSON.stringify(props["state"] ?? null)}`);
    }
    const storageEndpoint = props["storageEndpoint"];
    if (props["isAzureMonitorTargetEnabled"] !== true && (typeof storageEndpoint !== "string" || storageEndpoint === "")) {
        violations.push("the audit records need a target: isAzureMonitorTargetEnabled: true (Log Analytics) or a storageEndpoint");
    }
    const groups = props["auditActionsAndGroups"];
    if (groups !== undefined && !list(groups).includes("FAILED_DATABASE_AUTHENTICATION_GROUP")) {
        violations.push("auditActionsAndGroups must include FAILED_DATABASE_AUTHENTICATION_GROUP");
    }
    return violations;
}

function auditDiagnosticsViolations(props: Props): Violations {
    if (!/\/databases\/master$/i.test(String(props["resourceUri"] ?? ""))) {
        return [];
    }
    const violations: string[] = [];
    const audit = list(props["logs"]).map(record).find((log) => log["category"] === sqlAuditLogCategory || log["categoryGroup"] === "audit");
    if (audit?.["enabled"] !== true) {
        violations.push(`a diagnostic setting on a master database must enable the ${sqlAuditLogCategory} category`);
    }
    if (!["workspaceId", "storageAccountId", "eventHubAuthorizationRuleId"].some((key) => typeof props[key] === "string" && props[key] !== "")) {
        violations.push("a diagnostic setting on a master database needs a destination (workspaceId)");
    }
    return violations;
}

export function checkSqlAuditing(type: string, props: Props): Violations {
    if (auditingPolicies.includes(type as (typeof auditingPolicies)[number])) {
        return auditingPolicyViolations(props);
    }
    return type === catalog.diagnosticSetting.token ? auditDiagnosticsViolations(props) : [];
}

/** Retention of audit records: the workspace's, or the auditing policy's when it writes to storage (0 keeps them forever). */
export function checkAuditRetention(type: string, props: Props): Violations {
    if (type === catalog.logAnalyticsWorkspace.token) {
        const days = props["retentionInDays"];
        return typeof days === "number" && days > auditRetentionMoreThanDays
            ? []
            : [`retentionInDays must be more than ${auditRetentionMoreThanDays} (Azure keeps 30 when unset); got ${JSON.stringify(days ?? null)}`];
    }
    if (auditingPolicies.includes(type as (typeof auditingPolicies)[number]) && typeof props["storageEndpoint"] === "string" && props["storageEndpoint"] !== "") {
        const days = props["retentionDays"];
        return days === undefined || days === 0 || (typeof days === "number" && days > auditRetentionMoreThanDays)
            ? []
            : [`retentionDays must be 0 (forever) or more than ${auditRetentionMoreThanDays}; got ${JSON.stringify(days)}`];
    }
    return [];
}

export const checkSqlBackupRetention = forTypes([catalog.sqlBackupShortTermRetention.token], (props, config): Violations => {
    const minimum = typeof config["minimumDays"] === "number" ? config["minimumDays"] : defaultMinimumBackupRetentionDays;
    const days = props["retentionDays"];
    return typeof days === "number" && days >= minimum
        ? []
        : [`retentionDays must be at least ${minimum} (Azure keeps 7 when unset); got ${JSON.stringify(days ?? null)}`];
});

export const sqlRules: readonly SecurityRule[] = [
    {
        name: "sql-minimum-tls-1-2",
        description: "SQL servers refuse TLS versions older than 1.2.",
        resourceTypes: server,
        check: checkSqlMinimumTls,
        checkov: ["CKV_AZURE_52"],
        benchmark: ["DP-3"],
        remediation: "Set minimalTlsVersion: \"1.2\" on the SQL server.",
    },
    {
        name: "sql-no-open-firewall",
        description: "No SQL firewall rule lets in every address or every Azure service (a start address of 0.0.0.0).",
        resourceTypes: [catalog.sqlFirewallRule.token],
        check: checkSqlNoOpenFirewall,
        checkov: ["CKV_AZURE_11", "CKV2_AZURE_34"],
        benchmark: ["NS-2"],
        remediation: "Remove the rule; the nodes reach SQL through its private endpoint.",
    },
    {
        name: "sql-no-public-network-access",
        description: "SQL servers have no public endpoint: they are reached through a private endpoint in the node subnet.",
        resourceTypes: server,
        check: checkSqlNoPublicNetworkAccess,
        checkov: ["CKV_AZURE_113"],
        benchmark: ["NS-2"],
        remediation: "Set publicNetworkAccess: Disabled and reach the server through a private endpoint.",
    },
    {
        name: "sql-entra-admin",
        description: "A SQL server's Microsoft Entra admin is named by id (a user's or group's object id, an application's client id); a server without a SQL admin login takes Entra sign-ins only.",
        resourceTypes: [catalog.sqlEntraAdmin.token, ...server],
        check: checkSqlEntraAdmin,
        checkov: ["CKV2_AZURE_27"],
        benchmark: ["IM-1"],
        remediation: "Give every app an MDA of Mendix 10.10 or later (the stack's identity is then the Entra admin), or set sql.entraAdmin: { login, objectId } in the stack config.",
    },
    {
        name: "sql-auditing",
        description: `SQL server auditing is on, with a target; a diagnostic setting on a master database carries ${sqlAuditLogCategory} to a destination.`,
        resourceTypes: [...auditingPolicies, catalog.diagnosticSetting.token],
        check: checkSqlAuditing,
        checkov: ["CKV_AZURE_23"],
        benchmark: ["LT-3"],
        remediation: "Enable the server's auditing policy with isAzureMonitorTargetEnabled and a diagnostic setting on master to Log Analytics.",
    },
    {
        name: "audit-retention-90-days",
        description: `Audit records are kept more than ${auditRetentionMoreThanDays} days (Log Analytics workspaces and storage-target auditing).`,
        resourceTypes: [catalog.logAnalyticsWorkspace.token, ...auditingPolicies],
        check: checkAuditRetention,
        checkov: ["CKV_AZURE_24"],
        benchmark: ["LT-6"],
        remediation: `Set retentionInDays to more than ${auditRetentionMoreThanDays} (such as 365) on the workspace.`,
    },
    {
        name: "sql-backup-retention",
        description: `Every database keeps point-in-time backups for at least minimumDays (${defaultMinimumBackupRetentionDays} unless the pack's config says otherwise).`,
        resourceTypes: [catalog.sqlBackupShortTermRetention.token],
        check: checkSqlBackupRetention,
        checkov: [],
        benchmark: ["BR-1"],
        remediation: "Set sql.backupRetentionDays in the stack config.",
        config: {
            properties: {
                minimumDays: {
                    type: "integer",
                    default: defaultMinimumBackupRetentionDays,
                    minimum: 7,
                    maximum: 35,
                    description: "The least point-in-time restore window, in days, a database may have.",
                },
            },
        },
    },
];
