import { SqlTier } from "./contract";

/**
 * What Azure SQL Database sells on the two tiers the Mendix runtime is fast enough on.
 * Premium (DTU): https://learn.microsoft.com/azure/azure-sql/database/resource-limits-dtu-single-databases
 * Business Critical (vCore, standard-series Gen5):
 * https://learn.microsoft.com/azure/azure-sql/database/resource-limits-vcore-single-databases
 */

const premiumSkus = ["P1", "P2", "P4", "P6", "P11", "P15"] as const;
const premiumLargeSkus: readonly string[] = ["P11", "P15"];

/** Max sizes Azure accepts for a Premium database, in GB (P11 and P15 go on to 4 TB). */
const premiumSizesGb = [1, 2, 5, 10, 20, 30, 40, 50, 100, 150, 200, 250, 300, 400, 500, 750, 1024];
const premiumLargeSizesGb = [...premiumSizesGb, ...[1280, 1536, 1792, 2048, 2304, 2560, 2816, 3072, 3328, 3584, 3840, 4096]];

/** Business Critical Gen5 vCore counts and the max data size of each, in GB. */
const businessCriticalMaxGb: ReadonlyMap<number, number> = new Map([
    [2, 1024], [4, 1024], [6, 1536], [8, 2048], [10, 2048], [12, 3072], [14, 3072], [16, 3072],
    [18, 3072], [20, 3072], [24, 4096], [32, 4096], [40, 4096], [80, 4096], [128, 4096],
]);

export interface SqlSkuRule {
    /** The skus of a tier, as a user writes them. */
    readonly skus: readonly string[];
    /** What the error message says is allowed. */
    readonly describeSkus: string;
    /** A reason the size does not fit the sku, or undefined when it does. */
    sizeProblem(sku: string, maxSizeGb: number): string | undefined;
}

export const sqlSkuRules: Readonly<Record<SqlTier, SqlSkuRule>> = {
    Premium: {
        skus: premiumSkus,
        describeSkus: premiumSkus.join(", "),
        sizeProblem(sku, maxSizeGb) {
            const sizes = premiumLargeSkus.includes(sku) ? premiumLargeSizesGb : premiumSizesGb;
            return sizes.includes(maxSizeGb) ? undefined : `one of ${sizes.join(", ")} for ${sku}`;
        },
    },
    BusinessCritical: {
        skus: [...businessCriticalMaxGb.keys()].map((vCores) => `BC_Gen5_${vCores}`),
        describeSkus: `BC_Gen5_N with N vCores, N one of ${[...businessCriticalMaxGb.keys()].join(", ")}`,
        sizeProblem(sku, maxSizeGb) {
            const max = businessCriticalMaxGb.get(businessCriticalVCores(sku)) ?? 0;
            return maxSizeGb >= 1 && maxSizeGb <= max ? undefined : `a whole number from 1 to ${max} for ${sku}`;
        },
    },
};

export function businessCriticalVCores(sku: string): number {
    return Number(sku.replace(/^BC_Gen5_/, ""));
}
