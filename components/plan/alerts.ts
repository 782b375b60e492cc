import { AlertsConfig, AlertThresholds } from "../config/alertsConfig";
import { SqlTier } from "../config/contract";
import { dataDiskInstance, osDiskInstance } from "./dataCollection";
import { agentErrorLinesQuery, diskFreePercentQuery, mendixErrorLinesQuery, missingHeartbeatQuery } from "./logQueries";

/**
 * The cluster's alerts. Metric, namespace, aggregation, window, frequency and severity are Azure
 * Monitor Baseline Alerts' (`Azure/azure-monitor-baseline-alerts`, services/Network/loadBalancers,
 * services/Network/natGateways, services/Compute/virtualMachines, services/Sql/servers `alerts.yaml`)
 * unless a comment gives the reason; thresholds come from the config (`alerts.thresholds`).
 */

export type Severity = 0 | 1 | 2 | 3 | 4;
export type MetricAlertTarget = "loadBalancer" | "natGateway" | "nodes" | "database";

export interface MetricDimension {
    readonly name: string;
    readonly operator: "Include";
    readonly values: readonly string[];
}

export interface MetricAlertPlan {
    /** Stable part of the resource's name: never changes for the same alert. */
    readonly key: string;
    readonly description: string;
    /** What it watches: one resource, every VM of the cluster's resource group, each database. */
    readonly target: MetricAlertTarget;
    readonly namespace: string;
    readonly metric: string;
    readonly aggregation: "Average" | "Total" | "Maximum";
    readonly operator: "LessThan" | "GreaterThan";
    readonly threshold: number;
    readonly windowSize: string;
    readonly frequency: string;
    readonly severity: Severity;
    /** A time series per value of each dimension (`*`: every value). */
    readonly dimensions: readonly MetricDimension[];
}

export interface LogAlertPlan {
    readonly key: string;
    readonly description: string;
    readonly query: string;
    /** The query's column the threshold applies to; undefined: the number of rows. */
    readonly measureColumn: string | undefined;
    readonly aggregation: "Count" | "Average" | "Total" | "Minimum" | "Maximum";
    readonly operator: "LessThan" | "GreaterThan";
    readonly threshold: number;
    readonly windowSize: string;
    readonly frequency: string;
    /** A longer look back than the window (the heartbeat's two days), or undefined. */
    readonly queryTimeRange: string | undefined;
    readonly severity: Severity;
    /** One alert per value of these columns. */
    readonly splitBy: readonly string[];
    /** Set when the query carries the Azure resource id of the node, so the alert names the VM. */
    readonly resourceIdColumn: string | undefined;
}

const megabyte = 1024 * 1024;
const everyValue = (name: string): MetricDimension => ({ name, operator: "Include", values: ["*"] });

export const namespaces = {
    loadBalancer: "Microsoft.Network/loadBalancers",
    natGateway: "Microsoft.Network/natGateways",
    virtualMachine: "Microsoft.Compute/virtualMachines",
    database: "Microsoft.Sql/servers/databases",
} as const;

/**
 * The metric alerts. The database's load is `cpu_percent` on vCore (Business Critical) and
 * `dtu_consumption_percent` on DTU tiers (Premium), as the SQL metrics reference describes each.
 */
export function metricAlerts(thresholds: AlertThresholds, sqlTier: SqlTier): MetricAlertPlan[] {
    const loadBalancer = { target: "loadBalancer", namespace: namespaces.loadBalancer, windowSize: "PT5M", frequency: "PT1M" } as const;
    const node = { target: "nodes", namespace: namespaces.virtualMachine, windowSize: "PT5M", frequency: "PT5M", dimensions: [] } as const;
    const database = { target: "database", namespace: namespaces.database, windowSize: "PT5M", frequency: "PT1M", dimensions: [] } as const;
    return [
        {
            ...loadBalancer, key: "lb-probe", metric: "DipAvailability", aggregation: "Average", operator: "LessThan",
            threshold: thresholds.probeAvailabilityPercent, severity: 0, dimensions: [everyValue("BackendIPAddress")],
            description: "A node fails the load balancer's health probe: its Mendix runtime does not answer /mendix-health, so it is out of the pool.",
        },
        {
            ...loadBalancer, key: "lb-datapath", metric: "VipAvailability", aggregation: "Average", operator: "LessThan",
            threshold: thresholds.dataPathAvailabilityPercent, severity: 0, dimensions: [],
            description: "The load balancer's data path is unavailable: users cannot reach the cluster.",
        },
        {
            // The load balancer's rules disable outbound SNAT (the nodes leave through the NAT
            // gateway), so its UsedSNATPorts stays 0: the NAT gateway's failed SNAT connections are
            // the signal of port exhaustion. Severity 1, as AMBA gives the load balancer's SNAT alert.
            target: "natGateway", namespace: namespaces.natGateway, windowSize: "PT5M", frequency: "PT1M",
            key: "nat-snat", metric: "SNATConnectionCount", aggregation: "Total", operator: "GreaterThan",
            threshold: thresholds.snatFailedConnections, severity: 1, dimensions: [{ name: "ConnectionState", operator: "Include", values: ["Failed"] }],
            description: "Outbound connections of the nodes fail at the NAT gateway (SNAT ports exhausted or the gateway unavailable).",
        },
        {
            // Severity 1 rather than AMBA's 3: a stopped node halves a two-node cluster's capacity.
            ...node, key: "node-availability", metric: "VmAvailabilityMetric", aggregation: "Average", operator: "LessThan",
            threshold: 1, severity: 1, description: "A node's VM is not available (stopped, deallocated or failed).",
        },
        {
            ...node, key: "node-cpu", metric: "Percentage CPU", aggregation: "Average", operator: "GreaterThan",
            threshold: thresholds.nodeCpuPercent, severity: 3, description: "A node's CPU is busy.",
        },
        {
            ...node, key: "node-memory", metric: "Available Memory Bytes", aggregation: "Average", operator: "LessThan",
            threshold: thresholds.nodeAvailableMemoryMb * megabyte, severity: 3, description: "A node is short of memory.",
        },
        {
            ...database, key: "db-load", metric: sqlTier === "BusinessCritical" ? "cpu_percent" : "dtu_consumption_percent",
            aggregation: "Average", operator: "GreaterThan", threshold: thresholds.databaseCpuPercent, severity: 3,
            description: "A database runs hot: the Mendix runtime slows down at its limit.",
        },
        {
            ...database, key: "db-storage", metric: "storage_percent", aggregation: "Maximum", operator: "GreaterThan",
            threshold: thresholds.databaseStoragePercent, severity: 2,
            description: "A database fills up against its size cap (sql.maxSizeGb); at the cap writes fail.",
        },
        {
            ...database, key: "db-deadlocks", metric: "deadlock", aggregation: "Total", operator: "GreaterThan",
            threshold: thresholds.databaseDeadlocks, severity: 3, description: "Deadlocks in a database.",
        },
        {
            ...database, key: "db-connections", metric: "connection_failed", aggregation: "Total", operator: "GreaterThan",
            threshold: thresholds.databaseFailedConnections, severity: 1, description: "Connections to a database fail.",
        },
    ];
}

