import * as applicationinsights from "@pulumi/azure-native/applicationinsights";
import * as monitor from "@pulumi/azure-native/monitor";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import * as pulumi from "@pulumi/pulumi";
import { AlertsConfig } from "./config/alertsConfig";
import { SqlTier } from "./config/contract";
import { Placement } from "./placement";
import { actionGroupShortName, alertRecipients, LogAlertPlan, logAlerts, MetricAlertPlan, metricAlerts } from "./plan/alerts";
import { dataCollectionPlan, DataCollectionPlan, performanceSamplingSeconds, textLogColumns } from "./plan/dataCollection";
import { stackSlug } from "./plan/names";
import { renderWorkbook, workbookDisplayName, workbookPortalUrl, workbookResourceName } from "./plan/workbook";
import { StatefulOptions } from "./statefulOptions";

export interface MonitoringArgs {
    readonly placement: Placement;
    readonly stack: string;
    readonly stateful: StatefulOptions;
    readonly alerts: AlertsConfig;
    readonly apps: readonly string[];
    readonly sqlTier: SqlTier;
    readonly loadBalancerId: pulumi.Input<string>;
    readonly natGatewayIds: readonly pulumi.Input<string>[];
    /** App name -> its database's resource id. */
    readonly databaseIds: Readonly<Record<string, pulumi.Input<string>>>;
}

/**
 * How long the operations workspace keeps what the nodes send: a quarter and more to compare
 * against, and over the 90 days the policy pack's `audit-retention-90-days` asks of every workspace.
 */
export const operationsRetentionDays = 120;

const workspaceDestination = "operations";
const tableColumnTypes: Readonly<Record<(typeof textLogColumns)[number]["type"], string>> = { datetime: "dateTime", string: "string" };

/**
 * The cluster's operations: a Log Analytics workspace the nodes' Azure Monitor Agents send to
 * through one data collection rule (Windows events, performance counters, the Mendix runtime's and
 * the node agent's logs in tables of their own), an action group with the `alerts` recipients,
 * the metric and log alerts, and the "Mendix cluster" workbook. It is apart from the audit
 * workspace: operators read this one, security reviewers the other, each with its own retention.
 * Nothing here names a node: every node joins through `monitorNode`, which adds its agent and its
 * association with the rule alone.
 */
export class ClusterMonitoring extends pulumi.ComponentResource {
    readonly workspaceId: pulumi.Output<string>;
    readonly dataCollectionRuleId: pulumi.Output<string>;
    readonly workbookUrl: pulumi.Output<string>;

    constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mendix:cluster:Monitoring", name, {}, opts);
        const { placement } = args;
        const common = { resourceGroupName: placement.resourceGroupName, location: placement.location, tags: placement.tags };
        const collection = dataCollectionPlan(args.apps);

        const workspace = new operationalinsights.Workspace(`${name}-workspace`, {
            ...common,
            workspaceName: `${placement.names.prefix}-ops`,
            sku: { name: "PerGB2018" },
            retentionInDays: operationsRetentionDays,
            features: { disableLocalAuth: true },
        }, { parent: this, ...args.stateful });

        const tables = collection.textLogs.map((log) => new operationalinsights.Table(`${name}-${log.name}-table`, {
            resourceGroupName: placement.resourceGroupName,
            workspaceName: workspace.name,
            tableName: log.table,
            schema: { name: log.table, columns: textLogColumns.map((column) => ({ name: column.name, type: tableColumnTypes[column.type] })) },
        }, { parent: this, ...args.stateful }));

        // The text-log samples of the rule API name an endpoint; one per cluster, not per node.
        const endpoint = new monitor.DataCollectionEndpoint(`${name}-dce`, {
            ...common,
            dataCollectionEndpointName: `${placement.names.prefix}-dce`,
            kind: "Windows",
            networkAcls: { publicNetworkAccess: "Enabled" },
        }, { parent: this });

