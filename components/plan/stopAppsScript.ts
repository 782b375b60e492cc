import { powerShellLiteral } from "./powerShellLiteral";
import { RunStateHold, runStateOverrideScript } from "./runStateOverride";

/**
 * The Run Command scripts that stop and start a node's apps through the Service Console's cmdlets
 * in Windows PowerShell 5.1 (Mendix docs, "Automate Mendix Deployment on Microsoft Windows"): the
 * stop before a new model (`rollout.modelChange: stopAll`) and before a restore, and a regional
 * failover's stop and start. They handle the cmdlets as the node agent does (agent/README.md,
 * "Service Console cmdlets"; facts from the Service Console 4.7.1 binaries):
 * - `Stop-MxApp` waits 30 s for the app's Windows service and then writes an error carrying
 *   `System.ServiceProcess.TimeoutException` while the service goes on stopping (its `OnStop` takes
 *   up to about 110 s): the error is kept, and the service waited for until it is `Stopped`, at most
 *   120 s, or the script fails naming its state;
 * - `Start-MxApp` does nothing unless the service is `Stopped`, so a pending state is waited for
 *   first, and a paused or otherwise unsettled service fails the script naming its state;
 * - a failed `Start-MxApp` returns while the runtime shuts down, and the service stops only once
 *   the runtime has exited: the failure is reported once the service is `Stopped`;
 * - `Start-MxApp` has no timeout (`Execute(int.MaxValue)`): it runs as a background job, ended
 *   after the bound, and the app is then stopped, so that it is left in a known state.
 * The scripts are tested by running them under PowerShell 7 against the agent's stand-in cmdlets
 * (`agent/tests/MendixNodeAgent.Tests/RunCommandScriptTests.cs`, which reads the renderings
 * `tests/unit/runCommandScripts.test.ts` keeps in `agent/tests/Fixtures/run-command-scripts.json`).
 */
export const serviceConsoleModule = "C:\\Program Files\\Mendix\\Service Console\\Mendix.Service.Commands.dll";

/** How long a pending service may take to settle: the agent's `MendixServiceConsole.SettlesWithinSeconds`. */
export const settlesWithinSeconds = 120;
const pollSeconds = 2;

/** A bounded wait for a service state, and a stop: what every script uses. */
const stopFunctions = [
    "function Wait-MxService([string]$Name, [string[]]$Settled, [string]$Why) {",
    "    $service = Get-Service -Name $Name",
    `    for ($waited = 0; $Settled -notcontains [string]$service.Status -and $waited -lt ${settlesWithinSeconds}; $waited += ${pollSeconds}) {`,
    `        Start-Sleep -Seconds ${pollSeconds}`,
    "        $service = Get-Service -Name $Name",
    "    }",
    `    if ($Settled -notcontains [string]$service.Status) { throw ('the Windows service ' + $Name + ' is still ' + $service.Status + ' ${settlesWithinSeconds} s ' + $Why) }`,
    "    return $service",
    "}",
    "function Stop-MxAppSettled([string]$Name) {",
    "    if ($null -eq (Get-Service -Name $Name -ErrorAction SilentlyContinue)) { Write-Output ($Name + ': no Windows service on this node, nothing to stop'); return }",
    "    $service = Wait-MxService $Name @('Running', 'Stopped', 'Paused') 'before Stop-MxApp: stop it by hand'",
    "    if ([string]$service.Status -eq 'Stopped') { Write-Output ($Name + ': already stopped'); return }",
    "    $stopError = $null",
    "    try { $null = Stop-MxApp -Name $Name } catch { $stopError = $_.Exception.Message }",
    "    $why = 'after Stop-MxApp' + $(if ($null -ne $stopError) { ' (Stop-MxApp: ' + $stopError + ')' } else { '' }) + '; the app is not stopped: look at its log and stop the service by hand'",
    "    $null = Wait-MxService $Name @('Stopped') $why",
    "    Write-Output ($Name + ': stopped')",
    "}",
];

