/**
 * Which secrets a Key Vault keeps declared. A secret the stack once wrote is never dropped from the
 * program: azure-native's `keyvault.Secret` refuses to create a secret whose name the vault already
 * holds ("cannot create already existing resource", pulumi-azure-native
 * provider/pkg/resources/customresources/custom_keyvault.go), and a deleted one keeps its name for the
 * vault's soft-delete retention. So a secret no node needs any more is retired instead: its current
 * version becomes `retiredSecretValue`, disabled, and no node is granted it; when a node needs it
 * again it is an update, not a create.
 */
export interface KeptVaultSecrets {
    /** Secrets the stack wrote before that no node reads now. */
    readonly retired: readonly string[];
    /** Every secret the vault keeps declared, for the next run to read back. */
    readonly declared: readonly string[];
}

/** The current version of a retired secret: it holds nothing that could sign in. */
export const retiredSecretValue = "retired: no node reads this secret";

export function keptVaultSecrets(live: readonly string[], formerlyDeclared: readonly string[]): KeptVaultSecrets {
    const liveSet = new Set(live);
    const retired = [...new Set(formerlyDeclared)].filter((name) => !liveSet.has(name)).sort();
    return { retired, declared: [...new Set([...live, ...retired])].sort() };
}
