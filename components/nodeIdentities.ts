import * as authorization from "@pulumi/azure-native/authorization";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as pulumi from "@pulumi/pulumi";
import { KeyVaultCertificate } from "./config/delivery";
import { ClusterKeyVault } from "./keyVault";
import { Placement } from "./placement";
import { NodePlan } from "./plan/nodes";

export interface NodeIdentitiesArgs {
    readonly placement: Placement;
    readonly nodes: readonly NodePlan[];
    /** The container the node agent's extension downloads from. */
    readonly settingsContainerId: pulumi.Input<string>;
    /** Every secret a settings blob points at. */
    readonly keyVault: ClusterKeyVault;
    /** The HTTPS certificate the nodes read from Key Vault; undefined: self-signed, nothing to read. */
    readonly certificate: KeyVaultCertificate | undefined;
}

/** Storage Blob Data Reader, a built-in role. */
export const blobReaderRoleId = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1";
/** Key Vault Secrets User, a built-in role: reads secret values. */
export const secretReaderRoleId = "4633458b-17de-408a-b874-0445c86b69e6";

/** A node's user-assigned identity, and the grants it holds before its VM exists. */
export interface NodeIdentity {
    readonly id: pulumi.Output<string>;
    readonly clientId: pulumi.Output<string>;
    readonly principalId: pulumi.Output<string>;
    readonly grants: readonly authorization.RoleAssignment[];
}

/**
 * One user-assigned managed identity per node, created and granted before the node's VM: a grant
 * can take up to 10 minutes to take effect (Microsoft Learn, "Troubleshoot Azure RBAC"), and the
 * VM's first extension run downloads and reads secrets with this identity at once. A system-assigned
 * identity exists only once its VM does, so its grants would always be younger than the VM.
 */
export class NodeIdentities extends pulumi.ComponentResource {
    readonly byNode: Readonly<Record<string, NodeIdentity>>;

    constructor(name: string, args: NodeIdentitiesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mendix:cluster:NodeIdentities", name, {}, opts);
        const { placement } = args;
        const clientConfig = authorization.getClientConfigOutput({ parent: this });
        const role = (id: string) => pulumi.interpolate`/subscriptions/${clientConfig.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${id}`;

        const byNode: Record<string, NodeIdentity> = {};
        for (const node of args.nodes) {
            const identity = new managedidentity.UserAssignedIdentity(`${name}-${node.name}`, {
                resourceGroupName: placement.resourceGroupName,
                location: placement.location,
                tags: placement.tags,
                resourceName: placement.names.nodeIdentity(node.index),
            }, { parent: this });
            const grant = (what: string, roleId: string, scope: pulumi.Input<string>) => new authorization.RoleAssignment(`${name}-${node.name}-${what}-reader`, {
                principalId: identity.principalId,
                principalType: "ServicePrincipal",
                roleDefinitionId: role(roleId),
                scope,
            }, { parent: this });
            const grants = [
                grant("settings", blobReaderRoleId, args.settingsContainerId),
                ...Object.entries(args.keyVault.secrets).map(([secretName, secret]) => grant(secretName, secretReaderRoleId, secret.id)),
                ...(args.certificate === undefined ? [] : [grant("certificate", secretReaderRoleId,
                    `${args.certificate.keyVaultId}/secrets/${args.certificate.certificateName}`)]),
            ];
            byNode[node.name] = { id: identity.id, clientId: identity.clientId, principalId: identity.principalId, grants };
        }
        this.byNode = byNode;
        this.registerOutputs({});
    }
}
