import * as authorization from "@pulumi/azure-native/authorization";
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as pulumi from "@pulumi/pulumi";
import { vaultSecretOptions } from "./keyVault";
import { Placement } from "./placement";
import { builtInRoles } from "./plan/grants";
import { vaultSecretNames } from "./plan/keyVaultReference";

export interface AdminPasswordArgs {
    readonly placement: Placement;
    readonly vaultName: pulumi.Input<string>;
    readonly adminPassword: pulumi.Input<string>;
    /** Unix time (seconds) at which it expires, as every secret of the vault written now. */
    readonly expires: pulumi.Input<number>;
    /** Entra object ids granted read on the secret; empty: the identity that runs `pulumi up`. */
    readonly readers: readonly string[];
}

/**
 * The nodes' local administrator password, kept where a person can read it: a secret of the
 * cluster's Key Vault, readable (Key Vault Secrets User on that one secret) by the configured
 * readers, or by the deployer when none is configured. No node identity may read it.
 */
export class AdminPasswordSecret extends pulumi.ComponentResource {
    readonly secretName: string = vaultSecretNames.nodeAdminPassword;

    constructor(name: string, args: AdminPasswordArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mendix:cluster:AdminPassword", name, {}, opts);
        const { placement } = args;
        const secret = new keyvault.Secret(`${name}-secret`, {
            resourceGroupName: placement.resourceGroupName,
            vaultName: args.vaultName,
            secretName: this.secretName,
            properties: { value: pulumi.secret(args.adminPassword), contentType: "text/plain", attributes: { enabled: true, expires: args.expires } },
        }, { parent: this, ...vaultSecretOptions });

        const client = authorization.getClientConfigOutput({ parent: this });
        const roleDefinitionId = pulumi.interpolate`/subscriptions/${client.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${builtInRoles.secretReader}`;
        const readers: { key: string; principalId: pulumi.Input<string> }[] = args.readers.length > 0
            ? args.readers.map((objectId) => ({ key: objectId, principalId: objectId }))
            : [{ key: "deployer", principalId: client.objectId }];
        for (const reader of readers) {
            new authorization.RoleAssignment(`${name}-reader-${reader.key}`, {
                principalId: reader.principalId,
                roleDefinitionId,
                scope: secret.id,
            }, { parent: this });
        }
        this.registerOutputs({ secretName: this.secretName });
    }
}
