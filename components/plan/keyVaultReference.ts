/**
 * How a settings blob points at a secret instead of holding it: the Key Vault reference syntax of
 * Azure App Service, resolved on the node by the agent with the VM's managed identity
 * (docs/node-settings-blob.md). A versioned URI, so that a rotated secret changes the blob.
 */
export function keyVaultReference(secretUriWithVersion: string): string {
    if (!/^https:\/\/[A-Za-z0-9-]{3,24}\.vault\.azure\.net\/secrets\/[A-Za-z0-9-]{1,127}\/[0-9a-f]{32}$/.test(secretUriWithVersion)) {
        throw new Error(`not a versioned Key Vault secret URI: ${secretUriWithVersion}`);
    }
    return `@Microsoft.KeyVault(SecretUri=${secretUriWithVersion})`;
}

/** The secrets the stack keeps in Key Vault, by their name there. */
export const vaultSecretNames = {
    sqlAdminPassword: "sql-admin-password",
    storageAccountKey: "storage-account-key",
    license: (app: string) => `license-${app}`,
    /** Read by people (docs/operations.md, "Getting onto a node"), never by a node. */
    nodeAdminPassword: "node-admin-password",
} as const;
