/**
 * The Run Command script that stops apps on a follower before the leader starts a new model
 * (`rollout.modelChange: stopAll`), through the Service Console's cmdlets in Windows PowerShell
 * (Mendix docs, "Automate Mendix Deployment on Microsoft Windows").
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
