import { appsRoot } from "./nodeLayout";
import { powerShellLiteral } from "./powerShellLiteral";

/**
 * After a restart of Windows the node agent's boot task (`resume`) brings each app back to what the
 * last completed agent run left it as (`<appsRoot>\node-agent\completed\<app>.completed`). A Run
 * Command that stops or starts apps on purpose outside that run (the stop before a new model with
 * `stopAll`, the stop before a restore, a failover's stop or start) says so beside that record, in
 * `<app>.override` (key=value lines: `app`, `running`, `by`, `at`), so that a restart does not undo
 * it: `resume` honours the override until the next agent run that completes, which removes the
 * overrides it found when it began (the agent's `Node/RunStateOverride.cs` reads and removes them).
 * The lines are written to a temporary file and moved over the override, so that `resume` never
 * reads half of one.
 */
export const runStateFolder = ["node-agent", "completed"] as const;
export const runStateOverrideExtension = ".override";

/**
 * PowerShell lines (Windows PowerShell 5.1) that record, for each app, that it should run
 * (`running`) or stay stopped until the next completed agent run, set by `by` (the Run Command's
 * name, or the failover step): a fragment for the start of any Run Command script, which sets no
 * preference of its own and uses only variables named `$runState*`.
 */
export function runStateOverrideScript(apps: readonly string[], running: boolean, by: string): string {
    return [
        `$runStateFolder = Join-Path -Path (Join-Path -Path ${powerShellLiteral(appsRoot)} -ChildPath ${powerShellLiteral(runStateFolder[0])}) -ChildPath ${powerShellLiteral(runStateFolder[1])}`,
        "$null = New-Item -ItemType Directory -Path $runStateFolder -Force",
        `foreach ($runStateApp in @(${apps.map(powerShellLiteral).join(", ")})) {`,
        `    $runStateFile = Join-Path -Path $runStateFolder -ChildPath ($runStateApp + ${powerShellLiteral(runStateOverrideExtension)})`,
        `    $runStateLines = @(('app=' + $runStateApp), ${powerShellLiteral(`running=${running}`)}, ${powerShellLiteral(`by=${by}`)}, ('at=' + [DateTime]::UtcNow.ToString('o')))`,
        "    [System.IO.File]::WriteAllText($runStateFile + '.tmp', (($runStateLines -join \"`n\") + \"`n\"))",
        "    Move-Item -LiteralPath ($runStateFile + '.tmp') -Destination $runStateFile -Force",
        "}",
    ].join("\n");
}
