import { agentLogFile, appLogFolder, dataDriveLetter } from "./nodeLayout";

/**
 * What the Azure Monitor Agent on every node collects, and into which Log Analytics tables. The
 * shapes are those of "Data collection rule (DCR) samples in Azure Monitor" and "Collect text file
 * from virtual machine with Azure Monitor" (MicrosoftDocs/azure-monitor-docs,
 * articles/azure-monitor/essentials/data-collection-rule-samples.md and
 * articles/azure-monitor/vm/data-collection-log-text.md): Windows events go through the
 * `Microsoft-Event` stream into `Event`, performance counters through `Microsoft-Perf` into `Perf`,
 * and a text log through a declared `Custom-` stream into a custom table (`_CL`) that must exist
 * before the rule, with the columns TimeGenerated, RawData, Computer and FilePath.
 */

/** Windows event levels: 1 Critical, 2 Error, 3 Warning (the samples' XPath). */
export const eventXPathQueries = [
    "Application!*[System[(Level=1 or Level=2 or Level=3)]]",
    "System!*[System[(Level=1 or Level=2 or Level=3)]]",
] as const;

/** Every logical disk's counters: the OS disk C: and the data disk M: among them. */
export const performanceCounters = [
    "\\Processor Information(_Total)\\% Processor Time",
    "\\Memory\\Available MBytes",
    "\\Memory\\% Committed Bytes In Use",
    "\\LogicalDisk(*)\\% Free Space",
    "\\LogicalDisk(*)\\Free Megabytes",
    "\\LogicalDisk(*)\\Avg. Disk sec/Read",
    "\\LogicalDisk(*)\\Avg. Disk sec/Write",
] as const;

export const performanceSamplingSeconds = 60;

/** The `InstanceName` the LogicalDisk counters carry for the data disk and the OS disk. */
export const dataDiskInstance = `${dataDriveLetter}:`;
export const osDiskInstance = "C:";

export const textLogColumns = [
    { name: "TimeGenerated", type: "datetime" },
    { name: "RawData", type: "string" },
    { name: "Computer", type: "string" },
    { name: "FilePath", type: "string" },
] as const;

/** How a record starts in the file: a record without a time stamp joins the one before (stack traces). */
export type RecordStartFormat = "ISO 8601" | "YYYY-MM-DD HH:MM:SS";

export interface TextLogSource {
    /** The data source's name in the rule. */
    readonly name: string;
    /** The custom table in the workspace; ends `_CL`. */
    readonly table: string;
    /** `Custom-Text-<table>`: the stream the agent sends, declared in the rule. */
    readonly stream: string;
    /** `Custom-<table>`: what the rule writes to the table. */
    readonly outputStream: string;
    readonly filePatterns: readonly string[];
    readonly recordStartTimestampFormat: RecordStartFormat;
}

export const agentLogTable = "MendixNodeAgent_CL";
export const mendixLogTable = (app: string) => `MendixRuntime_${app}_CL`;
export const customStream = (table: string) => `Custom-${table}`;
export const textStream = (table: string) => `Custom-Text-${table}`;

/** The Azure tables the rule fills with the agent's own streams. */
export const eventTable = "Event";
export const perfTable = "Perf";
/**
 * The Azure Monitor Agent sends its heartbeat to every workspace a rule associated with the VM
 * sends to ("Azure Monitor Agent overview": the agent's Heartbeat table), without a data source.
 */
export const heartbeatTable = "Heartbeat";

export interface DataCollectionPlan {
    readonly eventXPathQueries: readonly string[];
    readonly performanceCounters: readonly string[];
    readonly textLogs: readonly TextLogSource[];
}

/**
 * The node agent writes `yyyy-MM-ddTHH:mm:ss.fffZ LEVEL message` lines (agent/src/MendixNodeAgent/Logging/AgentLog.cs);
 * the Mendix runtime's file log lines start with `yyyy-MM-dd HH:mm:ss.fff LEVEL` (to check on a real
 * node: agent/README.md, "To check on a real node").
 */
export function dataCollectionPlan(apps: readonly string[]): DataCollectionPlan {
    const textLog = (name: string, table: string, filePatterns: readonly string[], recordStartTimestampFormat: RecordStartFormat): TextLogSource =>
        ({ name, table, stream: textStream(table), outputStream: customStream(table), filePatterns, recordStartTimestampFormat });
    return {
        eventXPathQueries,
        performanceCounters,
        textLogs: [
            textLog("node-agent-log", agentLogTable, [agentLogFile], "ISO 8601"),
            ...apps.map((app) => textLog(`mendix-${app}-log`, mendixLogTable(app), [`${appLogFolder(app)}\\*.log`], "YYYY-MM-DD HH:MM:SS")),
        ],
    };
}

/** Every table a query may read: the ones the rule writes and the agent's heartbeat. */
export function collectedTables(plan: DataCollectionPlan): string[] {
    return [eventTable, perfTable, heartbeatTable, ...plan.textLogs.map((log) => log.table)];
}
