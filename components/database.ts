import * as random from "@pulumi/random";
import * as authorization from "@pulumi/azure-native/authorization";
import * as monitor from "@pulumi/azure-native/monitor";
import * as sql from "@pulumi/azure-native/sql";
import * as pulumi from "@pulumi/pulumi";
import { SqlConfig } from "./config/contract";
import { Placement } from "./placement";
import { databaseSku } from "./plan/databaseSku";
import { AppDatabase, DatabaseLineage, databasesInUse } from "./plan/restore";
import { restoreCreateTimeout } from "./plan/restoreTimeout";
import { SqlAuthentication } from "./plan/sqlAuthentication";
import { databaseHost, sqlPort, sqlServerFqdn } from "./plan/sqlEndpoint";
import { PrivateEndpoint, privateLinkTargets, SharedDnsZone } from "./privateEndpoint";
import { required } from "./required";
import { StackIdentity } from "./runtimeIdentities";
import { StatefulOptions } from "./statefulOptions";

export interface DatabaseArgs {
    readonly placement: Placement;
    readonly sql: SqlConfig;
    readonly nodeSubnetId: pulumi.Input<string>;
    readonly virtualNetworkId: pulumi.Input<string>;
    /** The Log Analytics workspace that receives the server's audit records. */
    readonly auditWorkspaceId: pulumi.Input<string>;
    readonly nameSuffix: pulumi.Input<string>;
    readonly stateful: StatefulOptions;
    /** `rotation.generation`: a new one generates a new admin password. */
    readonly rotationGeneration: number;
    /** Whether the stack was deployed before (its server exists): a rotation then waits for the server. */
    readonly deployedBefore: boolean;
    /** Told of every threat SQL detects, besides the subscription's admins and owners. */
    readonly alertEmails: readonly string[];
    /** Every app's databases, oldest first; the last is the one its nodes use (plan/restore.ts). */
    readonly databases: DatabaseLineage;
    /** The restore this deployment performs: its databases are made once `after` (every app stopped) is done. */
    readonly restoring: { readonly pointInTime: string; readonly after: Promise<readonly pulumi.Resource[]> } | undefined;
    /** How the server takes sign-ins (`plan/sqlAuthentication.ts`). */
    readonly authentication: SqlAuthentication;
    /** The stack's identity that is the server's Entra admin, when `authentication.entraAdmin` is the stack's. */
    readonly entraAdminIdentity: StackIdentity | undefined;
}

/** How a server takes sign-ins as its inputs say it: what a failover group's partner server is created with too. */
export interface ServerSignInArgs {
    readonly administratorLogin?: string;
    readonly administratorLoginPassword?: pulumi.Input<string>;
    readonly administrators?: ReturnType<typeof entraAdministrator>;
}

const gigabyte = 1024 * 1024 * 1024;

/** The diagnostic log category that carries SQL audit records to Azure Monitor. */
export const sqlAuditLogCategory = "SQLSecurityAuditEvents";

/**
 * What the server audits: sign-ins and changes to principals, roles and permissions. Azure's default
 * adds BATCH_COMPLETED_GROUP, a record per query, which for a Mendix app is most of the log's volume
 * and cost without telling a reviewer who got in or what rights changed.
 */
export const sqlAuditActionGroups = [
    "SUCCESSFUL_DATABASE_AUTHENTICATION_GROUP",
    "FAILED_DATABASE_AUTHENTICATION_GROUP",
    "DATABASE_PRINCIPAL_CHANGE_GROUP",
    "DATABASE_ROLE_MEMBER_CHANGE_GROUP",
    "DATABASE_PERMISSION_CHANGE_GROUP",
    "SCHEMA_OBJECT_PERMISSION_CHANGE_GROUP",
] as const;

/**
 * How the nodes reach the apps' databases. None of it depends on a SQL resource: the host and the
 * names come from the naming plan (the same names the database component gives Azure), so a
 * node's settings blobs, and its agent run, need not wait for the server or the databases; the
 * agent waits for a database at run time, before the steps that need it.
 */
