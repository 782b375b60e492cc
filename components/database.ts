import * as random from "@pulumi/random";
import * as sql from "@pulumi/azure-native/sql";
import * as pulumi from "@pulumi/pulumi";
import { AppConfig, SqlConfig } from "./config/contract";
import { databaseSku } from "./config/sqlSkus";
import { Placement } from "./placement";
import { StatefulOptions } from "./statefulOptions";

export interface DatabaseArgs {
    readonly placement: Placement;
    readonly sql: SqlConfig;
    readonly apps: readonly AppConfig[];
    readonly nodeSubnetId: pulumi.Input<string>;
    readonly nameSuffix: pulumi.Input<string>;
    readonly stateful: StatefulOptions;
}

export const sqlAdminLogin = "mendixsql";
export const sqlPort = 1433;
const gigabyte = 1024 * 1024 * 1024;

/**
 * An Azure SQL server reachable from the node subnet only (a virtual network rule and no firewall
 * rule), with one database per app: Mendix needs a database of its own for every app.
 */
export class ClusterDatabase extends pulumi.ComponentResource {
    readonly serverName: pulumi.Output<string>;
    /** `<server>.database.windows.net:1433`, as the Mendix runtime's DatabaseHost. */
    readonly host: pulumi.Output<string>;
    readonly adminLogin: string;
    readonly adminPassword: pulumi.Output<string>;
    readonly databaseNames: Readonly<Record<string, pulumi.Output<string>>>;

    constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mendix:cluster:Database", name, {}, opts);
        const { placement } = args;

        const password = new random.RandomPassword(`${name}-admin-password`, {
            length: 32,
            special: true,
            overrideSpecial: "!#%*-_=+?",
            minLower: 2,
            minUpper: 2,
            minNumeric: 2,
            minSpecial: 2,
        }, { parent: this });

        // The provider marks the result secret; saying so here keeps it secret whatever the provider does.
        const adminPassword = pulumi.secret(password.result);
        const server = new sql.Server(`${name}-server`, {
            resourceGroupName: placement.resourceGroupName,
            location: placement.location,
            tags: placement.tags,
            serverName: pulumi.output(args.nameSuffix).apply((suffix) => placement.names.sqlServer(suffix)),
            version: "12.0",
            administratorLogin: sqlAdminLogin,
            administratorLoginPassword: adminPassword,
            minimalTlsVersion: "1.2",
            publicNetworkAccess: "Enabled",
        }, { parent: this, ...args.stateful });

        new sql.VirtualNetworkRule(`${name}-nodes`, {
            resourceGroupName: placement.resourceGroupName,
            serverName: server.name,
            virtualNetworkRuleName: "nodes",
            virtualNetworkSubnetId: args.nodeSubnetId,
            ignoreMissingVnetServiceEndpoint: false,
        }, { parent: this });

        this.databaseNames = Object.fromEntries(args.apps.map((app) => {
            const database = new sql.Database(`${name}-${app.name}`, {
                resourceGroupName: placement.resourceGroupName,
                location: placement.location,
                tags: placement.tags,
                serverName: server.name,
                databaseName: app.name,
                sku: databaseSku(args.sql.tier, args.sql.sku),
                maxSizeBytes: args.sql.maxSizeGb * gigabyte,
                zoneRedundant: args.sql.zoneRedundant,
                collation: "SQL_Latin1_General_CP1_CI_AS",
            }, { parent: this, ...args.stateful });
            return [app.name, database.name];
        }));

        this.serverName = server.name;
        this.host = pulumi.interpolate`${server.fullyQualifiedDomainName}:${sqlPort}`;
        this.adminLogin = sqlAdminLogin;
        this.adminPassword = adminPassword;
        this.registerOutputs({ serverName: this.serverName, host: this.host });
    }
}
