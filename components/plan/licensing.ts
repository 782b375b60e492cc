import { AppConfig } from "../config/contract";

/**
 * Apps without a subscription licence, and what the user is told about each. An unlicensed runtime
 * outside Mendix Cloud stops after 2 to 4 hours and admits 6 concurrent users
 * (Mendix docs, "Licensing Apps Outside Mendix Cloud").
 */
export function unlicensedApps(apps: readonly AppConfig[]): string[] {
    return apps.filter((app) => app.license === undefined).map((app) => app.name);
}

export function unlicensedAppWarning(app: string): string {
    return `App "${app}" has no Mendix licence: an unlicensed Mendix runtime outside Mendix Cloud stops after 2 to 4 hours ` +
        "and admits at most 6 concurrent users, so this cluster is not highly available. Give it a subscription licence with " +
        `apps[].license and \`pulumi config set --secret --path 'licenseSecrets.${app}' <secret>\` (docs/licensing.md).`;
}
