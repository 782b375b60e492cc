import { SqlTier } from "../config/contract";
import { businessCriticalVCores } from "../config/sqlSkus";

/** The `sku` block of an Azure SQL database for a validated tier and sku. */
export function databaseSku(tier: SqlTier, sku: string): { name: string; tier: string; family?: string; capacity?: number } {
    return tier === "Premium"
        ? { name: sku, tier: "Premium" }
        : { name: "BC_Gen5", tier: "BusinessCritical", family: "Gen5", capacity: businessCriticalVCores(sku) };
}
