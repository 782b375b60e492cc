import { agentLogTable, dataDiskInstance, heartbeatTable, mendixLogTable, osDiskInstance, perfTable } from "./dataCollection";

/**
 * The log queries (KQL) of the alerts and the workbook, over the tables the collection rule fills.
 * A text log's level is read from its line: the agent writes `<ISO time> INFO|ERROR <message>`
 * (agent/src/MendixNodeAgent/Logging/AgentLog.cs), the Mendix runtime `<date> <time> <LEVEL> ...`
 * with the levels TRACE, DEBUG, INFO, WARNING, ERROR, CRITICAL.
 */

const agentLevel = `extend Level = extract(@"^\\S+ (INFO|ERROR) ", 1, RawData)`;
const mendixLevel = `extend Level = extract(@"^\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}:\\d{2}(?:[.,]\\d+)? +(TRACE|DEBUG|INFO|WARNING|ERROR|CRITICAL)\\b", 1, RawData)`;

/** Lines at ERROR or CRITICAL of one app's runtime, per node. */
export function mendixErrorLinesQuery(app: string): string {
    return [
        mendixLogTable(app),
        mendixLevel,
        `where Level in ("ERROR", "CRITICAL")`,
        "summarize ErrorLines = count() by Computer",
    ].join("\n| ");
}

/** ERROR lines of the node agent, per node: every failed run ends with one. */
export function agentErrorLinesQuery(): string {
    return [agentLogTable, agentLevel, `where Level == "ERROR"`, "summarize ErrorLines = count() by Computer"].join("\n| ");
}

/**
 * Each node's last agent run: a run ends with `done: ...` (applied) or an ERROR line (failed)
 * (agent/src/MendixNodeAgent/ApplyCommand.cs, AgentProgram.cs).
 */
export function lastAgentRunQuery(): string {
    return [
        agentLogTable,
        agentLevel,
        `where Level == "ERROR" or RawData has " INFO done: "`,
        "summarize arg_max(TimeGenerated, Level, RawData) by Computer",
        `project Computer, LastRun = TimeGenerated, Result = iff(Level == "ERROR", "failed", "applied"), Line = RawData`,
    ].join("\n| ");
}

/** Average free space of one logical disk per node, percent. */
export function diskFreePercentQuery(instance: typeof dataDiskInstance | typeof osDiskInstance): string {
    return [
        perfTable,
        `where ObjectName == "LogicalDisk" and CounterName == "% Free Space" and InstanceName == "${instance}"`,
        "summarize FreePercent = avg(CounterValue) by Computer, _ResourceId",
    ].join("\n| ");
}

/** Nodes whose agent has not sent a heartbeat for `minutes` (looking back two days). */
export function missingHeartbeatQuery(minutes: number): string {
    return [
        heartbeatTable,
        "where TimeGenerated > ago(2d)",
        "summarize LastHeartbeat = max(TimeGenerated) by Computer, _ResourceId",
        `where LastHeartbeat < ago(${minutes}m)`,
    ].join("\n| ");
}

/** CPU and available memory per node over time, for a chart. */
export function nodeCpuQuery(): string {
    return [
        perfTable,
        `where ObjectName == "Processor Information" and CounterName == "% Processor Time" and InstanceName == "_Total"`,
        "summarize CpuPercent = avg(CounterValue) by Computer, bin(TimeGenerated, 5m)",
    ].join("\n| ");
}

export function nodeMemoryQuery(): string {
    return [
        perfTable,
        `where ObjectName == "Memory" and CounterName == "Available MBytes"`,
        "summarize AvailableMB = avg(CounterValue) by Computer, bin(TimeGenerated, 5m)",
    ].join("\n| ");
}

/** Mendix errors per app and node, over all apps. */
export function mendixErrorsPerAppQuery(apps: readonly string[]): string {
    const perApp = apps.map((app) => `(${mendixLogTable(app)} | ${mendixLevel} | where Level in ("ERROR", "CRITICAL") | extend App = "${app}")`);
    return [
        `union ${perApp.join(", ")}`,
        "summarize ErrorLines = count() by App, Computer",
        "order by ErrorLines desc",
    ].join("\n| ");
}
