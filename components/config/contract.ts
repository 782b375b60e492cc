/**
 * The stack's configuration contract: the typed shape every component reads, and its defaults.
 * `Pulumi.yaml` declares the same keys; a test keeps the two in step.
 */

export const projectName = "mendix-cluster";

export type Zone = "1" | "2" | "3";
export const allZones: readonly Zone[] = ["1", "2", "3"];

export type SqlTier = "Premium" | "BusinessCritical";
export const sqlTiers: readonly SqlTier[] = ["Premium", "BusinessCritical"];

export interface SqlConfig {
    readonly tier: SqlTier;
    /** `P1`..`P15` (Premium, DTU) or `BC_Gen5_<vCores>` (Business Critical, vCore). */
    readonly sku: string;
    readonly maxSizeGb: number;
    readonly zoneRedundant: boolean;
}

export interface AppConfig {
    readonly name: string;
    /** Extra Mendix custom settings, every value as the string the runtime reads. */
    readonly customSettings: Readonly<Record<string, string>>;
}

export interface RolloutConfig {
    /** How many nodes may re-run their agent, and restart their apps, at the same time. */
    readonly maxUnavailable: number;
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
    readonly sql: SqlConfig;
    readonly apps: readonly AppConfig[];
    readonly protect: boolean;
    readonly rollout: RolloutConfig;
}

export const defaults = {
    nodeCount: 2,
    vmSize: "Standard_D4s_v5",
    zones: allZones,
    dataDiskSizeGb: 128,
    adminUsername: "mendixadmin",
    rdpSourceCidrs: [] as readonly string[],
    sql: { tier: "Premium", sku: "P1", maxSizeGb: 250, zoneRedundant: false } satisfies SqlConfig,
    apps: [{ name: "app" }],
    protect: true,
    rollout: { maxUnavailable: 1 } satisfies RolloutConfig,
} as const;

export const limits = {
    nodeCount: { min: 1, max: 50 },
    dataDiskSizeGb: { min: 4, max: 32767 },
    appName: /^[a-z0-9]{1,20}$/,
    maxUnavailable: { min: 1, max: 49 },
} as const;
