import { StorageReplication } from "../config/contract";

/** Azure's SKU name for a replication: Standard (general-purpose v2) accounts. */
export function storageSkuName(replication: StorageReplication): string {
    return `Standard_${replication.replace("-", "")}`;
}
