import { KeyVaultCertificate } from "../config/delivery";

/** Built-in Azure roles the stack's identities are granted. */
export const builtInRoles = {
    /** Storage Blob Data Reader. */
    blobReader: "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
    /** Storage Blob Data Contributor: reads, writes and deletes blobs. */
    blobContributor: "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
    /** Key Vault Secrets User: reads secret values. */
    secretReader: "4633458b-17de-408a-b874-0445c86b69e6",
} as const;

/** What a grant is on: the settings container, an app's files container, one of the cluster's secrets, or a resource the config names. */
export type GrantScope =
    | { readonly kind: "settingsContainer" }
    | { readonly kind: "filesContainer"; readonly app: string }
    | { readonly kind: "vaultSecret"; readonly secretName: string }
    | { readonly kind: "resource"; readonly id: string };

export interface NodeGrant {
    /** Names the role assignment among its identity's: `settings-reader`, `<secret>-reader`, `files-contributor`. */
    readonly key: string;
    readonly roleId: string;
    readonly scope: GrantScope;
}

/**
 * What each node's identity may read, and nothing more: its settings blobs (the container), each
 * secret those blobs point at, and the HTTPS certificate's secret when one comes from Key Vault.
 */
export function nodeGrants(vaultSecretNames: readonly string[], certificate: KeyVaultCertificate | undefined): NodeGrant[] {
    return [
        { key: "settings-reader", roleId: builtInRoles.blobReader, scope: { kind: "settingsContainer" } },
        ...vaultSecretNames.map((secretName): NodeGrant => ({ key: `${secretName}-reader`, roleId: builtInRoles.secretReader, scope: { kind: "vaultSecret", secretName } })),
        ...(certificate === undefined ? [] : [{
            key: "certificate-reader",
            roleId: builtInRoles.secretReader,
            scope: { kind: "resource", id: `${certificate.keyVaultId}/secrets/${certificate.certificateName}` },
        } satisfies NodeGrant]),
    ];
}

/**
 * What an app's runtime identity may do, and nothing more: read and write the blobs of its own files
 * container (the Mendix runtime's file storage). Scoped to the container, not the account: another
 * app's files, the settings and the agent stay out of its reach.
 */
export function runtimeIdentityGrants(app: string): (NodeGrant & { readonly scope: { readonly kind: "filesContainer"; readonly app: string } })[] {
    return [{ key: "files-contributor", roleId: builtInRoles.blobContributor, scope: { kind: "filesContainer", app } }];
}
