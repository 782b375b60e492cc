import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import * as pulumi from "@pulumi/pulumi";
import { Placement } from "./placement";
import { StatefulOptions } from "./statefulOptions";

export interface AuditLogArgs {
    readonly placement: Placement;
    readonly stateful: StatefulOptions;
}

/** How long audit records are kept: security reviews ask for more than 90 days; a year covers them. */
export const auditRetentionDays = 365;

/**
 * A Log Analytics workspace for the cluster's audit records (SQL auditing). It lives apart from the
 * storage account, whose key every node holds, so no node can alter what was audited. It takes
 * Entra sign-ins only: its shared keys are disabled.
 */
export class ClusterAuditLog extends pulumi.ComponentResource {
    readonly workspaceId: pulumi.Output<string>;

    constructor(name: string, args: AuditLogArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mendix:cluster:AuditLog", name, {}, opts);
        const { placement } = args;

        const workspace = new operationalinsights.Workspace(`${name}-workspace`, {
            resourceGroupName: placement.resourceGroupName,
            location: placement.location,
            tags: placement.tags,
            workspaceName: `${placement.names.prefix}-audit`,
            sku: { name: "PerGB2018" },
            retentionInDays: auditRetentionDays,
            features: { disableLocalAuth: true },
        }, { parent: this, ...args.stateful });

        this.workspaceId = workspace.id;
        this.registerOutputs({ workspaceId: this.workspaceId });
    }
}
