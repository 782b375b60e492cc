import * as authorization from "@pulumi/azure-native/authorization";
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as pulumi from "@pulumi/pulumi";
import { Placement } from "./placement";
import { keyVaultReference } from "./plan/keyVaultReference";
import { retiredSecretValue } from "./plan/keptVaultSecrets";
import { PrivateEndpoint, privateLinkTargets } from "./privateEndpoint";

export interface KeyVaultArgs {
    readonly placement: Placement;
    readonly nameSuffix: pulumi.Input<string>;
    /** Where the vault's private endpoint goes; the nodes of every subnet of the network reach it. */
    readonly endpointSubnetId: pulumi.Input<string>;
    readonly virtualNetworkId: pulumi.Input<string>;
    /** Unix time (seconds) at which every secret written now expires. */
    readonly secretsExpire: pulumi.Input<number>;
    /** Purge protection: a deleted vault and its secrets stay recoverable for 90 days, and cannot be purged. */
    readonly protect: boolean;
    /** The secrets nodes read, by their name in the vault. */
    readonly secrets: Readonly<Record<string, pulumi.Input<string>>>;
    /**
     * Secrets whose value this run does not read (the storage key while the standby serves: the
     * account's resource provider is in the lost region): each keeps the value, expiry and version
     * the vault has, whatever `secrets` says of it.
     */
    readonly unreadSecrets: readonly string[];
    /** Secrets written before that no node reads now: kept declared, disabled, holding nothing (`plan/keptVaultSecrets.ts`). */
    readonly retiredSecrets: readonly string[];
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
 * vault's RBAC denies and which has no public endpoint: `pulumi destroy` would fail on every secret.
 * A secret the program drops stays in the vault (its readers' grants go).
 * Retained, they go with the vault, which is deleted through Azure Resource Manager
 * (pulumi-azure-native, provider/pkg/resources/customresources/custom_keyvault.go).
 */
export const vaultSecretOptions = { retainOnDelete: true } as const;

/**
 * The cluster's secrets (SQL admin password, storage key, licence secrets) in a Key Vault in RBAC
 * mode with no public endpoint: the nodes read them with their managed identities through a private
 * endpoint in the node network; the stack writes them through Azure Resource Manager, which the
 * vault's network rules do not restrict. Every secret carries an expiry date.
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
                publicNetworkAccess: "Disabled",
                // Applies only if public access is turned on again: then it lets in trusted services alone.
                networkAcls: { defaultAction: "Deny", bypass: "AzureServices" },
            },
        }, { parent: this, protect: args.protect });

        new PrivateEndpoint(`${name}-private`, {
            placement, target: privateLinkTargets.keyVault, resourceId: vault.id, subnetId: args.endpointSubnetId, virtualNetworkId: args.virtualNetworkId,
        }, { parent: this });

        this.secrets = Object.fromEntries(Object.entries(args.secrets).map(([secretName, value]) => {
            const secret = new keyvault.Secret(`${name}-${secretName}`, {
                resourceGroupName: placement.resourceGroupName,
                vaultName: vault.name,
                secretName,
                properties: { value: pulumi.secret(value), contentType: "text/plain", attributes: { enabled: true, expires: args.secretsExpire } },
            }, { parent: this, ...vaultSecretOptions, ...(args.unreadSecrets.includes(secretName) ? { ignoreChanges: ["properties"] } : {}) });
            // The URI names the secret and its version, never its value.
            const uri = pulumi.unsecret(secret.properties.apply((properties) => properties.secretUriWithVersion));
            return [secretName, { id: secret.id, reference: uri.apply(keyVaultReference) }];
        }));
        for (const secretName of args.retiredSecrets) {
            if (secretName in args.secrets) {
                throw new Error(`vault secret ${secretName} is both read by nodes and retired`);
            }
            new keyvault.Secret(`${name}-${secretName}`, {
                resourceGroupName: placement.resourceGroupName,
                vaultName: vault.name,
                secretName,
                properties: { value: pulumi.secret(retiredSecretValue), contentType: "text/plain", attributes: { enabled: false, expires: args.secretsExpire } },
            }, { parent: this, ...vaultSecretOptions });
        }
        this.vaultId = vault.id;
        this.vaultName = vault.name;
        this.registerOutputs({ vaultId: this.vaultId });
    }
}
