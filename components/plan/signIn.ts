import { isAtLeast, MendixVersion } from "./mendixVersion";

/**
 * How an app's runtime signs in to Azure SQL and Azure Blob Storage.
 *
 * Mendix 10.10.0 is the first runtime that signs in to both with the credentials of its environment
 * (mendix/docs, `releasenotes/studio-pro/10/10.10.md`, 10.10.0 "New Features": the custom setting
 * `com.mendix.storage.azure.UseDefaultAzureCredential`, and `Authentication=...` in `DatabaseJdbcUrl`,
 * `refguide10/runtime/custom-settings/_index.md`, "Microsoft Azure SQL"). Such an app signs in with a
 * user-assigned managed identity of its own: no password and no account key reach a node for it.
 * An older app keeps the SQL admin password and the storage account key, read from Key Vault.
 *
 * An app without an MDA has no version the stack can read: the node deploys no model for it, and
 * whatever model is put there by hand may be older than 10.10, whose runtime ignores the identity
 * settings and would start without a way into its database or its files. It keeps the secrets.
 */
export const identitySignInSince = { major: 10, minor: 10, patch: 0 } as const;

export type AppSignIn =
    | { readonly kind: "identity"; readonly version: MendixVersion }
    | { readonly kind: "secrets"; readonly version: MendixVersion | undefined };

export function appSignIn(version: MendixVersion | undefined): AppSignIn {
    const { major, minor, patch } = identitySignInSince;
    return version !== undefined && isAtLeast(version, major, minor, patch) ? { kind: "identity", version } : { kind: "secrets", version };
}

const since = `${identitySignInSince.major}.${identitySignInSince.minor}`;

/** What `pulumi up` says of an app that keeps the secrets; nothing for one that signs in with its identity. */
export function secretsSignInWarning(app: string, signIn: AppSignIn): string | undefined {
    if (signIn.kind === "identity") {
        return undefined;
    }
    const consequence = "signs in to SQL with the SQL admin password and to Blob Storage with the storage account key, both read from Key Vault onto every node";
    return signIn.version === undefined
        ? `apps[${app}] has no MDA (apps[${app}].mda), so its Mendix version is unknown: it ${consequence}. ` +
            `Give it an MDA of Mendix ${since} or later and it signs in with a managed identity of its own instead (docs/security.md)`
        : `apps[${app}] runs Mendix ${signIn.version.text}, older than ${since}: it ${consequence}. ` +
            `From Mendix ${since} an app signs in with a managed identity of its own and neither secret reaches a node (docs/security.md)`;
}

/** Which apps sign in which way, and what the cluster therefore still needs. */
export interface ClusterSignIn {
    /** Apps that sign in with a managed identity of their own, in config order. */
    readonly identityApps: readonly string[];
    /** Apps that sign in with the SQL admin password and the storage account key. */
    readonly secretApps: readonly string[];
    /** Some node needs the SQL admin password (and so the server a SQL admin login). */
    readonly needsSqlPassword: boolean;
    /** Some node needs the storage account key. */
    readonly needsStorageKey: boolean;
    /** The SQL server takes Microsoft Entra sign-ins only: no app signs in with a password. */
    readonly entraOnly: boolean;
}

export function clusterSignIn(apps: readonly { readonly name: string; readonly signIn: AppSignIn }[]): ClusterSignIn {
    const identityApps = apps.filter((app) => app.signIn.kind === "identity").map((app) => app.name);
    const secretApps = apps.filter((app) => app.signIn.kind === "secrets").map((app) => app.name);
    return {
        identityApps,
        secretApps,
        needsSqlPassword: secretApps.length > 0,
        needsStorageKey: secretApps.length > 0,
        entraOnly: secretApps.length === 0 && identityApps.length > 0,
    };
}

/**
 * What `pulumi up` (and the offline plan) says on the deployment after which no node uses the
 * storage account key: that key stays valid until it is renewed, and copies of it remain where the
 * nodes had it (Key Vault's secret versions, which the stack cannot delete through the vault's
 * private endpoint; whatever a node copied off before). Renewing both keys is what makes them
 * worthless, and the stack cannot do it for the operator: it still uploads its blobs with the key
 * Azure Resource Manager hands it at each run. `lastInUse` is the last deployment's output
 * `storageKeyInUse`; undefined (a stack deployed before that output, or never) counts as in use
 * when there were nodes.
 */
export function storageKeyRenewalWarning(signIn: ClusterSignIn, last: { readonly storageKeyInUse: boolean | undefined; readonly deployedBefore: boolean }): string | undefined {
    const wasInUse = last.storageKeyInUse ?? last.deployedBefore;
    if (signIn.needsStorageKey || !wasInUse) {
        return undefined;
    }
    return "No node uses the storage account key after this deployment: once it has run, renew both keys " +
        "(az storage account keys renew --account-name <account> --key key1, then --key key2). This step is required: " +
        "until then the key the nodes had still opens every file container, and copies of it remain in Key Vault's old " +
        "secret versions (docs/rotating-secrets.md, \"Once no app needs the password or the key\")";
}
