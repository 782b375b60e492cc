import * as storage from "@pulumi/azure-native/storage";
import * as pulumi from "@pulumi/pulumi";
import { Placement } from "./placement";
import { storageAccountBaseline } from "./plan/storageAccountBaseline";
import { storageNetworkRules } from "./plan/storageNetworkRules";
import { PrivateEndpoint, privateLinkTargets, SharedDnsZone } from "./privateEndpoint";

/**
 * The container a region's nodes download from: their settings blobs, the agent, the models and
 * the Service Console installer.
 */
export interface DeliveryContainer {
    /**
     * The container as a blob names it: with the account's own resource group (azure-native's
     * storage.Blob reads the account's keys in the resource group it is given before it writes:
     * provider custom_storage_azidentity.go).
     */
    readonly scope: { readonly resourceGroupName: pulumi.Input<string>; readonly accountName: pulumi.Output<string>; readonly containerName: pulumi.Output<string> };
    /** What the nodes' Storage Blob Data Reader grant is on. */
    readonly containerId: pulumi.Output<string>;
    /** `https://<account>.blob.core.windows.net/<container>/`: the extension's file URIs and the installers' URLs start with it. */
    readonly url: pulumi.Output<string>;
}

/** The delivery container of `container` in `account`, whose resource group is `resourceGroupName`. */
export function deliveryContainer(resourceGroupName: pulumi.Input<string>, account: storage.StorageAccount, container: storage.BlobContainer): DeliveryContainer {
    return {
        scope: { resourceGroupName, accountName: account.name, containerName: container.name },
        containerId: container.id,
        url: pulumi.interpolate`${account.primaryEndpoints.blob}${container.name}/`,
    };
}

export interface DeliveryStorageArgs {
    readonly placement: Placement;
    /** The random part of the globally unique account name. */
    readonly nameSuffix: pulumi.Input<string>;
    /** Public addresses `pulumi up` runs from: it uploads the blobs. */
    readonly deployerCidrs: readonly string[];
    /** `storage.softDeleteDays`: deleted blobs and containers stay restorable as in the files' account. */
    readonly softDeleteDays: number;
    /** The region's endpoint subnet and network, and the blob zone already linked to that network. */
    readonly endpoint: { readonly subnetId: pulumi.Input<string>; readonly virtualNetworkId: pulumi.Input<string>; readonly zone: SharedDnsZone };
}

/**
 * A standby region's own account for what its nodes download (settings blobs, agent, models,
 * installer), in its own resource group: `pulumi up` writes those blobs through the account's
 * resource group (ListKeys), so while the stack's region is lost it still reaches them. The apps'
 * files are not here: they stay in the stack's geo-redundant account, which fails over. Zone-
 * redundant; its firewall lets in the deployer only, and its nodes reach it through a private
 * endpoint registered in the region's blob zone. Everything in it is uploaded again by every run:
 * it holds nothing to keep.
 */
export class DeliveryStorage extends pulumi.ComponentResource {
    readonly container: DeliveryContainer;
    readonly accountName: pulumi.Output<string>;

    constructor(name: string, args: DeliveryStorageArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mendix:cluster:DeliveryStorage", name, {}, opts);
        const { placement } = args;

        const account = new storage.StorageAccount(`${name}-account`, {
            resourceGroupName: placement.resourceGroupName,
            location: placement.location,
            tags: placement.tags,
            accountName: pulumi.output(args.nameSuffix).apply((suffix) => placement.names.storageAccount(suffix)),
            ...storageAccountBaseline,
            sku: { name: "Standard_ZRS" },
            // No subnet rule: the nodes come through the private endpoint, which the firewall does not filter.
            networkRuleSet: storageNetworkRules([], args.deployerCidrs),
        }, { parent: this });
        const accountScope = { resourceGroupName: placement.resourceGroupName, accountName: account.name };

        const blobService = new storage.BlobServiceProperties(`${name}-blob-service`, {
            ...accountScope,
            blobServicesName: "default",
            isVersioningEnabled: true,
            deleteRetentionPolicy: { enabled: true, days: args.softDeleteDays },
            containerDeleteRetentionPolicy: { enabled: true, days: args.softDeleteDays },
        }, { parent: this });
        const container = new storage.BlobContainer(`${name}-node-settings`, {
            ...accountScope, containerName: placement.names.settingsContainer, publicAccess: "None",
        }, { parent: this, dependsOn: [blobService] });

        new PrivateEndpoint(`${name}-private`, {
            placement, target: privateLinkTargets.blob, purpose: "delivery", resourceId: account.id,
            subnetId: args.endpoint.subnetId, virtualNetworkId: args.endpoint.virtualNetworkId,
            sharedZone: args.endpoint.zone, zoneLinkedToNetwork: true,
        }, { parent: this });

        this.container = deliveryContainer(placement.resourceGroupName, account, container);
        this.accountName = account.name;
        this.registerOutputs({ accountName: this.accountName });
    }
}
