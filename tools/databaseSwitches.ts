import { ClusterNode } from "./clusterNodes";

/**
 * The apps whose nodes would use another database after an edit, read off the settings blobs
 * (`runtimeSettings.DatabaseName`): a restore does this on purpose, anything else by mistake, and
 * either way the app runs on other data from then on, so a reviewer must see it.
 */
export interface DatabaseSwitch {
    readonly app: string;
    readonly before: string;
    readonly after: string;
    /** The nodes that switch. */
    readonly nodes: readonly string[];
}

export function databaseSwitches(before: readonly ClusterNode[], after: readonly ClusterNode[]): DatabaseSwitch[] {
    const used = new Map(before.flatMap((node) => node.apps.map((app) => [`${node.name}/${app.app}`, app.runtimeSettings["DatabaseName"]] as const)));
    const switches = new Map<string, { app: string; before: string; after: string; nodes: string[] }>();
    for (const node of after) {
        for (const app of node.apps) {
            const was = used.get(`${node.name}/${app.app}`);
            const now = app.runtimeSettings["DatabaseName"];
            if (was === undefined || now === undefined || was === now) {
                continue;
            }
            const key = `${app.app}/${was}/${now}`;
            const entry = switches.get(key) ?? { app: app.app, before: was, after: now, nodes: [] };
            entry.nodes.push(node.name);
            switches.set(key, entry);
        }
    }
    return [...switches.values()].sort((a, b) => a.app.localeCompare(b.app));
}