export interface DatabaseEndpoint {
    /** `<server>.database.windows.net:1433`, as the Mendix runtime's DatabaseHost. */
    readonly host: pulumi.Output<string>;
    /** The SQL admin login apps that sign in with a password use; undefined: the server has none. */
    readonly adminLogin: string | undefined;
    /** App name -> its database's name. */
    readonly databaseNames: Readonly<Record<string, string>>;
}

/**
 * An Azure SQL server reachable from the node subnet only (a private endpoint, no public network
 * access, no firewall rule), audited to Log Analytics, with one database per app: Mendix needs a
 * database of its own for every app. Each database keeps `sql.backupRetentionDays` of
 * point-in-time backups. After a restore an app has more than one: the one it uses, restored from
 * the one before it, which is kept (docs/restoring.md).
 */
export class ClusterDatabase extends pulumi.ComponentResource implements DatabaseEndpoint {
    readonly serverName: pulumi.Output<string>;
    /** From the naming plan: depends on no SQL resource. */
    readonly host: pulumi.Output<string>;
    /** The host as Azure reports it once the server exists, checked against `host`. */
    readonly serverHost: pulumi.Output<string>;
    /** `<server>.database.windows.net`, from the naming plan. */
    readonly fqdn: pulumi.Output<string>;
    readonly adminLogin: string | undefined;
    /** Undefined when no app signs in with it: no password is generated or kept. */
    readonly adminPassword: pulumi.Output<string> | undefined;
    /** App -> the database its nodes use. */
    readonly databaseNames: Readonly<Record<string, string>>;
    /** App -> the id of the database its nodes use. */
    readonly databaseIds: Readonly<Record<string, pulumi.Output<string>>>;
    /** App -> the earliest instant Azure can restore the database it uses to. */
    readonly restorableSince: Readonly<Record<string, pulumi.Output<string>>>;
    /** Database -> the earliest instant Azure can restore it to, for every database declared. */
    readonly restorableSinceByDatabase: Readonly<Record<string, pulumi.Output<string>>>;
    /** The databases this deployment restores: the nodes hear of them only once they exist. */
    readonly restored: readonly sql.Database[];
    readonly serverId: pulumi.Output<string>;
    /** The server's sign-in inputs: a failover group's partner server is created with the same login, password and admin. */
    readonly serverSignIn: ServerSignInArgs;
    /** The private DNS zone of the server's endpoint, which a partner server's endpoint shares. */
    readonly privateDnsZone: SharedDnsZone;
    /** What must exist before the Entra admin can create users in the databases: server, admin, private endpoint, databases. */
    readonly readyForUsers: readonly pulumi.Resource[];
    private readonly args: DatabaseArgs;
    /** The servers that take Entra sign-ins only once every node's agent has run: this one, and a partner. */
    private readonly finishing: {
        readonly name: string; readonly placement: Placement; readonly parent: pulumi.Resource; readonly server: sql.Server;
        readonly entraAdmin: sql.ServerAzureADAdministrator | undefined;
    }[] = [];

    constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mendix:cluster:Database", name, {}, opts);
        this.args = args;
        const { placement, authentication } = args;

        const password = !authentication.password ? undefined : new random.RandomPassword(`${name}-admin-password`, {
            length: 32,
            special: true,
            overrideSpecial: "!#%*-_=+?",
            minLower: 2,
            minUpper: 2,
            minNumeric: 2,
            minSpecial: 2,
            // Generation 1 has no keepers, as the password of a stack deployed before rotation existed.
            keepers: args.rotationGeneration === 1 ? undefined : { rotationGeneration: String(args.rotationGeneration) },
        }, { parent: this });

        // The provider marks the result secret; saying so here keeps it secret whatever the provider does.
        const adminPassword = password === undefined ? undefined : pulumi.secret(password.result);
        this.serverSignIn = {
            ...(authentication.adminLogin === undefined ? {} : { administratorLogin: authentication.adminLogin }),
            ...(adminPassword === undefined ? {} : { administratorLoginPassword: adminPassword }),
            // A server created while no app signs in with a password has no SQL login at all: its
            // Entra admin is named at creation, and Azure requires Entra-only authentication then.
            ...(authentication.createdEntraOnly ? { administrators: entraAdministrator(this.entraAdminIdentity(), true) } : {}),
        };
        const plannedServerName = pulumi.output(args.nameSuffix).apply((suffix) => placement.names.sqlServer(suffix));
        const server = new sql.Server(`${name}-server`, {
            resourceGroupName: placement.resourceGroupName,
            location: placement.location,
            tags: placement.tags,
            serverName: plannedServerName,
            version: "12.0",
            ...this.serverSignIn,
            minimalTlsVersion: "1.2",
            publicNetworkAccess: "Disabled",
        }, { parent: this, ...args.stateful });

