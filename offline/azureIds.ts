import { createHash } from "crypto";
import { CatalogEntry } from "../components/catalog";

/** The subscription every offline evaluation runs in. */
export const offlineSubscriptionId = "00000000-0000-4000-8000-000000000001";
export const offlineTenantId = "00000000-0000-4000-8000-0000000000aa";
/** The object id of whoever runs the deployment (`getClientConfig().objectId`). */
export const offlineDeployerObjectId = "00000000-0000-4000-8000-0000000000d0";

/** A GUID that stays the same for the same seed: what Azure would generate, repeatable across runs. */
export function stableGuid(seed: string): string {
    const hex = createHash("sha256").update(seed).digest("hex");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The id Azure gives a resource, from its catalogue row and its inputs. A placeholder whose input
 * the program left out (a role assignment's name, which the provider generates) gets a stable GUID.
 */
export function azureResourceId(entry: CatalogEntry, inputs: Readonly<Record<string, unknown>>, logicalName: string): string {
    if (entry.idTemplate === undefined) {
        throw new Error(`${entry.token} has no Azure id`);
    }
    return entry.idTemplate.replace(/\{([A-Za-z]+)\}/g, (_, key: string) => {
        if (key === "subscription") {
            return offlineSubscriptionId;
        }
        if (key === "resourceGroup") {
            return `/subscriptions/${offlineSubscriptionId}/resourceGroups/${requiredInput(entry, inputs, "resourceGroupName")}`;
        }
        const value = inputs[key];
        if (value === undefined && key === entry.nameInput) {
            return stableGuid(`${entry.token}/${logicalName}`);
        }
        return requiredInput(entry, inputs, key);
    });
}

function requiredInput(entry: CatalogEntry, inputs: Readonly<Record<string, unknown>>, key: string): string {
    const value = inputs[key];
    if (typeof value !== "string" || value === "") {
        throw new Error(`${entry.token}: the input ${key}, part of its Azure id, is ${JSON.stringify(value)}`);
    }
    return value;
}
