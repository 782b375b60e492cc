import * as pulumi from "@pulumi/pulumi";
import { vaultSecretNames } from "./plan/keyVaultReference";
import { readAdminPasswordFingerprint, readDataDiskSizeGb, readEncryptionAtHost, readVmSize } from "./plan/deployedChanges";
import { DeployedRestore, readDeployedRestore } from "./plan/restoreOutputs";
import { readSecretIssue, SecretIssue } from "./plan/secretRotation";

/** What this stack's last deployment left in its outputs; empty for a stack never deployed. */
export interface LastDeployment {
    /** Names of the nodes it had. */
    readonly nodes: readonly string[];
    /** Names of the standby region's nodes it had. */
    readonly standbyNodes: readonly string[];
    /** Its standby region, and whether that region served; undefined: it had none. */
    readonly standby: { readonly active: boolean } | undefined;
    /** App name -> SHA-256 of the model it deployed. */
    readonly models: Readonly<Record<string, string>>;
    /** The rotation generation its secrets belong to, and the day they were issued. */
    readonly secretIssue: SecretIssue | undefined;
    /** The size it gave every node's data disk. */
    readonly dataDiskSizeGb: number | undefined;
    /** Whose admin password its VMs have (see `adminPasswordFingerprint`). */
    readonly adminPasswordFingerprint: string | undefined;
    /** The VM size it gave every node. */
    readonly vmSize: string | undefined;
    /** Whether it gave every node encryption at host. */
    readonly encryptionAtHost: boolean | undefined;
    /** Every app's databases, the last restore and how far back Azure could restore (plan/restoreOutputs.ts). */
    readonly restore: DeployedRestore;
    /** The SQL server's admin login it recorded; null: the server has none; undefined: not recorded. */
    readonly sqlAdminLogin: string | null | undefined;
    /** Whether its nodes used the storage account key; undefined: not recorded. */
    readonly storageKeyInUse: boolean | undefined;
    /** Its storage account and SQL server, by name; undefined: not recorded. */
    readonly storageAccountName: string | undefined;
    readonly sqlServerHost: string | undefined;
    /** The names of the secrets its vaults kept declared (`plan/keptVaultSecrets.ts`). */
    readonly vaultSecrets: readonly string[];
}

/** The outputs the restore reads back. */
type RestoreOutputs = Parameters<typeof readDeployedRestore>[0];

/** How the output `sqlAdminLogin` says that the server has no admin login. */
export const noSqlAdminLogin = "";

/** The outputs as the stack wrote them; anything else (an older stack's, none at all) reads as nothing. */
export function lastDeploymentFrom(outputs: {
    nodes: unknown; standbyNodes?: unknown; standby?: unknown; deployedModels: unknown; secretRotation: unknown; dataDiskSizeGb: unknown; adminPasswordFingerprint: unknown;
    sqlAdminLogin?: unknown; vmSize?: unknown; encryptionAtHost?: unknown; storageKeyInUse?: unknown; vaultSecrets?: unknown; storageAccountName?: unknown; sqlServerHost?: unknown;
} & Partial<RestoreOutputs>): LastDeployment {
    const names = (list: unknown) => Array.isArray(list)
        ? list.flatMap((node: { name?: unknown } | null) => (typeof node?.name === "string" ? [node.name] : []))
        : [];
    const nodes = names(outputs.nodes);
    const models = typeof outputs.deployedModels === "object" && outputs.deployedModels !== null
        ? Object.fromEntries(Object.entries(outputs.deployedModels).filter((entry): entry is [string, string] => typeof entry[1] === "string"))
        : {};
    return {
        nodes, standbyNodes: names(outputs.standbyNodes), standby: readStandby(outputs.standby), models, secretIssue: readSecretIssue(outputs.secretRotation),
        dataDiskSizeGb: readDataDiskSizeGb(outputs.dataDiskSizeGb),
        adminPasswordFingerprint: readAdminPasswordFingerprint(outputs.adminPasswordFingerprint),
        vmSize: readVmSize(outputs.vmSize),
        encryptionAtHost: readEncryptionAtHost(outputs.encryptionAtHost),
        restore: readDeployedRestore({
            databases: outputs.databases, databaseNames: outputs.databaseNames, restore: outputs.restore, restorableSince: outputs.restorableSince,
        }),
        sqlAdminLogin: typeof outputs.sqlAdminLogin !== "string" ? undefined : outputs.sqlAdminLogin === noSqlAdminLogin ? null : outputs.sqlAdminLogin,
        storageKeyInUse: typeof outputs.storageKeyInUse === "boolean" ? outputs.storageKeyInUse : undefined,
        storageAccountName: typeof outputs.storageAccountName === "string" ? outputs.storageAccountName : undefined,
        sqlServerHost: typeof outputs.sqlServerHost === "string" ? outputs.sqlServerHost : undefined,
        vaultSecrets: Array.isArray(outputs.vaultSecrets)
            ? outputs.vaultSecrets.filter((name): name is string => typeof name === "string")
            : secretsBeforeTheRecord(nodes.length > 0, outputs.storageKeyInUse),
    };
}

/** The output `standby` as the stack wrote it (`StandbyOutput`): present, and whether it served. */
function readStandby(output: unknown): LastDeployment["standby"] {
    return typeof output === "object" && output !== null && "location" in output ? { active: (output as { active?: unknown }).active === true } : undefined;
}

/**
 * The vault secrets of a deployment that did not record them: one whose nodes used the storage key
 * (or that predates that record) kept the SQL admin password and the storage key.
 */
function secretsBeforeTheRecord(deployed: boolean, storageKeyInUse: unknown): string[] {
    return deployed && storageKeyInUse !== false ? [vaultSecretNames.sqlAdminPassword, vaultSecretNames.storageAccountKey] : [];
}

/**
 * Reads the stack's own outputs through a stack reference to itself, before any resource is
 * registered, so that the rollout, the secrets' issue and the databases in use are decided on plain values (a preview
 * reads them too: a stack reference is read, not created). The rollout orders only nodes that
 * already run, and a model that differs from the deployed one goes to the leader first; an edit
 * Azure would refuse on what exists (a smaller data disk, another admin password, another disk
 * controller) is refused first, and the VM size the nodes run on is never refused.
 */
export async function readLastDeployment(): Promise<LastDeployment> {
    const self = new pulumi.StackReference("last-deployment", {
        name: `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`,
    });
    const read = async (name: string) => {
        const details = await self.getOutputDetails(name);
        return details.value ?? details.secretValue;
    };
    const names = [
        "nodes", "standbyNodes", "standby", "deployedModels", "secretRotation", "dataDiskSizeGb", "adminPasswordFingerprint", "databases", "databaseNames", "restore",
        "restorableSince", "sqlAdminLogin", "vmSize", "encryptionAtHost", "storageKeyInUse", "vaultSecrets", "storageAccountName", "sqlServerHost",
    ] as const;
    const values = await Promise.all(names.map(read));
    const outputs = Object.fromEntries(names.map((name, index) => [name, values[index]])) as Record<(typeof names)[number], unknown>;
    return lastDeploymentFrom(outputs);
}
