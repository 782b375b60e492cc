import { appsRoot } from "./nodeLayout";
import { powerShellLiteral } from "./powerShellLiteral";

/**
 * After a restart of Windows the node agent's boot task (`resume`) brings each app back to what the
 * last completed agent run left it as (`<appsRoot>\node-agent\completed\<app>.completed`). A Run
 * Command that stops or starts apps on purpose outside that run (the stop before a new model with
 * `stopAll`, the stop before a restore, a failover's stop or start) says so beside that record, in
 * `<app>.override` (key=value lines: `app`, `running`, `by`, `at`), so that a restart does not undo
 * it (key=value lines: `app`, `running`, `by`, `at`, `until`). How long it holds is `until`:
 * - `next-run`: `resume` honours it until the next agent run that completes, which removes the
 *   overrides it found when it began (the stops before a new model and before a restore);
 * - `next-failover`: a regional failover's word, which holds until another failover writes the
 *   app's override again; every agent run (`apply`) honours it over the settings blobs'
 *   `standby.serving`, since during a region's loss the blobs, in the lost region's storage
 *   account, cannot be rewritten.
 * The agent's `Node/RunStateOverride.cs` is the one reader. The lines are written to a temporary
 * file and moved over the override, so that `resume` never reads half of one.
 */
export const runStateFolder = ["node-agent", "completed"] as const;
export const runStateOverrideExtension = ".override";

/** How long an override holds (see above); the agent's `RunStateUntil`. */
export type RunStateUntil = "next-run" | "next-failover";

/** Who set an override and how long it holds. */
export interface RunStateHold {
    /** The Run Command's name, or the failover step. */
    readonly by: string;
    readonly until: RunStateUntil;
}

/**
 * PowerShell lines (Windows PowerShell 5.1) that record, for each app, that it should run
 * (`running`) or stay stopped, as `hold` says: a fragment for the start of any Run Command script,
 * which sets no preference of its own and uses only variables named `$runState*`. The one writer
 * of a node's run-state overrides.
 */
export function runStateOverrideScript(apps: readonly string[], running: boolean, hold: RunStateHold): string {
    return [
        `$runStateFolder = Join-Path -Path (Join-Path -Path ${powerShellLiteral(appsRoot)} -ChildPath ${powerShellLiteral(runStateFolder[0])}) -ChildPath ${powerShellLiteral(runStateFolder[1])}`,
        "$null = New-Item -ItemType Directory -Path $runStateFolder -Force",
        `foreach ($runStateApp in @(${apps.map(powerShellLiteral).join(", ")})) {`,
        `    $runStateFile = Join-Path -Path $runStateFolder -ChildPath ($runStateApp + ${powerShellLiteral(runStateOverrideExtension)})`,
        `    $runStateLines = @(('app=' + $runStateApp), ${powerShellLiteral(`running=${running}`)}, ${powerShellLiteral(`by=${hold.by}`)}, ('at=' + [DateTime]::UtcNow.ToString('o')), ${powerShellLiteral(`until=${hold.until}`)})`,
        "    [System.IO.File]::WriteAllText($runStateFile + '.tmp', (($runStateLines -join \"`n\") + \"`n\"))",
        "    Move-Item -LiteralPath ($runStateFile + '.tmp') -Destination $runStateFile -Force",
        "}",
    ].join("\n");
}