        const rule = new monitor.DataCollectionRule(`${name}-dcr`, {
            ...common,
            dataCollectionRuleName: `${placement.names.prefix}-nodes`,
            kind: "Windows",
            description: "What every Mendix node's Azure Monitor Agent collects",
            dataCollectionEndpointId: endpoint.id,
            ...dataCollectionRuleBody(collection, workspace.id),
        }, { parent: this, dependsOn: tables });

        const recipients = alertRecipients(args.alerts);
        const actionGroup = recipients === undefined ? undefined : new monitor.ActionGroup(`${name}-action-group`, {
            resourceGroupName: placement.resourceGroupName,
            location: "global",
            tags: placement.tags,
            actionGroupName: `${placement.names.prefix}-operators`,
            groupShortName: actionGroupShortName(stackSlug(args.stack)),
            enabled: true,
            emailReceivers: recipients.emails.map((emailAddress, index) => ({ name: `email-${index}`, emailAddress, useCommonAlertSchema: true })),
            webhookReceivers: args.alerts.webhookUrl === undefined ? [] : [{ name: "webhook", serviceUri: pulumi.secret(args.alerts.webhookUrl), useCommonAlertSchema: true }],
        }, { parent: this });

        for (const alert of metricAlerts(args.alerts.thresholds, args.sqlTier)) {
            this.metricAlert(name, args, alert, actionGroup);
        }
        for (const alert of logAlerts(args.alerts.thresholds, args.apps)) {
            this.logAlert(name, args, alert, workspace, actionGroup, tables);
        }

        const workbook = new applicationinsights.Workbook(`${name}-workbook`, {
            ...common,
            resourceName: workbookResourceName(args.stack),
            displayName: `${workbookDisplayName} (${args.stack})`,
            category: "workbook",
            kind: "shared",
            sourceId: workspace.id,
            serializedData: pulumi.all([workspace.id, args.loadBalancerId, pulumi.all(args.databaseIds)]).apply(([workspaceId, loadBalancerId, databaseIds]) =>
                renderWorkbook({ workspaceId, loadBalancerId, databaseIds, sqlTier: args.sqlTier, apps: args.apps })),
        }, { parent: this });