        const endpoint = new PrivateEndpoint(`${name}-private`, {
            placement, target: privateLinkTargets.sql, resourceId: server.id, subnetId: args.nodeSubnetId, virtualNetworkId: args.virtualNetworkId,
            // The component's earlier type: its resources keep their URNs.
        }, { parent: this, aliases: [{ type: "mendix:cluster:SqlPrivateEndpoint" }] });

        const { entraAdmin, passwordSignIns } = this.addSignIn(this, name, placement, server);
        auditServer(this, name, placement, server, args.auditWorkspaceId);
        detectThreats(this, name, placement, server, args.alertEmails);

        const declared = new Map<string, sql.Database>();
        const restored: sql.Database[] = [];
        for (const entry of Object.values(args.databases).flat()) {
            const performedNow = entry.restoredFrom !== undefined && entry.restoredFrom.pointInTime === args.restoring?.pointInTime;
            const source = entry.restoredFrom === undefined ? undefined : declared.get(entry.restoredFrom.database);
            const database = this.declareDatabase(name, args, server, entry, source, performedNow ? args.restoring?.after : undefined);
            declared.set(entry.name, database);
            if (performedNow) {
                restored.push(database);
            }
        }
        const inUse = Object.entries(databasesInUse(args.databases));
        const inUseDatabase = (app: string, databaseName: string) => {
            const database = declared.get(databaseName);
            if (database === undefined) {
                throw new Error(`the database ${databaseName} that app ${app} uses is not declared: the program wired it wrong`);
            }
            return database;
        };
        this.databaseNames = Object.fromEntries(inUse);
        this.databaseIds = Object.fromEntries(inUse.map(([app, databaseName]) => [app, inUseDatabase(app, databaseName).id]));
        this.restorableSince = Object.fromEntries(inUse.map(([app, databaseName]) => [app, inUseDatabase(app, databaseName).earliestRestoreDate]));
        this.restorableSinceByDatabase = Object.fromEntries([...declared].map(([databaseName, database]) => [databaseName, database.earliestRestoreDate]));
        this.restored = restored;

