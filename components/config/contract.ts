/**
 * The stack's configuration contract: the typed shape every component reads, and its defaults.
 * `Pulumi.yaml` declares the same keys; a test keeps the two in step.
 */

import { AlertsConfig, defaultAlerts } from "./alertsConfig";
import { DeliveryConfig } from "./delivery";

export const projectName = "mendix-cluster";

export type Zone = "1" | "2" | "3";
export const allZones: readonly Zone[] = ["1", "2", "3"];

export type SqlTier = "Premium" | "BusinessCritical";
export const sqlTiers: readonly SqlTier[] = ["Premium", "BusinessCritical"];

/** A Microsoft Entra user or group that administers the SQL server besides the SQL admin login. */
export interface SqlEntraAdmin {
    /** The display name Azure shows for the admin, such as `dba-group` or `ops@example.com`. */
    readonly login: string;
    /** The Entra object id of that user or group. */
    readonly objectId: string;
}

export interface SqlConfig {
    readonly tier: SqlTier;
    /** `P1`..`P15` (Premium, DTU) or `BC_Gen5_<vCores>` (Business Critical, vCore). */
    readonly sku: string;
    readonly maxSizeGb: number;
    readonly zoneRedundant: boolean;
    /** Point-in-time restore window of every database, in days. */
    readonly backupRetentionDays: number;
    /** Absent: the server has no Entra admin. */
    readonly entraAdmin?: SqlEntraAdmin;
}

/** A Mendix subscription licence, checked by the runtime against Mendix's licence server at every start. */
export interface AppLicense {
    readonly environmentName: string;
    readonly licenseServerUrl: string;
    /** From the secret config `licenseSecrets.<app>`: handled as a Pulumi secret. */
    readonly subscriptionSecret: string;
}

export interface AppConfig {
    readonly name: string;
    /** Extra Mendix custom settings, every value as the string the runtime reads. */
    readonly customSettings: Readonly<Record<string, string>>;
    /** Undefined: the app runs unlicensed (it stops after a few hours and admits 6 users). */
    readonly license: AppLicense | undefined;
    /** The IIS site's host name; exactly one app has none and answers every other host name. */
    readonly hostName: string | undefined;
    /** Path of the app's MDA, relative to the project; undefined: no model is deployed. */
    readonly mda: string | undefined;
}

export interface RolloutConfig {
    /** How many nodes may re-run their agent, and restart their apps, at the same time. */
    readonly maxUnavailable: number;
    /** A new model: `rolling` (leader first, then followers in batches) or `stopAll` (every node stops first). */
    readonly modelChange: "rolling" | "stopAll";
    /** How long the agent waits for a started app to answer its health probe before the run fails. */
    readonly readyTimeoutSeconds: number;
    /** How long the agent keeps a node out of the load balancer before it stops the node's apps. */
    readonly drainSeconds: number;
    /** How long the agent waits for an app's database to accept a sign-in before database-dependent steps. */
    readonly databaseWaitSeconds: number;
    /**
     * How long the leader's start with `-SynchronizeDatabase` (a new model's schema change) may take
     * before the agent ends it and stops the app: never less than `readyTimeoutSeconds`.
     */
    readonly databaseSyncTimeoutSeconds: number;
}

/** How the storage account replicates: within the region's zones (ZRS), and also to the paired region (GZRS, RA-GZRS). */
export type StorageReplication = "LRS" | "ZRS" | "GZRS" | "RA-GZRS";
export const storageReplications: readonly StorageReplication[] = ["LRS", "ZRS", "GZRS", "RA-GZRS"];

export interface StorageConfig {
    readonly replication: StorageReplication;
    /** Days a deleted or overwritten blob, and a deleted container, stays restorable; longer than the files' restore window. */
    readonly softDeleteDays: number;
}

/** Restoring the databases and the files together to one moment (docs/restoring.md). */
export interface RestoreConfig {
    /** A UTC instant (`2026-12-04T09:00:00Z`) to restore every app's database and files to; undefined: no restore asked for. */
    readonly pointInTime: string | undefined;
    /** Keep declaring the databases a restore replaced; false lets the stack release them (docs/restoring.md, "Cleaning up"). */
    readonly keepFormerDatabases: boolean;
}

/** A second region that takes over when the stack's own region is lost. */
export interface StandbyConfig {
    /** An Azure region other than the stack's own. */
    readonly location: string;
    /** 0: a cold standby (no nodes); N: nodes built, apps installed and stopped. */
    readonly nodeCount: number;
    /** true once the standby region serves (after a failover); false while the stack's own region does. */
    readonly active: boolean;
}