        this.workspaceId = workspace.id;
        this.dataCollectionRuleId = rule.id;
        this.workbookUrl = workbook.id.apply(workbookPortalUrl);
        this.registerOutputs({ workspaceId: this.workspaceId, dataCollectionRuleId: this.dataCollectionRuleId, workbookUrl: this.workbookUrl });
    }

    private metricAlert(name: string, args: MonitoringArgs, alert: MetricAlertPlan, actionGroup: monitor.ActionGroup | undefined): void {
        const { placement } = args;
        const criterion = {
            criterionType: "StaticThresholdCriterion" as const,
            name: alert.key,
            metricNamespace: alert.namespace,
            metricName: alert.metric,
            timeAggregation: alert.aggregation,
            operator: alert.operator,
            threshold: alert.threshold,
            dimensions: alert.dimensions.map((dimension) => ({ ...dimension, values: [...dimension.values] })),
        };
        const rule = (logicalName: string, ruleName: string, scope: pulumi.Input<string>, multiResource: boolean) => new monitor.MetricAlert(logicalName, {
            resourceGroupName: placement.resourceGroupName,
            location: "global",
            tags: placement.tags,
            ruleName,
            description: alert.description,
            severity: alert.severity,
            enabled: true,
            scopes: [scope],
            evaluationFrequency: alert.frequency,
            windowSize: alert.windowSize,
            autoMitigate: true,
            ...(multiResource ? { targetResourceType: alert.namespace, targetResourceRegion: placement.location } : {}),
            criteria: multiResource
                ? { odataType: "Microsoft.Azure.Monitor.MultipleResourceMultipleMetricCriteria", allOf: [criterion] }
                : { odataType: "Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria", allOf: [criterion] },
            actions: actionGroup === undefined ? [] : [{ actionGroupId: actionGroup.id }],
        }, { parent: this });
        const ruleName = `${placement.names.prefix}-${alert.key}`;
        switch (alert.target) {
            case "loadBalancer":
                rule(`${name}-${alert.key}`, ruleName, args.loadBalancerId, false);
                return;
            case "natGateway":
                args.natGatewayIds.forEach((id, index) => rule(`${name}-${alert.key}-${index}`, `${ruleName}-${index}`, id, false));
                return;
            case "nodes":
                // Every VM of the resource group, present and future: adding a node changes no alert.
                rule(`${name}-${alert.key}`, ruleName, placement.resourceGroupId, true);
                return;
            case "database":
                for (const [app, id] of Object.entries(args.databaseIds)) {
                    rule(`${name}-${app}-${alert.key}`, `${ruleName}-${app}`, id, false);
                }
                return;
        }
    }

    private logAlert(name: string, args: MonitoringArgs, alert: LogAlertPlan, workspace: operationalinsights.Workspace,
        actionGroup: monitor.ActionGroup | undefined, tables: readonly operationalinsights.Table[]): void {
        const { placement } = args;
        new monitor.ScheduledQueryRule(`${name}-${alert.key}`, {
            resourceGroupName: placement.resourceGroupName,
            location: placement.location,
            tags: placement.tags,
            ruleName: `${placement.names.prefix}-${alert.key}`,
            kind: "LogAlert",
            description: alert.description,
            severity: alert.severity,
            enabled: true,
            scopes: [workspace.id],
            evaluationFrequency: alert.frequency,
            windowSize: alert.windowSize,
            ...(alert.queryTimeRange === undefined ? {} : { overrideQueryTimeRange: alert.queryTimeRange }),
            autoMitigate: true,
            criteria: {
                allOf: [{
                    query: alert.query,
                    timeAggregation: alert.aggregation,
                    ...(alert.measureColumn === undefined ? {} : { metricMeasureColumn: alert.measureColumn }),
                    ...(alert.resourceIdColumn === undefined ? {} : { resourceIdColumn: alert.resourceIdColumn }),
                    operator: alert.operator,
                    threshold: alert.threshold,
                    dimensions: alert.splitBy.map((column) => ({ name: column, operator: "Include", values: ["*"] })),
                    failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 },
                }],
            },
            actions: { actionGroups: actionGroup === undefined ? [] : [actionGroup.id] },
        }, { parent: this, dependsOn: [...tables] });
    }
}

/** The rule's sources, destination and flows: each source's stream into its table in the workspace. */
function dataCollectionRuleBody(plan: DataCollectionPlan, workspaceId: pulumi.Input<string>) {
    return {
        streamDeclarations: Object.fromEntries(plan.textLogs.map((log) => [log.stream, { columns: textLogColumns.map((column) => ({ ...column })) }])),
        dataSources: {
            windowsEventLogs: [{ name: "windows-events", streams: ["Microsoft-Event"], xPathQueries: [...plan.eventXPathQueries] }],
            performanceCounters: [{
                name: "performance", streams: ["Microsoft-Perf"], samplingFrequencyInSeconds: performanceSamplingSeconds, counterSpecifiers: [...plan.performanceCounters],
            }],
            logFiles: plan.textLogs.map((log) => ({
                name: log.name, streams: [log.stream], filePatterns: [...log.filePatterns], format: "text",
                settings: { text: { recordStartTimestampFormat: log.recordStartTimestampFormat } },
            })),
        },
        destinations: { logAnalytics: [{ name: workspaceDestination, workspaceResourceId: workspaceId }] },
        dataFlows: [
            { streams: ["Microsoft-Event"], destinations: [workspaceDestination], transformKql: "source", outputStream: "Microsoft-Event" },
            { streams: ["Microsoft-Perf"], destinations: [workspaceDestination], transformKql: "source", outputStream: "Microsoft-Perf" },
            ...plan.textLogs.map((log) => ({ streams: [log.stream], destinations: [workspaceDestination], transformKql: "source", outputStream: log.outputStream })),
        ],
    };
}
