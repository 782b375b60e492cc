import { offlineSubscriptionId } from "../../offline/azureIds";

/** The Azure id of a resource in a stack's resource group, `providerPath` after `/providers/`, written out. */
export function azureId(stack: string, providerPath: string): string {
    return `/subscriptions/${offlineSubscriptionId}/resourceGroups/rg-mx-${stack}/providers/${providerPath}`;
}
