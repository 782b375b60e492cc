import * as authorization from "@pulumi/azure-native/authorization";
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as pulumi from "@pulumi/pulumi";
import { Placement } from "./placement";
import { keyVaultReference } from "./plan/keyVaultReference";

export interface KeyVaultArgs {
    readonly placement: Placement;
    readonly nameSuffix: pulumi.Input<string>;
    readonly nodeSubnetId: pulumi.Input<string>;
    /** Public addresses `pulumi up` runs from: let in, so that the admin password's readers can read it from there. */
    readonly deployerCidrs: readonly string[];
    /** Purge protection: a deleted vault and its secrets stay recoverable for 90 days, and cannot be purged. */
    readonly protect: boolean;
    /** The secrets to keep, by their name in the vault. */
    readonly secrets: Readonly<Record<string, pulumi.Input<string>>>;
}

/** A secret in the vault, as a node identity is granted it and a settings blob points at it. */
export interface VaultSecret {
    readonly id: pulumi.Output<string>;
    /** `@Microsoft.KeyVault(SecretUri=...)` of the current version. */
    readonly reference: pulumi.Output<string>;
}

export const softDeleteRetentionDays = 90;

/**
 * azure-native deletes a secret over the vault's data plane with the deployer's identity, which the
 * vault's RBAC (and firewall, from elsewhere) denies: `pulumi destroy` would fail on every secret.
 * Retained, they go with the vault, which is deleted through Azure Resource Manager
 * (pulumi-azure-native, provider/pkg/resources/customresources/custom_keyvault.go).
 */
export const vaultSecretOptions = { retainOnDelete: true } as const;

/**
 * The cluster's secrets (SQL admin password, storage key, licence secrets) in a Key Vault in RBAC
 * mode, reachable from the node subnet alone; the stack writes them through Azure Resource
 * Manager, the nodes read them with their managed identities.
 */
export class ClusterKeyVault extends pulumi.ComponentResource {
    readonly vaultId: pulumi.Output<string>;
    readonly vaultName: pulumi.Output<string>;
    readonly secrets: Readonly<Record<string, VaultSecret>>;

    constructor(name: string, args: KeyVaultArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mendix:cluster:KeyVault", name, {}, opts);
        const { placement } = args;
        const client = authorization.getClientConfigOutput({ parent: this });

        const vault = new keyvault.Vault(`${name}-vault`, {
            resourceGroupName: placement.resourceGroupName,
            location: placement.location,
            tags: placement.tags,
            vaultName: pulumi.output(args.nameSuffix).apply((suffix) => placement.names.keyVault(suffix)),
            properties: {
                tenantId: client.tenantId,
                sku: { family: "A", name: "standard" },
                enableRbacAuthorization: true,
                enableSoftDelete: true,
                softDeleteRetentionInDays: softDeleteRetentionDays,
                // Azure accepts only true or nothing: purge protection cannot be turned off again.
                enablePurgeProtection: args.protect ? true : undefined,
                publicNetworkAccess: "Enabled",
                networkAcls: {
                    defaultAction: "Deny",
                    bypass: "AzureServices",
                    virtualNetworkRules: [{ id: args.nodeSubnetId, ignoreMissingVnetServiceEndpoint: false }],
                    ipRules: args.deployerCidrs.map((value) => ({ value })),
                },
            },
        }, { parent: this, protect: args.protect });

        this.secrets = Object.fromEntries(Object.entries(args.secrets).map(([secretName, value]) => {
            const secret = new keyvault.Secret(`${name}-${secretName}`, {
                resourceGroupName: placement.resourceGroupName,
                vaultName: vault.name,
                secretName,
                properties: { value: pulumi.secret(value), contentType: "text/plain" },
            }, { parent: this, ...vaultSecretOptions });
            // The URI names the secret and its version, never its value.
            const uri = pulumi.unsecret(secret.properties.apply((properties) => properties.secretUriWithVersion));
            return [secretName, { id: secret.id, reference: uri.apply(keyVaultReference) }];
        }));
        this.vaultId = vault.id;
        this.vaultName = vault.name;
        this.registerOutputs({ vaultId: this.vaultId });
    }
}
