import * as resources from "@pulumi/azure-native/resources";
import * as random from "@pulumi/random";
import * as pulumi from "@pulumi/pulumi";
import { AdminPasswordSecret } from "./adminPassword";
import { AgentPackage } from "./agentPackage";
import { ClusterAuditLog } from "./auditLog";
import { bastionSubnetPrefix, ClusterBastion } from "./bastion";
import { ClusterConfig } from "./config/contract";
import { ClusterDatabase } from "./database";
import { InstallerPackage } from "./installerPackage";
import { ClusterKeyVault } from "./keyVault";
import { LastDeployment } from "./lastDeployment";
import { ClusterLoadBalancer } from "./loadBalancer";
import { ClusterNetwork } from "./network";
import { ModelPackage } from "./modelPackage";
import { ClusterMonitoring } from "./monitoring";
import { NodeAgent } from "./nodeAgent";
import { ClusterNodes } from "./nodes";
import { Placement } from "./placement";
import { vaultSecretNames } from "./plan/keyVaultReference";
import { clusterUrl } from "./plan/loadBalancing";
import { clusterNames, nameSuffixLength } from "./plan/names";
import { planNodes } from "./plan/nodes";
import { planRollout } from "./plan/rollout";
import { required } from "./required";
import { expiryWarning, SecretIssue, secretExpiry, secretIssue, utcDay } from "./plan/secretRotation";
import { statefulOptions } from "./statefulOptions";
import { ClusterStorage } from "./storage";
import { databaseUsersCommand, DatabaseUser } from "./plan/databaseUsers";
import { loadDatabaseUsersScript } from "./databaseUsersScript";
import { DatabaseUsersSpec } from "./nodeDeployment";
import { ClusterSignIn } from "./plan/signIn";
import { SqlAuthentication } from "./plan/sqlAuthentication";
import { builtInRoleDefinitionId } from "./roleDefinition";
import { RuntimeIdentities } from "./runtimeIdentities";

export interface MendixClusterArgs {
    /** Validated stack config (see `parseClusterConfig`). */
    readonly config: ClusterConfig;
    /** The stack name: the root of every Azure name. */
    readonly stack: string;
    readonly location: pulumi.Input<string>;
    readonly agent: AgentPackage;
    /** The apps' MDAs, by app name. */
    readonly models: Readonly<Record<string, ModelPackage>>;
    /** The Service Console MSI the stack uploads (config `installers.serviceConsole.file`). */
    readonly serviceConsole: InstallerPackage | undefined;
    /** What this stack's last deployment left (nothing for a new stack). */
    readonly lastDeployment: LastDeployment;
    /** The time of this run: a new rotation generation's secrets are issued on its day. */
    readonly now: Date;
    /** Which apps sign in with an identity of their own, and which with the secrets (`plan/signIn.ts`). */
    readonly signIn: ClusterSignIn;
    /** How the SQL server takes sign-ins (`plan/sqlAuthentication.ts`). */
    readonly sqlAuthentication: SqlAuthentication;
}

export interface ClusterNodeOutput {
    readonly name: string;
    readonly computerName: string;
    readonly zone: string | null;
    readonly role: "leader" | "follower";
}

/**
 * A high-availability Mendix Runtime cluster on Windows servers in Azure, as the Mendix guide
 * "Deploy Mendix on Windows in Microsoft Azure" sets it up by hand: leader and follower nodes
 * behind a Standard load balancer, Azure Blob Storage as shared file storage, Azure SQL databases.
 */
export class MendixCluster extends pulumi.ComponentResource {
    readonly publicIpAddress: pulumi.Output<string>;
    readonly url: pulumi.Output<string>;
    readonly nodes: readonly ClusterNodeOutput[];
    readonly leader: string;
    readonly settingsBlobs: Readonly<Record<string, readonly string[]>>;
    readonly sqlServerHost: pulumi.Output<string>;
    readonly databaseNames: pulumi.Output<Record<string, string>>;
    readonly storageAccountName: pulumi.Output<string>;
    readonly resourceGroupName: pulumi.Output<string>;
    /** Holds the nodes' admin password (secret `node-admin-password`) besides the cluster's secrets. */
    readonly keyVaultName: pulumi.Output<string>;
    readonly updateTags: Readonly<Record<string, pulumi.Output<string>>>;
    readonly workbookUrl: pulumi.Output<string>;
    /** The rotation generation of the secrets and the day they were issued, read back by the next run. */
    readonly secretRotation: SecretIssue;
    /** The SQL server's admin login, read back by the next run; undefined: it has none. */
    readonly sqlAdminLogin: string | undefined;