/** A start bounded in time, which stops the app again past its bound. */
const startFunction = [
    "function Start-MxAppWithin([string]$Name, [bool]$Synchronize, [int]$Seconds) {",
    "    $service = Wait-MxService $Name @('Running', 'Stopped') '(neither Running nor Stopped, so Start-MxApp would do nothing): bring it to Stopped by hand'",
    "    if ([string]$service.Status -eq 'Running') { Write-Output ($Name + ': already running'); return }",
    "    $job = Start-Job -ScriptBlock {",
    "        param([string]$Module, [string]$App, [bool]$Synchronize)",
    "        $ErrorActionPreference = 'Stop'",
    "        Import-Module -Name $Module",
    "        $null = Start-MxApp -Name $App -SynchronizeDatabase:$Synchronize",
    "    } -ArgumentList $module, $Name, $Synchronize",
    "    if ($null -eq (Wait-Job -Job $job -Timeout $Seconds)) {",
    "        Stop-MxAppSettled $Name",
    "        Remove-Job -Job $job -Force",
    "        throw ($Name + ': Start-MxApp did not return within ' + $Seconds + ' s; it was ended and the app stopped: read the app''s log')",
    "    }",
    "    $startError = $null",
    "    try { $null = Receive-Job -Job $job -ErrorAction Stop } catch { $startError = $_.Exception.Message }",
    "    Remove-Job -Job $job -Force",
    "    if ($null -ne $startError) {",
    "        $null = Wait-MxService $Name @('Stopped') ('after a failed Start-MxApp (' + $startError + '): stop it by hand')",
    "        throw ($Name + ': Start-MxApp failed, and the app is stopped: ' + $startError)",
    "    }",
    "    $service = Get-Service -Name $Name",
    "    if ([string]$service.Status -ne 'Running') { throw ($Name + ': Start-MxApp returned, but the Windows service is ' + $service.Status + ': read the app''s log') }",
    "    Write-Output ($Name + ': started')",
    "}",
];

function preamble(): string[] {
    return ["$ErrorActionPreference = 'Stop'", `$module = ${powerShellLiteral(serviceConsoleModule)}`];
}

/**
 * Stops a node's apps on purpose: first records each as stopped, as `hold` says (the Run Command's
 * name and `next-run`; a failover's step and `next-failover`), so that a restart of Windows leaves
 * it stopped (`runStateOverride.ts`), then stops each. An app without a Windows service on the node
 * (one this deployment adds) has nothing to stop.
 */
export function stopAppsScript(apps: readonly string[], hold: RunStateHold): string {
    return [
        ...preamble(),
        runStateOverrideScript(apps, false, hold),
        "Import-Module -Name $module",
        ...stopFunctions,
        ...apps.map((app) => `Stop-MxAppSettled ${powerShellLiteral(app)}`),
    ].join("\n");
}

/**
 * A regional failover's start of a node's apps: first records each as running until the next
 * failover (`by`: the failover's step), so that a restart and every later agent run keep them
 * running whatever the node's settings blobs say; then starts them (the leader with
 * `-SynchronizeDatabase`, as the agent does), each bounded by `readySeconds` and stopped again past
 * it; then waits, at most `readySeconds`, for the node's health path to answer 200 through IIS the
 * way the load balancer's probe asks it, and says `ready=true` or `ready=false`.
 */
export function startAppsScript(apps: readonly string[], leader: boolean, healthUrl: string, readySeconds: number, by: string): string {
    return [
        ...preamble(),
        runStateOverrideScript(apps, true, { by, until: "next-failover" }),
        "Import-Module -Name $module",
        ...stopFunctions,
        ...startFunction,
        ...apps.map((app) => `Start-MxAppWithin ${powerShellLiteral(app)} $${leader} ${readySeconds}`),
        `$deadline = (Get-Date).AddSeconds(${readySeconds})`,
        "$ready = $false",
        "while (-not $ready -and (Get-Date) -lt $deadline) {",
        `    try { $ready = (Invoke-WebRequest -UseBasicParsing -Uri ${powerShellLiteral(healthUrl)} -TimeoutSec 5).StatusCode -eq 200 } catch { Start-Sleep -Seconds 5 }`,
        "}",
        "Write-Output \"ready=$($ready.ToString().ToLower())\"",
    ].join("\n");
}
