import { agentLogFile, appsRoot, installedAgentExecutable } from "./nodeLayout";

/**
 * The Run Command scripts that stop and start a node's apps through the Service Console's cmdlets
 * in Windows PowerShell (Mendix docs, "Automate Mendix Deployment on Microsoft Windows"): the stop
 * before a new model (`rollout.modelChange: stopAll`) or a restore, and a regional failover's stop and start.
 */
export const serviceConsoleModule = "C:\\Program Files\\Mendix\\Service Console\\Mendix.Service.Commands.dll";

/** A PowerShell single-quoted literal: nothing inside is expanded; a quote is doubled. */
export function powerShellLiteral(text: string): string {
    return `'${text.replace(/'/g, "''")}'`;
}

export function stopAppsScript(apps: readonly string[]): string {
    return [
        "$ErrorActionPreference = 'Stop'",
        `Import-Module -Name ${powerShellLiteral(serviceConsoleModule)}`,
        ...apps.map((app) => `Stop-MxApp -Name ${powerShellLiteral(app)}`),
    ].join("\n");
}

/** What a regional failover tells a node's agent (its `serve` and `stand-by` commands): the node's region role. */
export type RegionRoleCommand = "serve" | "stand-by";

/**
 * Runs the node agent's `serve` or `stand-by` (agent/README.md, "Regional failover"), which records
 * the node's region role and its apps' completed-run records so that a restart and every later run
 * keep the apps as the failover leaves them. A native program's exit code stops nothing in Windows
 * PowerShell, so it is checked.
 */
function regionRoleLines(command: RegionRoleCommand): string[] {
    return [
        `& ${powerShellLiteral(installedAgentExecutable)} ${command} --apps-root ${powerShellLiteral(appsRoot)}`,
        `if ($LASTEXITCODE -ne 0) { throw "mendix-node-agent ${command} exited $LASTEXITCODE (the node's log: ${agentLogFile})" }`,
    ];
}

/** A regional failover's stop of the region it leaves: the node stands by from now on, then its apps stop. */
export function failoverStopScript(apps: readonly string[]): string {
    return [
        "$ErrorActionPreference = 'Stop'",
        ...regionRoleLines("stand-by"),
        `Import-Module -Name ${powerShellLiteral(serviceConsoleModule)}`,
        ...apps.map((app) => `Stop-MxApp -Name ${powerShellLiteral(app)}`),
    ].join("\n");
}

/**
 * A regional failover's start of the region it goes to: the node serves from now on; its apps start
 * (the leader with `-SynchronizeDatabase`, as the agent does); then it waits, at most
 * `readySeconds`, for the node's health path to answer 200 through IIS the way the load balancer's
 * probe asks it, and says `ready=true` or `ready=false`. `Start-MxApp` itself has no timeout
 * (Service Console 4.7.1 binaries, `AppRunner.Start`): Run Command's own timeout bounds it.
 */
export function failoverStartScript(apps: readonly string[], leader: boolean, healthUrl: string, readySeconds: number): string {
    return [
        "$ErrorActionPreference = 'Stop'",
        ...regionRoleLines("serve"),
        `Import-Module -Name ${powerShellLiteral(serviceConsoleModule)}`,
        ...apps.map((app) => `Start-MxApp -Name ${powerShellLiteral(app)}${leader ? " -SynchronizeDatabase" : ""}`),
        `$deadline = (Get-Date).AddSeconds(${readySeconds})`,
        "$ready = $false",
        "while (-not $ready -and (Get-Date) -lt $deadline) {",
        `    try { $ready = (Invoke-WebRequest -UseBasicParsing -Uri ${powerShellLiteral(healthUrl)} -TimeoutSec 5).StatusCode -eq 200 } catch { Start-Sleep -Seconds 5 }`,
        "}",
        "Write-Output \"ready=$($ready.ToString().ToLower())\"",
    ].join("\n");
}
