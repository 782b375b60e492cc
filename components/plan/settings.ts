import { stringify } from "yaml";
import { AppLicense } from "../config/contract";
import { AppDelivery, Prerequisites, SiteSettings } from "./delivery";
import { NodePlan } from "./nodes";
import { performDeleteFromStorage } from "./fileDeletion";
import { MendixVersion } from "./mendixVersion";
import { appsRoot, dataDiskLun, dataDriveLetter } from "./nodeLayout";
import { RolloutSettings } from "./rolloutSettings";
import { managedIdentityJdbcUrl } from "./sqlEndpoint";

/**
 * The node settings blob: what one node needs to run one app, rendered as YAML for the node agent.
 * The format is the contract in docs/node-settings-blob.md.
 */

export const settingsSchemaVersion = 3;

export interface DatabaseConnection {
    /** `<server>.database.windows.net:1433` */
    readonly host: string;
    readonly name: string;
}

export interface FileStorage {
    readonly accountName: string;
    /** `https://<account>.blob.core.windows.net/` */
    readonly blobEndpoint: string;
    readonly container: string;
}

/**
 * How the app's runtime signs in to its database and its files (`plan/signIn.ts`): as its own
 * user-assigned managed identity, or with the SQL admin login's password and the storage account
 * key (in the blob, Key Vault references).
 */
export type AppCredentials =
    | { readonly kind: "identity"; readonly clientId: string }
    | { readonly kind: "secrets"; readonly databaseUserName: string; readonly databasePassword: string; readonly storageAccountKey: string };

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
    readonly credentials: AppCredentials;
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
    /** `identityClientId`: the app's runtime signs in as this user-assigned managed identity. */
    readonly app: { readonly name: string; readonly identityClientId?: string } & AppDelivery & { readonly applicationRootUrl: string };
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
        ...signInCustomSettings(input),
        // Files deleted in the app stay in the container, so a restored database still finds them.
        "com.mendix.storage.PerformDeleteFromStorage": performDeleteFromStorage(input.runtimeVersion),
        ...(input.license === undefined ? {} : licenseSettings(input.license)),
        ...input.appCustomSettings,
    };
}

/**
 * Where the app's files and database are, and how its runtime signs in to them. With its identity:
 * `UseDefaultAzureCredential` (Mendix 10.10.0 and later, `releasenotes/studio-pro/10/10.10.md`) with
 * the account's blob endpoint, which that mode requires (`refguide10/runtime/custom-settings`,
 * "Microsoft Azure Blob Storage Settings"), and the JDBC URL that signs in as the identity. The
 * identity's client id reaches the runtime's JVM as `AZURE_CLIENT_ID` through the node agent
 * (agent/README.md, "Apps that sign in with their identity").
 */
function signInCustomSettings(input: NodeSettingsInput): Record<string, string> {
    const { storage, credentials } = input;
    return credentials.kind === "identity"
        ? {
            "com.mendix.storage.azure.UseDefaultAzureCredential": "true",
            "com.mendix.storage.azure.BlobEndpoint": storage.blobEndpoint,
            "com.mendix.storage.azure.Container": storage.container,
            DatabaseJdbcUrl: managedIdentityJdbcUrl(input.database.host, input.database.name, credentials.clientId),
        }
        : {
            "com.mendix.storage.azure.AccountName": storage.accountName,
            "com.mendix.storage.azure.AccountKey": credentials.storageAccountKey,
            "com.mendix.storage.azure.Container": storage.container,
        };
}

/** The database settings the Service Console reads: no user and no password for an app that signs in with its identity. */
function databaseSettings(input: NodeSettingsInput): Record<string, string> {
    const { database, credentials } = input;
    return {
        DatabaseType: "SQLSERVER",
        DatabaseHost: database.host,
        DatabaseName: database.name,
        ...(credentials.kind === "secrets" ? { DatabaseUserName: credentials.databaseUserName, DatabasePassword: credentials.databasePassword } : {}),
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
        app: {
            name: input.appName,
            ...(input.credentials.kind === "identity" ? { identityClientId: input.credentials.clientId } : {}),
            ...input.delivery.app,
            applicationRootUrl: input.applicationRootUrl,
        },
        runtimeSettings: databaseSettings(input),
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
