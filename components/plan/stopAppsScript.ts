/**
 * The Run Command scripts that stop and start a node's apps through the Service Console's cmdlets
 * in Windows PowerShell (Mendix docs, "Automate Mendix Deployment on Microsoft Windows"): the stop
 * before a new model (`rollout.modelChange: stopAll`), and a regional failover's stop and start.
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

/**
 * Starts a node's apps (the leader with `-SynchronizeDatabase`, as the agent does), then waits, at
 * most `readySeconds`, for the node's health path to answer 200 through IIS the way the load
 * balancer's probe asks it, and says `ready=true` or `ready=false`. `Start-MxApp` itself has no
 * timeout (Service Console 4.7.1 binaries, `AppRunner.Start`): Run Command's own timeout bounds it.
 */
export function startAppsScript(apps: readonly string[], leader: boolean, healthUrl: string, readySeconds: number): string {
    return [
        "$ErrorActionPreference = 'Stop'",
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
