import * as authorization from "@pulumi/azure-native/authorization";
import * as pulumi from "@pulumi/pulumi";

/** The role definition id of a built-in role (`plan/grants.ts`), in the deployment's subscription. */
export function builtInRoleDefinitionId(parent: pulumi.Resource): (roleId: string) => pulumi.Output<string> {
    const clientConfig = authorization.getClientConfigOutput({ parent });
    return (roleId) => pulumi.interpolate`/subscriptions/${clientConfig.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${roleId}`;
}
