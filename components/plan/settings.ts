import { stringify } from "yaml";
import { AppLicense } from "../config/contract";
import { AppDelivery, Prerequisites, SiteSettings } from "./delivery";
import { NodePlan } from "./nodes";
import { performDeleteFromStorage } from "./fileDeletion";
import { MendixVersion } from "./mendixVersion";
import { appsRoot, dataDiskLun, dataDriveLetter } from "./nodeLayout";
import { RolloutSettings } from "./rolloutSettings";

/**
 * The node settings blob: what one node needs to run one app, rendered as YAML for the node agent.
 * The format is the contract in docs/node-settings-blob.md.
 */

export const settingsSchemaVersion = 3;

export interface DatabaseConnection {
    /** `<server>.database.windows.net:1433` */
    readonly host: string;
    readonly name: string;
    readonly userName: string;
    readonly password: string;
}

export interface FileStorage {
    readonly accountName: string;
    readonly accountKey: string;
    readonly container: string;
}

/**
 * On a standby region's node: whether that region serves. While it does not, the agent installs and
 * configures the apps and never starts one (stopping any that runs); once it does (after a
 * failover), the apps run as on any node.
 */
export interface StandbySettings {
    readonly serving: boolean;
}

export interface NodeSettingsInput {
    readonly node: NodePlan;
    /** The client id of the node's user-assigned managed identity. */
    readonly identityClientId: string;
    readonly appName: string;
    readonly database: DatabaseConnection;
    readonly storage: FileStorage;
    readonly appCustomSettings: Readonly<Record<string, string>>;
    /** The app's subscription licence; undefined for an unlicensed app. */
    readonly license: AppLicense | undefined;
    readonly delivery: NodeDelivery;
    readonly rollout: RolloutSettings;
    /** The Mendix version of the app's MDA; undefined for an app without one. */
    readonly runtimeVersion: MendixVersion | undefined;
    /** The app's public URL (`applicationRootUrl` in plan/loadBalancing.ts). */
    readonly applicationRootUrl: string;
    /** Undefined on the stack's own region's nodes. */
    readonly standby?: StandbySettings;
}

/** How the app reaches the node: its ports and model, the prerequisites, the IIS site. */
export interface NodeDelivery {
    readonly app: AppDelivery;
    readonly prerequisites: Prerequisites;
    readonly site: SiteSettings;
}

export interface NodeSettingsDocument {
    readonly schemaVersion: number;
    readonly node: {
        readonly name: string;
        readonly index: number;
        readonly computerName: string;
        readonly leader: boolean;
        readonly dataDisk: { readonly lun: number; readonly driveLetter: string };
        readonly appsRoot: string;
        readonly identityClientId: string;
    };
    readonly app: { readonly name: string } & AppDelivery & { readonly applicationRootUrl: string };
    readonly runtimeSettings: Readonly<Record<string, string>>;
    readonly customSettings: Readonly<Record<string, string>>;
    readonly prerequisites: Prerequisites;
    readonly site: SiteSettings;
    readonly rollout: RolloutSettings;
    readonly standby?: StandbySettings;
}

/** The Mendix custom settings of one app on one node: cluster role, shared file storage, then the app's own. */
export function clusterCustomSettings(input: NodeSettingsInput): Record<string, string> {
    return {
        ...(input.node.leader ? {} : { "com.mendix.core.isClusterSlave": "true" }),
        "com.mendix.core.StorageService": "com.mendix.storage.azure",
        "com.mendix.storage.azure.AccountName": input.storage.accountName,
        "com.mendix.storage.azure.AccountKey": input.storage.accountKey,
        "com.mendix.storage.azure.Container": input.storage.container,
        // Files deleted in the app stay in the container, so a restored database still finds them.
        "com.mendix.storage.PerformDeleteFromStorage": performDeleteFromStorage(input.runtimeVersion),
        ...(input.license === undefined ? {} : licenseSettings(input.license)),
        ...input.appCustomSettings,
    };
}

/** The runtime settings of a subscription licence checked against Mendix's licence server. */
export function licenseSettings(license: AppLicense): Record<string, string> {
    return {
        "License.SubscriptionSecret": license.subscriptionSecret,
        "License.UseLicenseServer": "true",
        "License.LicenseServerURL": license.licenseServerUrl,
        "License.EnvironmentName": license.environmentName,
    };
}

export function nodeSettingsDocument(input: NodeSettingsInput): NodeSettingsDocument {
    return {
        schemaVersion: settingsSchemaVersion,
        node: {
            name: input.node.name,
            index: input.node.index,
            computerName: input.node.computerName,
            leader: input.node.leader,
            dataDisk: { lun: dataDiskLun, driveLetter: dataDriveLetter },
            appsRoot,
            identityClientId: input.identityClientId,
        },
        app: { name: input.appName, ...input.delivery.app, applicationRootUrl: input.applicationRootUrl },
        runtimeSettings: {
            DatabaseType: "SQLSERVER",
            DatabaseHost: input.database.host,
            DatabaseName: input.database.name,
            DatabaseUserName: input.database.userName,
            DatabasePassword: input.database.password,
        },
        customSettings: clusterCustomSettings(input),
        prerequisites: input.delivery.prerequisites,
        site: input.delivery.site,
        rollout: input.rollout,
        ...(input.standby === undefined ? {} : { standby: { serving: input.standby.serving } }),
    };
}

export function renderNodeSettings(input: NodeSettingsInput): string {
    return stringify(nodeSettingsDocument(input), { lineWidth: 0 });
}
