import * as authorization from "@pulumi/azure-native/authorization";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as pulumi from "@pulumi/pulumi";
import { Placement } from "./placement";
import { runtimeIdentityGrants } from "./plan/grants";
import { required } from "./required";

export interface RuntimeIdentitiesArgs {
    readonly placement: Placement;
    /** The apps that sign in with an identity of their own (`plan/signIn.ts`). */
    readonly apps: readonly string[];
    /** App -> the id of its files container. */
    readonly filesContainerIds: Readonly<Record<string, pulumi.Input<string>>>;
    readonly roleDefinitionId: (roleId: string) => pulumi.Input<string>;
}

/** A user-assigned identity as the rest of the stack needs it. */
export interface StackIdentity {
    readonly name: string;
    readonly id: pulumi.Output<string>;
    readonly clientId: pulumi.Output<string>;
    readonly tenantId: pulumi.Output<string>;
}

/**
 * The identities the apps' runtimes sign in with, one per app that runs Mendix 10.10 or later, each
 * granted Storage Blob Data Contributor on its own files container only, and, whenever there is
 * one, the identity that is the SQL server's Microsoft Entra admin and creates their database users.
 *
 * Every node's VM carries every app's identity, since every node runs every app. The instance
 * metadata service hands a token of any identity of a VM to any process on it ("Managed identities
 * for Azure resources", FAQ and "How to use managed identities on a VM": a process asks for a
 * `client_id`): on a shared node the identities separate the apps by what each is granted and by
 * whom the audit names, not as a security boundary between processes of one machine. They are
 * created and granted before a VM carries them (`NodeDeployment`): a grant can take up to 10
 * minutes to take effect ("Troubleshoot Azure RBAC").
 */
export class RuntimeIdentities extends pulumi.ComponentResource {
    /** App -> its runtime identity. */
    readonly apps: Readonly<Record<string, StackIdentity>>;
    /** The SQL server's Entra admin; undefined when no app signs in with an identity. */
    readonly sqlAdmin: StackIdentity | undefined;
    /** The apps' grants: a VM that carries the identities is created after them. */
    readonly grants: readonly authorization.RoleAssignment[];

    constructor(name: string, args: RuntimeIdentitiesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mendix:cluster:RuntimeIdentities", name, {}, opts);
        const { placement } = args;
        const identity = (logicalName: string, resourceName: string): { resource: managedidentity.UserAssignedIdentity; identity: StackIdentity } => {
            const resource = new managedidentity.UserAssignedIdentity(logicalName, {
                resourceGroupName: placement.resourceGroupName,
                location: placement.location,
                tags: placement.tags,
                resourceName,
            }, { parent: this });
            return { resource, identity: { name: resourceName, id: resource.id, clientId: resource.clientId, tenantId: resource.tenantId } };
        };

        const grants: authorization.RoleAssignment[] = [];
        this.apps = Object.fromEntries(args.apps.map((app) => {
            const { resource, identity: appIdentity } = identity(`${name}-${app}`, placement.names.appIdentity(app));
            for (const grant of runtimeIdentityGrants(app)) {
                grants.push(new authorization.RoleAssignment(`${name}-${app}-${grant.key}`, {
                    principalId: resource.principalId,
                    principalType: "ServicePrincipal",
                    roleDefinitionId: args.roleDefinitionId(grant.roleId),
                    scope: required(args.filesContainerIds[grant.scope.app], `the files container of app ${grant.scope.app}`),
                }, { parent: this }));
            }
            return [app, appIdentity];
        }));
        this.grants = grants;
        this.sqlAdmin = args.apps.length === 0 ? undefined : identity(`${name}-sql-admin`, placement.names.sqlAdminIdentity).identity;
        this.registerOutputs({});
    }

    /** The ids of the identities a node's VM carries besides its own: every app's, and on `withSqlAdmin` the SQL admin's. */
    vmIdentityIds(withSqlAdmin: boolean): pulumi.Output<string>[] {
        return [...Object.values(this.apps).map((app) => app.id), ...(withSqlAdmin && this.sqlAdmin !== undefined ? [this.sqlAdmin.id] : [])];
    }
}
