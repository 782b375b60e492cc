/** A PowerShell single-quoted literal: nothing inside is expanded; a quote is doubled. */
export function powerShellLiteral(text: string): string {
    return `'${text.replace(/'/g, "''")}'`;
}