    constructor(name: string, args: MendixClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mendix:cluster:MendixCluster", name, {}, opts);
        const { config } = args;
        const names = clusterNames(args.stack);
        const plan = planNodes(config.nodeCount, config.zones, names);
        const stateful = statefulOptions(config.protect);
        const tags = { "mendix-cluster": args.stack, "managed-by": "pulumi" };

        const group = new resources.ResourceGroup(`${name}-rg`, {
            resourceGroupName: names.resourceGroup,
            location: args.location,
            tags,
        }, { parent: this, protect: config.protect });
        const placement: Placement = { resourceGroupName: group.name, resourceGroupId: group.id, location: group.location, names, tags };

        const nameSuffix = new random.RandomString(`${name}-name-suffix`, {
            length: nameSuffixLength,
            special: false,
            upper: false,
            numeric: true,
        }, { parent: this }).result;

        const rdpSourceCidrs = [...config.rdpSourceCidrs, ...(config.bastion ? [bastionSubnetPrefix] : [])];
        const network = new ClusterNetwork(`${name}-network`, { placement, rdpSourceCidrs, zones: config.zones }, { parent: this });
        if (config.bastion) {
            new ClusterBastion(`${name}-bastion`, { placement, nodeSubnetIds: network.subnetIds }, { parent: this });
        }
        const loadBalancer = new ClusterLoadBalancer(`${name}-lb`, { placement, zones: config.zones, dnsLabel: config.dnsLabel }, { parent: this });
        const files = new ClusterStorage(`${name}-storage`, {
            placement, apps: config.apps, replication: config.storage.replication, rotationGeneration: config.rotation.generation,
            nameSuffix, stateful, nodeSubnetIds: network.subnetIds, deployerCidrs: config.deployerCidrs,
        }, { parent: this });
        const auditLog = new ClusterAuditLog(`${name}-audit`, { placement, stateful }, { parent: this });
        const runtimeIdentities = new RuntimeIdentities(`${name}-identities`, {
            placement, apps: args.signIn.identityApps, filesContainerIds: files.filesContainerIds, roleDefinitionId: builtInRoleDefinitionId(this),
        }, { parent: this });
        const database = new ClusterDatabase(`${name}-sql`, {
            placement, sql: config.sql, apps: config.apps, nodeSubnetId: network.endpointSubnetId, virtualNetworkId: network.virtualNetworkId,
            auditWorkspaceId: auditLog.workspaceId, nameSuffix, stateful, rotationGeneration: config.rotation.generation,
            deployedBefore: args.lastDeployment.nodes.length > 0,
            alertEmails: config.alerts.emails,
            authentication: args.sqlAuthentication, entraAdminIdentity: runtimeIdentities.sqlAdmin,
        }, { parent: this });

        const adminPassword = config.adminPassword !== undefined
            ? pulumi.secret(config.adminPassword)
            : pulumi.secret(new random.RandomPassword(`${name}-admin-password`, {
                length: 24, special: true, overrideSpecial: "!#%*-_=+?", minLower: 2, minUpper: 2, minNumeric: 2, minSpecial: 2,
            }, { parent: this }).result);

        const issue = secretIssue(args.lastDeployment.secretIssue, config.rotation.generation, utcDay(args.now));
        const secretsExpire = secretExpiry(issue, config.secrets.expiryDays);
        const warning = expiryWarning(secretsExpire, args.now);
        if (warning !== undefined) {
            void pulumi.log.warn(warning, this);
        }
        const keyVault = new ClusterKeyVault(`${name}-kv`, {
            placement, nameSuffix, endpointSubnetId: network.endpointSubnetId, virtualNetworkId: network.virtualNetworkId,
            secretsExpire, protect: config.protect,
            // A secret no node needs is not written: an app that signs in with its identity needs neither.
            secrets: {
                ...(database.adminPassword === undefined ? {} : { [vaultSecretNames.sqlAdminPassword]: database.adminPassword }),
                ...(args.signIn.needsStorageKey ? { [vaultSecretNames.storageAccountKey]: files.accountKey() } : {}),
                ...Object.fromEntries(config.apps.flatMap((app) => app.license === undefined ? [] : [[vaultSecretNames.license(app.name), app.license.subscriptionSecret]])),
            },
        }, { parent: this });

        const agent = new NodeAgent(`${name}-agent`, {
            placement, apps: config.apps, storage: files, database, keyVault, runtimeIdentities, agent: args.agent, models: args.models,
            serviceConsole: args.serviceConsole, delivery: config.delivery, rollout: config.rollout,
        }, { parent: this });

        const rollout = planRollout({
            nodes: plan,
            deployedNodes: args.lastDeployment.nodes,
            deployedModels: args.lastDeployment.models,
            models: Object.fromEntries(Object.values(args.models).map((model) => [model.app, model.sha256])),
            maxUnavailable: config.rollout.maxUnavailable,
            modelChange: config.rollout.modelChange,
        });
        const monitoring = new ClusterMonitoring(`${name}-monitoring`, {
            placement, stack: args.stack, stateful, alerts: config.alerts, apps: config.apps.map((app) => app.name), sqlTier: config.sql.tier,
            loadBalancerId: loadBalancer.loadBalancerId, natGatewayIds: network.natGatewayIds, databaseIds: database.databaseIds,
        }, { parent: this });
        const nodes = new ClusterNodes(`${name}-nodes`, {
            placement,
            nodes: plan,
            zones: config.zones,
            machine: {
                vmSize: config.vmSize,
                dataDiskSizeGb: config.dataDiskSizeGb,
                adminUsername: config.adminUsername,
                adminPassword,
                image: config.delivery.image,
                subnetIdOf: (node) => network.subnetIdOf(node),
                backendPoolId: loadBalancer.backendPoolId,
                encryptionAtHost: config.encryptionAtHost,
            },
            agent, storage: files, keyVault, delivery: config.delivery, rollout,
            runtimeIdentities,
            databaseUsers: databaseUsersSpec(database, runtimeIdentities, config.rollout.databaseWaitSeconds),
            monitoring: { component: monitoring, nodeNamePrefix: `${name}-monitor` },
        }, { parent: this });
        database.finishSignInChange(nodes.agentRuns);

        new AdminPasswordSecret(`${name}-admin-password`, {
            placement, vaultName: keyVault.vaultName, adminPassword, expires: secretsExpire, readers: config.adminPasswordReaders,
        }, { parent: this });


        this.publicIpAddress = loadBalancer.publicIpAddress;
        this.url = pulumi.all([loadBalancer.fqdn, loadBalancer.publicIpAddress])
            .apply(([fqdn, ipAddress]) => clusterUrl({ fqdn, ipAddress }, config.delivery.certificate !== undefined));
        this.nodes = plan.map((node) => ({
            name: node.name,
            computerName: node.computerName,
            zone: node.zone ?? null,
            role: node.leader ? "leader" : "follower",
        }));
        this.leader = required(plan.find((node) => node.leader), "the leader among the planned nodes").name;
        this.settingsBlobs = Object.fromEntries(nodes.deployments.map((deployment) => [deployment.node.name, deployment.settingsBlobNames]));
        this.sqlServerHost = database.serverHost;
        this.databaseNames = pulumi.output(database.databaseNames);
        this.storageAccountName = files.accountName;
        this.resourceGroupName = group.name;
        this.keyVaultName = keyVault.vaultName;
        this.updateTags = nodes.updateTags;
        this.workbookUrl = monitoring.workbookUrl;
        this.secretRotation = issue;
        this.sqlAdminLogin = database.adminLogin;
        this.registerOutputs({
            publicIpAddress: this.publicIpAddress,
            url: this.url,
            nodes: this.nodes,
            leader: this.leader,
            settingsBlobs: this.settingsBlobs,
            sqlServerHost: this.sqlServerHost,
            databaseNames: this.databaseNames,
        });
    }
}

/** The Run Command that creates a database user for each app's identity, signed in as the server's Entra admin. */
function databaseUsersSpec(database: ClusterDatabase, identities: RuntimeIdentities, waitSeconds: number): DatabaseUsersSpec | undefined {
    const admin = identities.sqlAdmin;
    if (admin === undefined) {
        return undefined;
    }
    const users = Object.entries(identities.apps).map(([app, identity]) => identity.clientId.apply((clientId): DatabaseUser => ({
        database: required(database.databaseNames[app], `the database of app ${app}`),
        user: identity.name,
        clientId,
    })));
    return {
        script: loadDatabaseUsersScript(),
        command: pulumi.all([admin.clientId, database.fqdn, pulumi.all(users)])
            .apply(([adminClientId, fqdn, resolved]) => databaseUsersCommand(adminClientId, fqdn, resolved, waitSeconds)),
        waitSeconds,
        after: database.readyForUsers,
    };
}