export interface SecretsConfig {
    /** Days from a rotation until the Key Vault secrets it wrote expire. */
    readonly expiryDays: number;
}

export interface RotationConfig {
    /** Raising it rotates the SQL admin password and the storage key the nodes use. */
    readonly generation: number;
}

export interface ClusterConfig {
    readonly nodeCount: number;
    readonly vmSize: string;
    readonly zones: readonly Zone[];
    readonly dataDiskSizeGb: number;
    readonly adminUsername: string;
    /** Absent: the stack generates one. Always handled as a Pulumi secret. */
    readonly adminPassword: string | undefined;
    readonly rdpSourceCidrs: readonly string[];
    /** Public addresses `pulumi up` runs from: the storage account lets them in besides the node subnet. */
    readonly deployerCidrs: readonly string[];
    readonly sql: SqlConfig;
    readonly apps: readonly AppConfig[];
    readonly protect: boolean;
    readonly rollout: RolloutConfig;
    /** Refuse a config in which any app has no licence. */
    readonly requireLicense: boolean;
    readonly delivery: DeliveryConfig;
    /** Encryption at host on every node; needs the subscription feature Microsoft.Compute/EncryptionAtHost. */
    readonly encryptionAtHost: boolean;
    /** An Azure Bastion host in its own subnet, the way onto a node without a public address. */
    readonly bastion: boolean;
    /** The public IP's DNS label: `<label>.<location>.cloudapp.azure.com`. Undefined: no DNS name. */
    readonly dnsLabel: string | undefined;
    /** Entra object ids that may read the nodes' admin password in Key Vault; empty: the deployer. */
    readonly adminPasswordReaders: readonly string[];
    readonly storage: StorageConfig;
    readonly secrets: SecretsConfig;
    readonly rotation: RotationConfig;
    /** Who alerts reach and at which thresholds they fire. */
    readonly alerts: AlertsConfig;
    /** Undefined: the stack lives in one region. */
    readonly standby: StandbyConfig | undefined;
    readonly restore: RestoreConfig;
}

export const defaults = {
    nodeCount: 2,
    vmSize: "Standard_D4s_v5",
    zones: allZones,
    dataDiskSizeGb: 128,
    adminUsername: "mendixadmin",
    rdpSourceCidrs: [] as readonly string[],
    deployerCidrs: [] as readonly string[],
    sql: { tier: "Premium", sku: "P1", maxSizeGb: 250, zoneRedundant: false, backupRetentionDays: 14 } satisfies SqlConfig,
    apps: [{ name: "app" }],
    protect: true,
    rollout: { maxUnavailable: 1, modelChange: "rolling", readyTimeoutSeconds: 600, drainSeconds: 30, databaseWaitSeconds: 1800, databaseSyncTimeoutSeconds: 1800 } satisfies RolloutConfig,
    requireLicense: false,
    encryptionAtHost: true,
    bastion: false,
    adminPasswordReaders: [] as readonly string[],
    secrets: { expiryDays: 365 } satisfies SecretsConfig,
    rotation: { generation: 1 } satisfies RotationConfig,
    alerts: defaultAlerts,
    restore: { pointInTime: undefined, keepFormerDatabases: true } satisfies RestoreConfig,
} as const;

export const limits = {
    nodeCount: { min: 1, max: 50 },
    standbyNodeCount: { min: 0, max: 50 },
    dataDiskSizeGb: { min: 4, max: 32767 },
    appName: /^[a-z0-9]{1,20}$/,
    /** What Azure SQL Database keeps for point-in-time restore. */
    backupRetentionDays: { min: 7, max: 35 },
    maxUnavailable: { min: 1, max: 49 },
    readyTimeoutSeconds: { min: 30, max: 3600 },
    drainSeconds: { min: 0, max: 600 },
    databaseWaitSeconds: { min: 60, max: 5400 },
    /** The Custom Script Extension ends a run after 90 minutes: the leader's synchronising start fits in one. */
    databaseSyncTimeoutSeconds: { min: 60, max: 5400 },
    secretExpiryDays: { min: 30, max: 730 },
    rotationGeneration: { min: 1, max: 1_000_000 },
    /** What Azure accepts for blob and container soft delete (DeleteRetentionPolicy.days). */
    softDeleteDays: { min: 1, max: 365 },
} as const;
