import * as sql from "@pulumi/azure-native/sql";
import * as pulumi from "@pulumi/pulumi";
import { Placement } from "./placement";

export interface FailoverGroupArgs {
    /** The stack's region: the group is a child of the primary server, in its resource group. */
    readonly placement: Placement;
    readonly nameSuffix: pulumi.Input<string>;
    readonly primaryServerName: pulumi.Input<string>;
    readonly partnerServerId: pulumi.Input<string>;
    /** The databases the apps use, on the primary server; their geo-secondaries on the partner join the group. */
    readonly databaseIds: readonly pulumi.Input<string>[];
    /** The partner's geo-secondaries, created first (zone-redundant) so that the group adopts them. */
    readonly secondaries: readonly pulumi.Resource[];
}

/**
 * The SQL failover group between the stack's server and the standby's partner: every app's database,
 * the customer-managed (`Manual`) failover policy, which Microsoft recommends (a Microsoft-managed
 * failover waits an hour at least and may lose data: MicrosoftDocs/azure-docs,
 * `articles/reliability/reliability-sql-database.md`), and readable geo-secondaries. Nodes reach SQL
 * through its read-write listener `<group>.database.windows.net`, a CNAME Azure moves at a failover,
 * so no node's settings change with one. azure-native `sql.FailoverGroup` (API 2023-08-01).
 */
export class DatabaseFailoverGroup extends pulumi.ComponentResource {
    readonly groupName: pulumi.Output<string>;

    constructor(name: string, args: FailoverGroupArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mendix:cluster:FailoverGroup", name, {}, opts);
        const { placement } = args;
        this.groupName = pulumi.output(args.nameSuffix).apply((suffix) => placement.names.failoverGroup(suffix));
        new sql.FailoverGroup(`${name}-group`, {
            resourceGroupName: placement.resourceGroupName,
            serverName: args.primaryServerName,
            failoverGroupName: this.groupName,
            tags: placement.tags,
            partnerServers: [{ id: args.partnerServerId }],
            // The whole list each time: Azure takes `databases` as a whole (Azure/bicep#8454).
            databases: [...args.databaseIds],
            readWriteEndpoint: { failoverPolicy: "Manual" },
            secondaryType: "Geo",
        }, { parent: this, dependsOn: [...args.secondaries] });
        this.registerOutputs({ groupName: this.groupName });
    }
}
