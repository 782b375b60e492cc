import * as storage from "@pulumi/azure-native/storage";
import * as pulumi from "@pulumi/pulumi";
import { AppConfig, StorageConfig } from "./config/contract";
import { DeliveryContainer, deliveryContainer } from "./deliveryStorage";
import { Placement } from "./placement";
import { pickStorageKey } from "./plan/secretRotation";
import { storageAccountBaseline } from "./plan/storageAccountBaseline";
import { storageNetworkRules } from "./plan/storageNetworkRules";
import { storageSkuName } from "./plan/storageSku";
import { StatefulOptions } from "./statefulOptions";

export interface StorageArgs {
    readonly placement: Placement;
    readonly apps: readonly AppConfig[];
    /** `storage`: replication and soft delete. */
    readonly storage: StorageConfig;
    /** How far back, in days, the files can be restored: the databases' `sql.backupRetentionDays`. */
    readonly restoreDays: number;
    /** `rotation.generation`: odd ones give the nodes key1, even ones key2. */
    readonly rotationGeneration: number;
    /** The random part of the globally unique account name. */
    readonly nameSuffix: pulumi.Input<string>;
    readonly stateful: StatefulOptions;
    /** The node subnets: the nodes read settings and files through their service endpoints. */
    readonly nodeSubnetIds: readonly pulumi.Input<string>[];
    /** Public addresses `pulumi up` runs from: it writes the agent and settings blobs. */
    readonly deployerCidrs: readonly string[];
}

/**
 * The storage account: one private container per app for the Mendix file storage, and one
 * private container for the stack region's node settings and the node agent. Deleted blobs and containers stay
 * restorable (soft delete, versioning), and the block blobs can go back to any instant of the last
 * `restoreDays` (point-in-time restore, docs/restoring.md). Its firewall lets in the node subnet and
 * the deployer only; data at rest is encrypted twice (service and infrastructure).
 */
export class ClusterStorage extends pulumi.ComponentResource {
    readonly accountName: pulumi.Output<string>;
    readonly accountId: pulumi.Output<string>;
    readonly blobEndpoint: pulumi.Output<string>;
    /** The settings container: what the stack region's nodes download (a standby region has its own, `DeliveryStorage`). */
    readonly delivery: DeliveryContainer;
    readonly filesContainerNames: Readonly<Record<string, pulumi.Output<string>>>;
    readonly filesContainerIds: Readonly<Record<string, pulumi.Output<string>>>;
    /** The earliest instant Azure can restore the files to (`restorePolicy.minRestoreTime`). */
    readonly restorableSince: pulumi.Output<string | undefined>;
    private readonly args: StorageArgs;
    private readonly accountScope: { readonly resourceGroupName: pulumi.Input<string>; readonly accountName: pulumi.Output<string> };

    constructor(name: string, args: StorageArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mendix:cluster:Storage", name, {}, opts);
        this.args = args;
        const { placement } = args;

        const account = new storage.StorageAccount(`${name}-account`, {
            resourceGroupName: placement.resourceGroupName,
            location: placement.location,
            tags: placement.tags,
            accountName: pulumi.output(args.nameSuffix).apply((suffix) => placement.names.storageAccount(suffix)),
            ...storageAccountBaseline,
            // An update, not a replacement: Azure converts the account's replication in place.
            sku: { name: storageSkuName(args.storage.replication) },
            networkRuleSet: storageNetworkRules(args.nodeSubnetIds, args.deployerCidrs),
        }, { parent: this, ...args.stateful });

        const accountScope = { resourceGroupName: placement.resourceGroupName, accountName: account.name };

        // Point-in-time restore of block blobs needs versioning, blob soft delete and the change feed,
        // its window at least a day shorter than soft delete's and the change feed's retention
        // (Microsoft Learn, "Point-in-time restore for block blobs"); storage.softDeleteDays is checked so.
        // azure-native `storage.BlobServiceProperties` (API 2024-01-01): `restorePolicy.days` "should be
        // great than zero and less than DeleteRetentionPolicy.days"; Azure answers `minRestoreTime`,
        // "the minimum date and time that the restore can be started", which the stack outputs.
        const softDeleteDays = args.storage.softDeleteDays;
        const blobService = new storage.BlobServiceProperties(`${name}-blob-service`, {
            ...accountScope,
            blobServicesName: "default",
            isVersioningEnabled: true,
            changeFeed: { enabled: true, retentionInDays: softDeleteDays },
            deleteRetentionPolicy: { enabled: true, days: softDeleteDays },
            containerDeleteRetentionPolicy: { enabled: true, days: softDeleteDays },
            restorePolicy: { enabled: true, days: args.restoreDays },
        }, { parent: this });

        const container = (logicalName: string, containerName: string, options: pulumi.CustomResourceOptions) =>
            new storage.BlobContainer(logicalName, { ...accountScope, containerName, publicAccess: "None" }, {
                parent: this,
                dependsOn: [blobService],
                ...options,
            });

        const settings = container(`${name}-node-settings`, placement.names.settingsContainer, {});
        const files = Object.fromEntries(args.apps.map((app) => [
            app.name,
            container(`${name}-files-${app.name}`, placement.names.filesContainer(app.name), args.stateful),
        ]));

        this.accountScope = accountScope;
        this.accountName = account.name;
        this.accountId = account.id;
        this.blobEndpoint = account.primaryEndpoints.apply((endpoints) => endpoints.blob);
        this.delivery = deliveryContainer(placement.resourceGroupName, account, settings);
        this.filesContainerNames = Object.fromEntries(Object.entries(files).map(([app, files]) => [app, files.name]));
        this.filesContainerIds = Object.fromEntries(Object.entries(files).map(([app, files]) => [app, files.id]));
        this.restorableSince = blobService.restorePolicy.apply((policy) => policy?.minRestoreTime);
        this.registerOutputs({ accountName: this.accountName, settingsContainerName: settings.name });
    }

    /** The key the nodes of apps older than Mendix 10.10 sign in with; read only when some app needs it. */
    accountKey(): pulumi.Output<string> {
        const keys = storage.listStorageAccountKeysOutput(this.accountScope, { parent: this });
        return pulumi.secret(keys.apply((result) => pickStorageKey(result.keys, this.args.rotationGeneration)));
    }
}
