import { isKnownRegion, pairedRegion, regionHasZones, regionNamePattern } from "./azureRegions";
import { ConfigReader } from "./configReader";
import { limits, StandbyConfig, StorageReplication, Zone } from "./contract";

/**
 * The `standby` key: a second region that takes over when the stack's own region is lost.
 * `location` (required), `nodeCount` (0: a cold standby, network, load balancer, database secondary
 * and vault only; default the stack's `nodeCount`), `active` (false: the stack's own region serves;
 * true: the standby region does, after a failover).
 */

const standbyKeys = ["location", "nodeCount", "active"] as const;

/** Replications that keep a copy of the files in the paired region, which a storage failover can make the primary. */
export const geoRedundantReplications: readonly StorageReplication[] = ["GZRS", "RA-GZRS"];

export interface StandbyContext {
    /** `azure-native:location`: the stack's own region. */
    readonly location: string | undefined;
    readonly zones: readonly Zone[];
    readonly replication: StorageReplication;
    readonly nodeCount: number;
}

export function readStandby(reader: ConfigReader, context: StandbyContext): StandbyConfig | undefined {
    const standby = reader.mapping("standby", standbyKeys);
    if (standby === undefined) {
        return undefined;
    }
    const location = standby["location"];
    if (typeof location !== "string" || !regionNamePattern.test(location)) {
        reader.report("standby.location", location, "an Azure region name such as northeurope, other than the stack's own azure-native:location");
        return undefined;
    }
    if (!isKnownRegion(location)) {
        reader.report("standby.location", location,
            "one of Azure's public regions as Microsoft lists them, such as northeurope (the list: components/config/azureRegions.ts; " +
            "`az account list-locations --query \"[].name\"` names them all)");
        return undefined;
    }
    if (location === context.location) {
        reader.report("standby.location", location, `a region other than the stack's own (azure-native:location is ${location}): the standby must survive the loss of that region`);
    }
    if (context.zones.length > 0 && !regionHasZones(location)) {
        reader.report("standby.location", location,
            `a region with availability zones, since zones is ${JSON.stringify(context.zones)} (Microsoft's list: components/config/azureRegions.ts); or zones: [] for the whole stack`);
    }
    if (!geoRedundantReplications.includes(context.replication)) {
        reader.report("storage.replication", context.replication,
            `${geoRedundantReplications.join(" or ")} on a stack with a standby: the files must have a copy in the paired region that a storage failover can serve`);
    }
    const nodeCount = reader.checkInteger("standby.nodeCount", standby["nodeCount"] ?? context.nodeCount, limits.standbyNodeCount) ?? context.nodeCount;
    const active = reader.checkBoolean("standby.active", standby["active"] ?? false) ?? false;
    return { location, nodeCount, active };
}

/** A warning when the standby is not the stack region's pair, which geo-redundant storage fails over to. */
export function standbyPairWarning(location: string, standby: StandbyConfig): string | undefined {
    const pair = pairedRegion(location);
    if (pair === standby.location) {
        return undefined;
    }
    return `standby.location is ${standby.location}, but ${location}'s paired region is ${pair ?? "none"}: a storage failover moves the files to the pair, ` +
        "and Azure SQL's failover-group guide asks for the paired region when the servers are reached through private endpoints (see docs/losing-a-region.md)";
}
