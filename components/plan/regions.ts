import { ConfigIssue, describeValue } from "../config/configError";
import { StandbyConfig } from "../config/contract";
import { RegionRole } from "./names";

/**
 * Which region serves and which region's resources the program must leave untouched. While the
 * stack's own region serves, every resource is the program's to update. Once the standby is active
 * (after a failover), the stack's region is the one that was lost: its resources are still
 * registered, as they are, with `ignoreChanges: ["*"]` (which the engine applies before it diffs:
 * pulumi/pulumi#6710, #13005) and `retainOnDelete`, and `pulumi up` needs nothing of that region's
 * control plane to update the rest. `ignoreChanges` stops updates and replacements, not creates or
 * deletes: an edit that would create or delete a resource there is refused (`activeStandbyRefusals`).
 */
export interface RegionPlan {
    readonly primaryLocation: string;
    readonly standby: StandbyConfig | undefined;
    readonly serving: RegionRole;
    /** The region whose resources no change may reach: the lost one. */
    readonly frozen: RegionRole | undefined;
}

export function planRegions(primaryLocation: string, standby: StandbyConfig | undefined): RegionPlan {
    const active = standby?.active === true;
    return { primaryLocation, standby, serving: active ? "standby" : "primary", frozen: active ? "primary" : undefined };
}

/** The engine's wildcard for every input property of a resource. */
export const everyProperty = "*";

/** What decides whether an edit would reach the lost region: the config's and the last deployment's nodes, apps and models. */
export interface ActiveStandbyInput {
    readonly standby: StandbyConfig | undefined;
    readonly deployed: {
        /** The stack region's nodes. */
        readonly nodes: readonly string[];
        readonly standby: { readonly active: boolean } | undefined;
        readonly apps: readonly string[];
        /** App -> SHA-256 of its model. */
        readonly models: Readonly<Record<string, string>>;
        /** The secrets the stack region's vault holds (`vaultSecrets`). */
        readonly vaultSecrets: readonly string[];
    };
    readonly wanted: {
        readonly nodeCount: number;
        readonly nodes: readonly string[];
        readonly apps: readonly string[];
        readonly models: Readonly<Record<string, string>>;
        /** The vault secrets the config's apps bring (a licence, a secret custom setting), each with the config key it comes from. */
        readonly appSecrets: readonly { readonly key: string; readonly vaultSecretName: string }[];
    };
}

const failBackFirst = "fail back first (docs/losing-a-region.md, \"Failing back\"), then make the change with standby.active false";

/**
 * Edits refused while the standby serves, each naming its key: one that would create or delete a
 * resource of the lost region (its nodes, an app's database, file container and settings blobs, a
 * new model's blob, a new secret in its vault), the standby made active
 * on a stack whose last deployment had no standby to serve from, and the standby removed while it
 * serves (that would delete the serving region).
 */
export function activeStandbyRefusals(input: ActiveStandbyInput): ConfigIssue[] {
    const { standby, deployed, wanted } = input;
    if (standby === undefined) {
        return deployed.standby?.active === true ? [{
            key: "standby", value: "nothing",
            allowed: `the standby as deployed, with active: true: the standby region serves (the last deployment had standby.active true), and removing it would delete the serving region; ${failBackFirst}`,
        }] : [];
    }
    if (!standby.active) {
        return [];
    }
    if (deployed.standby === undefined) {
        return [{
            key: "standby.active", value: "true",
            allowed: "false: the last deployment had no standby region to serve from; deploy the standby with standby.active false, fail over with npm run failover, then set it",
        }];
    }
    const issues: ConfigIssue[] = [];
    const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((item) => b.includes(item));
    if (!sameSet(wanted.nodes, deployed.nodes)) {
        issues.push({
            key: "nodeCount", value: String(wanted.nodeCount),
            allowed: `${deployed.nodes.length}, as the last deployment left the stack's region: while standby.active is true, another count would create or delete VMs, disks and settings blobs in the lost region; ${failBackFirst}`,
        });
    }
    if (!sameSet(wanted.apps, deployed.apps)) {
        issues.push({
            key: "apps", value: describeValue(wanted.apps),
            allowed: `the apps the last deployment had (${deployed.apps.join(", ")}): while standby.active is true, adding or removing an app would create or delete its database on the lost region's server, its files container and settings blobs; ${failBackFirst}`,
        });
    }
    wanted.apps.forEach((app, index) => {
        if (deployed.apps.includes(app) && wanted.models[app] !== deployed.models[app]) {
            issues.push({
                key: `apps[${index}].mda`, value: wanted.models[app] === undefined ? "nothing" : `a model with SHA-256 ${wanted.models[app]}`,
                allowed: `the model the last deployment deployed (${deployed.models[app] === undefined ? "none" : `SHA-256 ${deployed.models[app]}`}): while standby.active is true, ` +
                    `a new model's blob would go to the storage account the lost region's resource group holds, which the program leaves as it is; ${failBackFirst}`,
            });
        }
    });
    for (const secret of wanted.appSecrets) {
        if (!deployed.vaultSecrets.includes(secret.vaultSecretName)) {
            issues.push({
                key: secret.key, value: "a new secret",
                allowed: `nothing new while standby.active is true: it would create the secret ${secret.vaultSecretName} in the lost region's vault as well as the standby's; ${failBackFirst}`,
            });
        }
    }
    return issues;
}