/** The log alerts, on the cluster's operations workspace. */
export function logAlerts(thresholds: AlertThresholds, apps: readonly string[]): LogAlertPlan[] {
    const perNode = { splitBy: ["Computer"], queryTimeRange: undefined } as const;
    return [
        {
            ...perNode, key: "node-data-disk", query: diskFreePercentQuery(dataDiskInstance), measureColumn: "FreePercent", aggregation: "Average",
            operator: "LessThan", threshold: thresholds.dataDiskFreePercent, windowSize: "PT15M", frequency: "PT5M", severity: 2,
            resourceIdColumn: "_ResourceId", description: `A node's data disk (${dataDiskInstance}, the Mendix apps and their logs) is filling up.`,
        },
        {
            ...perNode, key: "node-os-disk", query: diskFreePercentQuery(osDiskInstance), measureColumn: "FreePercent", aggregation: "Average",
            operator: "LessThan", threshold: thresholds.osDiskFreePercent, windowSize: "PT15M", frequency: "PT5M", severity: 2,
            resourceIdColumn: "_ResourceId", description: `A node's OS disk (${osDiskInstance}) is filling up.`,
        },
        {
            // Two days back, so a node that stopped long ago keeps alerting (a window of minutes
            // would hold no row for it at all).
            splitBy: ["Computer"], queryTimeRange: "P2D",
            key: "node-heartbeat", query: missingHeartbeatQuery(thresholds.heartbeatMissingMinutes), measureColumn: undefined, aggregation: "Count",
            operator: "GreaterThan", threshold: 0, windowSize: "PT5M", frequency: "PT5M", severity: 1,
            resourceIdColumn: "_ResourceId", description: `A node's monitoring agent sent no heartbeat for ${thresholds.heartbeatMissingMinutes} minutes.`,
        },
        {
            ...perNode, key: "agent-failed", query: agentErrorLinesQuery(), measureColumn: "ErrorLines", aggregation: "Total",
            operator: "GreaterThan", threshold: 0, windowSize: "PT15M", frequency: "PT5M", severity: 1, resourceIdColumn: undefined,
            description: "A node agent run failed: the node's apps may not have the configuration or model of the last deployment.",
        },
        ...apps.map((app): LogAlertPlan => ({
            ...perNode, key: `mendix-${app}-errors`, query: mendixErrorLinesQuery(app), measureColumn: "ErrorLines", aggregation: "Total",
            operator: "GreaterThan", threshold: thresholds.mendixErrorLines, windowSize: "PT5M", frequency: "PT5M", severity: 2, resourceIdColumn: undefined,
            description: `The Mendix runtime of app ${app} logs lines at ERROR or CRITICAL.`,
        })),
    ];
}

/** Who an alert reaches; undefined: nobody (the alerts fire in the portal only). */
export function alertRecipients(alerts: AlertsConfig): { emails: readonly string[]; webhook: boolean } | undefined {
    return alerts.emails.length === 0 && alerts.webhookUrl === undefined ? undefined : { emails: alerts.emails, webhook: alerts.webhookUrl !== undefined };
}

export const noAlertRecipientsWarning =
    "alerts.emails is empty and alerts.webhookUrl unset: the cluster's alerts fire in the Azure portal only and tell nobody. " +
    "Set pulumi config set --path 'alerts.emails[0]' ops@example.com (docs/operations.md, \"Alerts\").";

/** The action group's short name: at most 12 characters (Azure's limit). */
export function actionGroupShortName(stackSlug: string): string {
    return `mx-${stackSlug}`.slice(0, 12);
}
