import { createHash } from "crypto";
import { SqlTier } from "../config/contract";
import { namespaces } from "./alerts";
import { lastAgentRunQuery, mendixErrorsPerAppQuery, nodeCpuQuery, nodeMemoryQuery } from "./logQueries";

/**
 * The "Mendix cluster" workbook: one picture of the cluster's health. Its `serializedData` is the
 * workbook gallery's Notebook/1.0 document: `items` of type 1 (text), 3 (a KQL query on a Log
 * Analytics workspace: `KqlItem/1.0`) and 10 (platform metrics of Azure resources: `MetricsItem/2.0`),
 * as the Azure Workbooks templates (`microsoft/Application-Insights-Workbooks`) write them.
 */

export const workbookDisplayName = "Mendix cluster";

export interface WorkbookInputs {
    readonly workspaceId: string;
    readonly loadBalancerId: string;
    /** App name -> the database's resource id. */
    readonly databaseIds: Readonly<Record<string, string>>;
    readonly sqlTier: SqlTier;
    readonly apps: readonly string[];
}

export interface KqlItem {
    readonly type: 3;
    readonly name: string;
    readonly content: {
        readonly version: "KqlItem/1.0";
        readonly title: string;
        readonly query: string;
        readonly size: 0;
        readonly queryType: 0;
        readonly resourceType: "microsoft.operationalinsights/workspaces";
        readonly crossComponentResources: readonly string[];
        readonly visualization: "table" | "timechart";
    };
}

export interface MetricsItem {
    readonly type: 10;
    readonly name: string;
    readonly content: {
        readonly version: "MetricsItem/2.0";
        readonly title: string;
        readonly size: 0;
        readonly chartType: 2;
        readonly resourceType: string;
        readonly metricScope: 0;
        readonly resourceIds: readonly string[];
        readonly timeContext: { readonly durationMs: number };
        readonly metrics: readonly { readonly namespace: string; readonly metric: string; readonly aggregation: number; readonly splitBy?: string }[];
    };
}

export interface TextItem {
    readonly type: 1;
    readonly name: string;
    readonly content: { readonly json: string };
}

export type WorkbookItem = TextItem | KqlItem | MetricsItem;

export interface WorkbookDocument {
    readonly version: "Notebook/1.0";
    readonly items: readonly WorkbookItem[];
    readonly $schema: string;
}

/** The workbook's metric aggregation codes: 4 is Average. */
const averageAggregation = 4;
const lastDay = 24 * 60 * 60 * 1000;

export function workbookDocument(inputs: WorkbookInputs): WorkbookDocument {
    const kql = (name: string, title: string, query: string, visualization: KqlItem["content"]["visualization"]): KqlItem => ({
        type: 3,
        name,
        content: {
            version: "KqlItem/1.0", title, query, size: 0, queryType: 0,
            resourceType: "microsoft.operationalinsights/workspaces", crossComponentResources: [inputs.workspaceId], visualization,
        },
    });
    const metrics = (name: string, title: string, namespace: string, resourceIds: readonly string[], metric: string, splitBy?: string): MetricsItem => ({
        type: 10,
        name,
        content: {
            version: "MetricsItem/2.0", title, size: 0, chartType: 2, resourceType: namespace.toLowerCase(), metricScope: 0, resourceIds,
            timeContext: { durationMs: lastDay },
            metrics: [{ namespace: namespace.toLowerCase(), metric: `${namespace.toLowerCase()}--${metric}`, aggregation: averageAggregation, ...(splitBy === undefined ? {} : { splitBy }) }],
        },
    });
    const databaseLoad = inputs.sqlTier === "BusinessCritical" ? "cpu_percent" : "dtu_consumption_percent";
    return {
        version: "Notebook/1.0",
        $schema: "https://github.com/Microsoft/Application-Insights-Workbooks/blob/master/schema/workbook.json",
        items: [
            { type: 1, name: "title", content: { json: `# ${workbookDisplayName}\nNodes, apps and databases of the cluster over the last 24 hours.` } },
            metrics("probe-status", "Health probe status per node (back-end address), %", namespaces.loadBalancer, [inputs.loadBalancerId], "DipAvailability", "BackendIPAddress"),
            kql("node-cpu", "CPU per node, %", nodeCpuQuery(), "timechart"),
            kql("node-memory", "Available memory per node, MB", nodeMemoryQuery(), "timechart"),
            kql("mendix-errors", "Mendix runtime lines at ERROR or CRITICAL per app and node", mendixErrorsPerAppQuery(inputs.apps), "table"),
            kql("agent-runs", "Last node agent run per node", lastAgentRunQuery(), "table"),
            metrics("database-load", `Database load per app (${databaseLoad}), %`, namespaces.database,
                inputs.apps.map((app) => databaseIdOf(inputs, app)), databaseLoad),
        ],
    };
}

function databaseIdOf(inputs: WorkbookInputs, app: string): string {
    const id = inputs.databaseIds[app];
    if (id === undefined) {
        throw new Error(`the workbook has no database id for app ${app}`);
    }
    return id;
}

/** The workbook's `serializedData`. */
export function renderWorkbook(inputs: WorkbookInputs): string {
    return JSON.stringify(workbookDocument(inputs));
}

/** A workbook's resource name must be a GUID; this one is the same for the same stack on every run. */
export function workbookResourceName(stack: string): string {
    const hex = createHash("sha256").update(`mendix-cluster-workbook:${stack}`).digest("hex");
    const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The workbook in the Azure portal. */
export function workbookPortalUrl(workbookId: string): string {
    return `https://portal.azure.com/#resource${workbookId}/workbook`;
}