        this.serverName = server.name;
        this.serverId = server.id;
        this.privateDnsZone = endpoint.zone;
        this.fqdn = plannedServerName.apply(sqlServerFqdn);
        this.host = plannedServerName.apply(databaseHost);
        this.serverHost = pulumi.all([server.fullyQualifiedDomainName, this.host]).apply(([fqdn, planned]) => {
            const reported = `${fqdn}:${sqlPort}`;
            if (reported !== planned) {
                throw new Error(
                    `Azure reports the SQL server's host as ${reported}, but the nodes' settings blobs name ${planned}: ` +
                    "the DNS suffix in components/plan/sqlEndpoint.ts does not match this cloud",
                );
            }
            return reported;
        });
        this.adminLogin = authentication.adminLogin;
        // On a stack deployed before, a new password (a rotation, or password sign-ins back on) reaches
        // Key Vault, and so the nodes' settings, only once the server takes it: no node restarts on a
        // password SQL refuses. On a first deployment no app runs yet, and the agents wait for the
        // database to accept a sign-in before they start one: the secret need not wait for the server,
        // and nothing a node needs to start preparing (its grants on the secret, its settings) waits for SQL.
        this.adminPassword = adminPassword === undefined || !args.deployedBefore
            ? adminPassword
            : pulumi.secret(pulumi.all([server.id, passwordSignIns?.id ?? server.id, adminPassword]).apply(([, , value]) => value));
        this.readyForUsers = [server, endpoint, ...(entraAdmin === undefined ? [] : [entraAdmin]), ...declared.values()];
        this.registerOutputs({ serverName: this.serverName, host: this.serverHost });
    }

    /**
     * One database of an app and its backup retention. A restored one is made from `source` at its
     * instant (azure-native `sql.Database`, API 2023-08-01: `createMode` "PointInTimeRestore: Creates a
     * database by restoring a point in time backup of an existing database. sourceDatabaseId must be
     * specified as the resource ID of the existing database, and restorePointInTime must be
     * specified"), always declared so afterwards: those inputs replace a database when they change.
     * Its source is named by id from the server's, which stays the same when the source is no longer declared.
     */
    private declareDatabase(
        name: string, args: DatabaseArgs, server: sql.Server, entry: AppDatabase, source: sql.Database | undefined,
        after: Promise<readonly pulumi.Resource[]> | undefined,
    ): sql.Database {
        const { placement } = args;
        const from = entry.restoredFrom;
        const sources: pulumi.Resource[] = source === undefined ? [] : [source];
        const dependsOn: pulumi.Input<pulumi.Input<pulumi.Resource>[]> = after === undefined ? sources : after.then((stopped) => [...sources, ...stopped]);
        const database = new sql.Database(`${name}-${entry.name}`, {
            resourceGroupName: placement.resourceGroupName,
            location: placement.location,
            tags: placement.tags,
            serverName: server.name,
            databaseName: entry.name,
            sku: databaseSku(args.sql.tier, args.sql.sku),
            maxSizeBytes: args.sql.maxSizeGb * gigabyte,
            zoneRedundant: args.sql.zoneRedundant,
            ...(from === undefined
                ? { collation: "SQL_Latin1_General_CP1_CI_AS" }
                // A restored database keeps its source's collation.
                : { createMode: "PointInTimeRestore", sourceDatabaseId: pulumi.interpolate`${server.id}/databases/${from.database}`, restorePointInTime: from.pointInTime }),
        }, { parent: this, ...args.stateful, dependsOn, ...(from === undefined ? {} : { customTimeouts: { create: restoreCreateTimeout } }) });
        // A restored database is a new database: it gets the stack's retention, as every database.
        new sql.BackupShortTermRetentionPolicy(`${name}-${entry.name}-backup-retention`, {
            resourceGroupName: placement.resourceGroupName,
            serverName: server.name,
            databaseName: database.name,
            policyName: "default",
            retentionDays: args.sql.backupRetentionDays,
        }, { parent: this });
        return database;
    }

    /**
     * A failover group's partner server (created with `serverSignIn`) takes sign-ins as this one does:
     * the same Entra admin, and Entra-only once this one is. The apps' database users reach it with
     * the geo-secondaries, which hold them as they hold the data.
     */
    addPartner(parent: pulumi.Resource, name: string, placement: Placement, partner: sql.Server): void {
        this.addSignIn(parent, name, placement, partner);
    }

    /**
     * Once every node's agent has run (`after`), a server that still has its SQL admin login takes
     * Microsoft Entra sign-ins only, when no app signs in with the password any more: no node is
     * refused its password while it still uses it. Does nothing otherwise.
     */
    finishSignInChange(after: readonly pulumi.Resource[]): void {
        for (const { name, placement, parent, server, entraAdmin } of this.finishing) {
            // Azure refuses Entra-only sign-in on a server without an Entra admin.
            entraOnly(parent, name, placement, server, true, entraAdmin === undefined ? after : [...after, entraAdmin]);
        }
    }

    private entraAdminIdentity(): StackIdentity {
        return required(this.args.entraAdminIdentity, "the identity that is the SQL server's Entra admin");
    }

    /**
     * The server's Entra admin unless it was named at creation, and its Entra-only setting: off
     * before any node starts while an app signs in with the password, on after every node's agent
     * has run once none does (`finishSignInChange`).
     */
    private addSignIn(parent: pulumi.Resource, name: string, placement: Placement, server: sql.Server) {
        const { authentication } = this.args;
        const admin = authentication.entraAdmin;
        const entraAdmin = admin === undefined || authentication.createdEntraOnly ? undefined : addEntraAdmin(
            parent, name, placement, server,
            admin.kind === "configured" ? admin.admin : { login: this.entraAdminIdentity().name, objectId: this.entraAdminIdentity().clientId },
        );
        const byStackIdentity = admin?.kind === "stackIdentity" && !authentication.createdEntraOnly;
        if (byStackIdentity && authentication.entraOnly) {
            this.finishing.push({ name, placement, parent, server, entraAdmin });
        }
        const passwordSignIns = byStackIdentity && !authentication.entraOnly ? entraOnly(parent, name, placement, server, false, []) : undefined;
        return { entraAdmin, passwordSignIns };
    }
}

