import { StandbyConfig } from "../config/contract";
import { RegionRole } from "./names";

/**
 * Which region serves and which region's resources the program must leave untouched. While the
 * stack's own region serves, every resource is the program's to update. Once the standby is active
 * (after a failover), the stack's region is the one that was lost: its resources are still
 * registered, as they are, so that nothing is deleted, but no change of the program reaches them
 * (`ignoreChanges: ["*"]`, which the engine applies before it diffs: pulumi/pulumi#6710, #13005), and
 * `pulumi up` needs nothing of that region to update the rest.
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
