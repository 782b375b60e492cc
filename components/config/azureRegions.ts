/**
 * What the stack needs to know of Azure's regions before it registers anything: which ones have
 * availability zones, and each one's pair. Two tables, each from Microsoft's own list:
 *
 * - Regions with availability zones: MicrosoftDocs/azure-docs, `articles/reliability/availability-zones-region-support.md`
 *   ("Azure regions with availability zone support", 2024-11-20). The sovereign clouds' regions of
 *   that list (US Gov Virginia, China North 3) are left out: the stack names the public cloud's
 *   endpoints (`plan/sqlEndpoint.ts`).
 * - Region pairs: MicrosoftDocs/azure-docs, `articles/reliability/cross-region-replication-azure.md`
 *   ("Azure regional pairs"). Geo-redundant storage replicates to the pair and fails over to it; Azure
 *   SQL's failover-group guide asks for the partner server in the paired region when the servers are
 *   reached through private endpoints (MicrosoftDocs/sql-docs, `azure-sql/database/auto-failover-group-configure-sql-db.md`,
 *   "Use Private Link").
 *
 * A region that gained zones, or is new, since: add it here (the refusals name this file).
 */

export const regionsWithZones: ReadonlySet<string> = new Set([
    // Americas
    "brazilsouth", "canadacentral", "centralus", "eastus", "eastus2", "southcentralus", "westus2", "westus3", "mexicocentral",
    // Europe
    "francecentral", "italynorth", "germanywestcentral", "norwayeast", "northeurope", "uksouth", "westeurope", "swedencentral",
    "switzerlandnorth", "polandcentral", "spaincentral",
    // Middle East
    "qatarcentral", "uaenorth", "israelcentral",
    // Africa
    "southafricanorth",
    // Asia Pacific
    "australiaeast", "centralindia", "japaneast", "japanwest", "southeastasia", "eastasia", "koreacentral", "newzealandnorth",
]);

/** Each region's pair, as Azure replicates geo-redundant storage; both directions where the table pairs both ways. */
const pairs: readonly (readonly [string, string])[] = [
    ["eastasia", "southeastasia"], ["australiaeast", "australiasoutheast"], ["australiacentral", "australiacentral2"],
    ["canadacentral", "canadaeast"], ["northeurope", "westeurope"], ["francecentral", "francesouth"],
    ["germanywestcentral", "germanynorth"], ["centralindia", "southindia"], ["japaneast", "japanwest"], ["koreacentral", "koreasouth"],
    ["eastus", "westus"], ["eastus2", "centralus"], ["northcentralus", "southcentralus"], ["westus2", "westcentralus"],
    ["norwayeast", "norwaywest"], ["southafricanorth", "southafricawest"], ["swedencentral", "swedensouth"],
    ["switzerlandnorth", "switzerlandwest"], ["ukwest", "uksouth"], ["uaenorth", "uaecentral"],
];

/**
 * The pairs the table gives one way only: Brazil South's secondary is South Central US, Brazil
 * Southeast's is Brazil South, West US 3's is East US, West India's is South India.
 */
const oneWayPairs: Readonly<Record<string, string>> = { brazilsouth: "southcentralus", brazilsoutheast: "brazilsouth", westus3: "eastus", westindia: "southindia" };

/** Every region either table names: the public cloud's regions this stack knows. */
const knownRegions: ReadonlySet<string> = new Set([
    ...regionsWithZones, ...pairs.flat(), ...Object.entries(oneWayPairs).flat(),
]);

/** Whether `region` is one of Microsoft's regions as these tables list them; a misspelt name is not. */
export function isKnownRegion(region: string): boolean {
    return knownRegions.has(region);
}

export function regionHasZones(region: string): boolean {
    return regionsWithZones.has(region);
}

/** The region Azure pairs with `region`; undefined for a region without a pair (Poland Central, Italy North, ...). */
export function pairedRegion(region: string): string | undefined {
    const oneWay = oneWayPairs[region];
    if (oneWay !== undefined) {
        return oneWay;
    }
    const pair = pairs.find(([a, b]) => a === region || b === region);
    return pair === undefined ? undefined : pair[0] === region ? pair[1] : pair[0];
}

/** An Azure region's programmatic name: lower-case letters and digits, as `azure-native:location` takes it. */
export const regionNamePattern = /^[a-z][a-z0-9]+$/;