/**
 * A server's Microsoft Entra admin, set through Azure Resource Manager: a configured user or group
 * by its object id, or the stack's identity by its client id, the SID Azure SQL keeps for an
 * application (MicrosoftDocs/sql-docs, `azure-sql/database/authentication-microsoft-entra-create-users-with-nonunique-names.md`:
 * `CAST(sid AS uniqueidentifier)` of an application's principal is its application id). Naming it
 * by id needs no Microsoft Graph lookup, so the deployer needs no Graph permission.
 */
function addEntraAdmin(parent: pulumi.Resource, name: string, placement: Placement, server: sql.Server, admin: { readonly login: string; readonly objectId: pulumi.Input<string> }): sql.ServerAzureADAdministrator {
    const clientConfig = authorization.getClientConfigOutput({ parent });
    return new sql.ServerAzureADAdministrator(`${name}-entra-admin`, {
        resourceGroupName: placement.resourceGroupName,
        serverName: server.name,
        administratorName: "ActiveDirectory",
        administratorType: "ActiveDirectory",
        login: admin.login,
        sid: admin.objectId,
        tenantId: clientConfig.tenantId,
    }, { parent });
}

function entraOnly(parent: pulumi.Resource, name: string, placement: Placement, server: sql.Server, only: boolean, after: readonly pulumi.Resource[]): sql.ServerAzureADOnlyAuthentication {
    return new sql.ServerAzureADOnlyAuthentication(`${name}-entra-only`, {
        resourceGroupName: placement.resourceGroupName,
        serverName: server.name,
        authenticationName: "Default",
        azureADOnlyAuthentication: only,
    }, { parent, dependsOn: [...after] });
}

/** The server's Entra admin as `sql.Server.administrators` names it at creation: the stack's identity, an application. */
function entraAdministrator(identity: StackIdentity, entraOnly: boolean) {
    return {
        administratorType: "ActiveDirectory",
        principalType: "Application",
        login: identity.name,
        sid: identity.clientId,
        tenantId: identity.tenantId,
        azureADOnlyAuthentication: entraOnly,
    };
}

/**
 * Threat detection (Microsoft Defender for SQL's security alerts) on every detection type: no
 * type is disabled, and the alerts mail the subscription's admins and owners and `alerts.emails`.
 */
export function detectThreats(parent: pulumi.Resource, name: string, placement: Placement, server: sql.Server, emails: readonly string[]): void {
    new sql.ServerSecurityAlertPolicy(`${name}-threat-detection`, {
        resourceGroupName: placement.resourceGroupName,
        serverName: server.name,
        securityAlertPolicyName: "Default",
        state: "Enabled",
        disabledAlerts: [],
        emailAccountAdmins: true,
        emailAddresses: [...emails],
    }, { parent });
}

/**
 * Server-level auditing to Azure Monitor: the audit records of every database reach the
 * workspace through a diagnostic setting on the master database, which Azure requires to exist
 * before the auditing policy names Azure Monitor as its target.
 */
export function auditServer(parent: pulumi.Resource, name: string, placement: Placement, server: sql.Server, workspaceId: pulumi.Input<string>): void {
    const diagnostics = new monitor.DiagnosticSetting(`${name}-audit-diagnostics`, {
        name: "sql-audit",
        resourceUri: pulumi.interpolate`${server.id}/databases/master`,
        workspaceId,
        logs: [{ category: sqlAuditLogCategory, enabled: true }],
    }, { parent });
    new sql.ServerBlobAuditingPolicy(`${name}-auditing`, {
        resourceGroupName: placement.resourceGroupName,
        serverName: server.name,
        blobAuditingPolicyName: "default",
        state: "Enabled",
        isAzureMonitorTargetEnabled: true,
        auditActionsAndGroups: [...sqlAuditActionGroups],
    }, { parent, dependsOn: [diagnostics] });
}
