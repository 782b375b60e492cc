import * as resources from "@pulumi/azure-native/resources";
import * as random from "@pulumi/random";
import * as pulumi from "@pulumi/pulumi";
import { AdminPasswordSecret } from "./adminPassword";
import { AgentPackage } from "./agentPackage";
import { ClusterAuditLog } from "./auditLog";
import { bastionSubnetPrefix, ClusterBastion } from "./bastion";
import { ClusterRestore, StopsGate } from "./clusterRestore";
import { ClusterConfig } from "./config/contract";
import { ClusterDatabase, DatabaseEndpoint } from "./database";
import { DatabaseFailoverGroup } from "./failoverGroup";
import { GlobalEntry } from "./globalEntry";
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
import { clusterUrl, PublicAddress } from "./plan/loadBalancing";
import { trafficManagerFqdn } from "./plan/trafficManager";
import { clusterNames, nameSuffixLength } from "./plan/names";
import { planNodes } from "./plan/nodes";
import { everyProperty, planRegions } from "./plan/regions";
import { RestorePlan } from "./plan/restore";
import { RestoreOutput } from "./plan/restoreOutputs";
import { planRollout } from "./plan/rollout";
import { vaultedSettings } from "./plan/vaultedSettings";
import { databaseHost } from "./plan/sqlEndpoint";
import { required } from "./required";
import { keptVaultSecrets } from "./plan/keptVaultSecrets";
import { expiryWarning, SecretIssue, secretExpiry, secretIssue, utcDay } from "./plan/secretRotation";
import { statefulOptions } from "./statefulOptions";
import { StandbyRegion } from "./standbyRegion";
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
    /** The stack's own region (`azure-native:location`). */
    readonly location: string;
    readonly agent: AgentPackage;
    /** The apps' MDAs, by app name. */
    readonly models: Readonly<Record<string, ModelPackage>>;
    /** The Service Console MSI the stack uploads (config `installers.serviceConsole.file`). */
    readonly serviceConsole: InstallerPackage | undefined;
    /** What this stack's last deployment left (nothing for a new stack). */
    readonly lastDeployment: LastDeployment;
    /** The time of this run: a new rotation generation's secrets are issued on its day. */
    readonly now: Date;
    /** Every app's databases and the latest restore (plan/restore.ts), decided on what the last deployment left. */
    readonly restore: RestorePlan;
    /** Which apps sign in with an identity of their own, and which with the secrets (`plan/signIn.ts`). */
    readonly signIn: ClusterSignIn;
    /** How the SQL server takes sign-ins (`plan/sqlAuthentication.ts`). */
    readonly sqlAuthentication: SqlAuthentication;
}

/** The standby's resources by name (stack output `standby`), for the operator on the day: `npm run failover` finds the same from the standby's resource group. */
export interface StandbyOutput {
    readonly location: string;
    readonly active: boolean;
    readonly resourceGroupName: string;
    readonly primaryResourceGroupName: string;
    readonly failoverGroupName: string;
    readonly primaryServerName: string;
    readonly partnerServerName: string;
    readonly storageAccountName: string;
    readonly trafficManagerProfileName: string;
    readonly nodes: readonly { readonly vmName: string; readonly leader: boolean }[];
    readonly apps: readonly string[];
}

/**
 * What the storage key's secret is declared with while the standby serves: never written, since
 * every vault keeps the key it has then (`unreadSecrets`). That holds because the edits that could
 * make a vault need the key anew (another app, another model) are refused meanwhile (plan/regions.ts).
 */
const storageKeyNotRead = "(the storage account key is not read while standby.active is true)";

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
    /** App -> the database its nodes use; during a restore, known once the restore is done. */
    readonly databaseNames: pulumi.Output<Record<string, string>>;
    /** Every app's databases, oldest first, the last in use (read back by the next deployment); known once a restore is done. */
    readonly databases: pulumi.Output<RestorePlan["databases"]>;
    /** The latest restore, or null; known once it is done. */
    readonly restore: pulumi.Output<RestoreOutput | null>;
    /** The earliest instants Azure can restore the files and each database in use to. */
    readonly restorableSince: pulumi.Output<{ files: string | undefined; databases: Record<string, string>; byDatabase: Record<string, string> }>;
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
    /** Every secret the vaults keep declared, read back by the next run (`plan/keptVaultSecrets.ts`). */
    readonly vaultSecrets: readonly string[];
    /** The standby's resources by name; undefined without a standby. */
    readonly standby: pulumi.Output<StandbyOutput> | undefined;
    readonly standbyNodes: readonly ClusterNodeOutput[];

    constructor(name: string, args: MendixClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mendix:cluster:MendixCluster", name, {}, opts);
        const { config } = args;
        const names = clusterNames(args.stack);
        const plan = planNodes(config.nodeCount, config.zones, names);
        const stateful = statefulOptions(config.protect);
        const tags = { "mendix-cluster": args.stack, "managed-by": "pulumi" };
        const regions = planRegions(args.location, config.standby);
        // The stack region's parts: once the standby serves, no change reaches them (plan/regions.ts).
        // retainOnDelete as well: an edit that would delete one of them is refused (plan/regions.ts), and should one slip through, Azure keeps it.
        const primary: pulumi.ComponentResourceOptions = regions.frozen === "primary"
            ? { parent: this, transformations: [(resource) => ({ props: resource.props, opts: pulumi.mergeOptions(resource.opts, { ignoreChanges: [everyProperty], retainOnDelete: true }) })] }
            : { parent: this };
        const standbyActive = regions.serving === "standby";

        const group = new resources.ResourceGroup(`${name}-rg`, {
            resourceGroupName: names.resourceGroup,
            location: args.location,
            tags,
        }, { ...primary, protect: config.protect });
        const placement: Placement = { resourceGroupName: group.name, resourceGroupId: group.id, location: group.location, names, tags };

        const nameSuffix = new random.RandomString(`${name}-name-suffix`, {
            length: nameSuffixLength,
            special: false,
            upper: false,
            numeric: true,
        }, primary).result;

        const rdpSourceCidrs = [...config.rdpSourceCidrs, ...(config.bastion ? [bastionSubnetPrefix] : [])];
        const network = new ClusterNetwork(`${name}-network`, { placement, rdpSourceCidrs, zones: config.zones }, primary);
        if (config.bastion) {
            new ClusterBastion(`${name}-bastion`, { placement, nodeSubnetIds: network.subnetIds }, primary);
        }
        // Traffic Manager takes a public IP endpoint only with a DNS name: with a standby both regions' IPs get the label.
        const dnsLabel = config.dnsLabel ?? (config.standby === undefined ? undefined : pulumi.output(nameSuffix).apply((suffix) => names.trafficManagerDnsName(suffix)));
        const loadBalancer = new ClusterLoadBalancer(`${name}-lb`, { placement, zones: config.zones, dnsLabel }, primary);
        const files = new ClusterStorage(`${name}-storage`, {
            placement, apps: config.apps, storage: config.storage, restoreDays: config.sql.backupRetentionDays, rotationGeneration: config.rotation.generation,
            nameSuffix, stateful, nodeSubnetIds: network.subnetIds, deployerCidrs: config.deployerCidrs,
        }, primary);
        const auditLog = new ClusterAuditLog(`${name}-audit`, { placement, stateful }, primary);
        const runtimeIdentities = new RuntimeIdentities(`${name}-identities`, {
            placement, apps: args.signIn.identityApps, filesContainerIds: files.filesContainerIds, roleDefinitionId: builtInRoleDefinitionId(this),
        }, primary);
        // A restore this deployment performs waits for every app of every node to stop, and the nodes
        // hear of the restored databases only once they and the files are restored.
        const latestRestore = args.restore.restore;
        const gate = latestRestore?.performedNow === true ? new StopsGate() : undefined;
        const database = new ClusterDatabase(`${name}-sql`, {
            placement, sql: config.sql, nodeSubnetId: network.endpointSubnetId, virtualNetworkId: network.virtualNetworkId,
            auditWorkspaceId: auditLog.workspaceId, nameSuffix, stateful, rotationGeneration: config.rotation.generation,
            deployedBefore: args.lastDeployment.nodes.length > 0,
            alertEmails: config.alerts.emails,
            databases: args.restore.databases,
            restoring: latestRestore !== undefined && gate !== undefined ? { pointInTime: latestRestore.pointInTime, after: gate.stopped } : undefined,
            authentication: args.sqlAuthentication, entraAdminIdentity: runtimeIdentities.sqlAdmin,
        }, primary);
        const restore = latestRestore === undefined ? undefined : new ClusterRestore(`${name}-restore`, {
            placement, restore: latestRestore, storage: files, database, databases: args.restore.databases, gate,
        }, primary);

        const adminPassword = config.adminPassword !== undefined
            ? pulumi.secret(config.adminPassword)
            : pulumi.secret(new random.RandomPassword(`${name}-admin-password`, {
                length: 24, special: true, overrideSpecial: "!#%*-_=+?", minLower: 2, minUpper: 2, minNumeric: 2, minSpecial: 2,
            }, primary).result);

        const issue = secretIssue(args.lastDeployment.secretIssue, config.rotation.generation, utcDay(args.now));
        const secretsExpire = secretExpiry(issue, config.secrets.expiryDays);
        const warning = expiryWarning(secretsExpire, args.now);
        if (warning !== undefined) {
            void pulumi.log.warn(warning, this);
        }
        // A secret no node needs is not written: an app that signs in with its identity needs neither.
        // While the standby serves, the storage key is not read (its ListKeys goes to the resource
        // provider in the lost region) and each vault keeps the key it has.
        const unreadSecrets = standbyActive && args.signIn.needsStorageKey ? [vaultSecretNames.storageAccountKey] : [];
        const secrets = {
            ...(database.adminPassword === undefined ? {} : { [vaultSecretNames.sqlAdminPassword]: database.adminPassword }),
            ...(args.signIn.needsStorageKey ? { [vaultSecretNames.storageAccountKey]: standbyActive ? pulumi.secret(storageKeyNotRead) : files.accountKey() } : {}),
            ...Object.fromEntries(config.apps.flatMap((app) => app.license === undefined ? [] : [[vaultSecretNames.license(app.name), app.license.subscriptionSecret]])),
            ...Object.fromEntries(config.apps.flatMap(vaultedSettings).map((setting) => [setting.vaultSecretName, setting.value])),
        };
        const kept = keptVaultSecrets(Object.keys(secrets), args.lastDeployment.vaultSecrets);
        const keyVault = new ClusterKeyVault(`${name}-kv`, {
            placement, nameSuffix, endpointSubnetId: network.endpointSubnetId, virtualNetworkId: network.virtualNetworkId,
            secretsExpire, protect: config.protect, secrets, unreadSecrets, retiredSecrets: kept.retired,
        }, primary);

        // With a standby every node reaches SQL through the failover group's read-write listener, a
        // name known before any SQL resource exists, like the server's.
        const failoverGroupName = pulumi.output(nameSuffix).apply((suffix) => names.failoverGroup(suffix));
        const databaseEndpoint: DatabaseEndpoint = config.standby === undefined ? database : {
            host: failoverGroupName.apply(databaseHost), adminLogin: database.adminLogin, databaseNames: database.databaseNames,
        };
        // People reach the apps at Traffic Manager's name when there is a standby, else at the load
        // balancer's (the same address as the cluster's url output, below).
        const publicAddress = pulumi.all([config.standby === undefined ? loadBalancer.fqdn : pulumi.output(required(dnsLabel, "the DNS label of a stack with a standby")).apply(trafficManagerFqdn), loadBalancer.publicIpAddress])
            .apply(([fqdn, ipAddress]): PublicAddress => ({ fqdn, ipAddress }));
        const agent = new NodeAgent(`${name}-agent`, {
            placement, apps: config.apps, storage: files, database: databaseEndpoint, runtimeIdentities, agent: args.agent, models: args.models,
            serviceConsole: args.serviceConsole, delivery: config.delivery, rollout: config.rollout, dataDiskSizeGb: config.dataDiskSizeGb,
            publicAddress,
        }, primary);

        const rollout = planRollout({
            nodes: plan,
            deployedNodes: args.lastDeployment.nodes,
            deployedModels: args.lastDeployment.models,
            models: Object.fromEntries(Object.values(args.models).map((model) => [model.app, model.sha256])),
            maxUnavailable: config.rollout.maxUnavailable,
            modelChange: config.rollout.modelChange,
            restoring: gate !== undefined,
        });
        const monitoring = new ClusterMonitoring(`${name}-monitoring`, {
            placement, stack: args.stack, stateful, alerts: config.alerts, apps: config.apps.map((app) => app.name), sqlTier: config.sql.tier,
            loadBalancerId: loadBalancer.loadBalancerId, natGatewayIds: network.natGatewayIds, databaseIds: database.databaseIds,
        }, primary);
        const standbyNames = clusterNames(args.stack, "standby");
        const standbyPlan = config.standby === undefined ? [] : planNodes(config.standby.nodeCount, config.zones, standbyNames);
        const standby = config.standby === undefined ? undefined : new StandbyRegion(`${name}-standby`, {
            standby: config.standby, names: standbyNames, tags, zones: config.zones, protect: config.protect, stateful, nameSuffix,
            rdpSourceCidrs, dnsLabel: required(dnsLabel, "the DNS label of a stack with a standby"), sql: config.sql,
            primaryDatabase: database, auditWorkspaceId: auditLog.workspaceId, alertEmails: config.alerts.emails,
            storage: files, deployerCidrs: config.deployerCidrs, softDeleteDays: config.storage.softDeleteDays, secrets, unreadSecrets, retiredSecrets: kept.retired, secretsExpire, agent, runtimeIdentities, nodes: standbyPlan,
            machine: {
                vmSize: config.vmSize, dataDiskSizeGb: config.dataDiskSizeGb, adminUsername: config.adminUsername, adminPassword,
                image: config.delivery.image, encryptionAtHost: config.encryptionAtHost,
            },
            delivery: config.delivery,
            rollout: planRollout({
                nodes: standbyPlan,
                deployedNodes: args.lastDeployment.standbyNodes,
                deployedModels: args.lastDeployment.models,
                models: Object.fromEntries(Object.values(args.models).map((model) => [model.app, model.sha256])),
                maxUnavailable: config.rollout.maxUnavailable,
                // A standby that does not serve stops nothing before a new model: its apps do not run.
                modelChange: config.standby.active ? config.rollout.modelChange : "rolling",
            }),
        }, { parent: this });
        const failoverGroup = standby === undefined ? undefined : new DatabaseFailoverGroup(`${name}-failover-group`, {
            placement, nameSuffix, primaryServerName: database.serverName, partnerServerId: standby.partnerServerId,
            databaseIds: Object.values(database.databaseIds), secondaries: standby.secondaries,
        }, primary);
        // Nodes reach SQL through the group's listener, which exists once the group does: while the
        // group is new (the last deployment had no standby), every agent run waits for it.
        const databaseReady = failoverGroup === undefined || args.lastDeployment.standby !== undefined ? [] : [failoverGroup];

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
            agent, site: { names, keyVault, standby: undefined, delivery: { container: files.delivery, downloads: agent.downloads } }, storage: files, delivery: config.delivery, rollout,
            runtimeIdentities,
            databaseUsers: databaseUsersSpec(database, runtimeIdentities, config.rollout.databaseWaitSeconds),
            monitoring: { component: monitoring, nodeNamePrefix: `${name}-monitor` },
            formerParentsAliased: true,
            restore: latestRestore === undefined || restore === undefined ? undefined : {
                // The stop is declared only by the deployment that restores: declared later, any
                // change of its script (or of a Run Command's inputs) would run it again and stop
                // the apps of a cluster long restored. Retired, it is deleted, which runs nothing.
                stop: latestRestore.performedNow ? { key: `restore-${latestRestore.key}`, apps: latestRestore.apps, nodes: latestRestore.nodes } : undefined,
                restored: restore.restored,
            },
            databaseReady,
        }, primary);
        gate?.open(nodes.restoreStops);
        const standbyNodes = standby?.buildNodes(databaseReady);
        database.finishSignInChange([...nodes.agentRuns, ...(standbyNodes?.agentRuns ?? [])]);

        new AdminPasswordSecret(`${name}-admin-password`, {
            placement, vaultName: keyVault.vaultName, adminPassword, expires: secretsExpire, readers: config.adminPasswordReaders,
        }, primary);

        const entry = standby === undefined ? undefined : new GlobalEntry(`${name}-entry`, {
            placement: standby.placement,
            dnsName: required(dnsLabel, "the DNS label of a stack with a standby"),
            targets: { primary: loadBalancer.fqdn, standby: standby.publicFqdn },
            standbyActive: regions.serving === "standby",
        }, { parent: standby });


        this.publicIpAddress = loadBalancer.publicIpAddress;
        this.url = pulumi.all([entry?.fqdn ?? loadBalancer.fqdn, loadBalancer.publicIpAddress])
            .apply(([fqdn, ipAddress]) => clusterUrl({ fqdn, ipAddress }, config.delivery.certificate !== undefined));
        this.standbyNodes = standbyPlan.map((node) => ({
            name: node.name, computerName: node.computerName, zone: node.zone ?? null, role: node.leader ? "leader" : "follower",
        }));
        this.standby = standby === undefined || failoverGroup === undefined || entry === undefined || config.standby === undefined ? undefined : pulumi
            .all([standby.resourceGroupName, group.name, failoverGroup.groupName, database.serverName, standby.partnerServerName, files.accountName, entry.profileName])
            .apply(([resourceGroupName, primaryResourceGroupName, failoverGroupName, primaryServerName, partnerServerName, storageAccountName, trafficManagerProfileName]) => ({
                location: required(config.standby, "the standby config").location,
                active: regions.serving === "standby",
                resourceGroupName, primaryResourceGroupName, failoverGroupName, primaryServerName, partnerServerName, storageAccountName, trafficManagerProfileName,
                nodes: standbyPlan.map((node) => ({ vmName: standbyNames.vm(node.index), leader: node.leader })),
                apps: config.apps.map((app) => app.name),
            }));
        this.nodes = plan.map((node) => ({
            name: node.name,
            computerName: node.computerName,
            zone: node.zone ?? null,
            role: node.leader ? "leader" : "follower",
        }));
        this.leader = required(plan.find((node) => node.leader), "the leader among the planned nodes").name;
        this.settingsBlobs = Object.fromEntries(nodes.deployments.map((deployment) => [deployment.node.name, deployment.settingsBlobNames]));
        this.sqlServerHost = database.serverHost;
        // What says a restore happened waits until it has: a deployment that fails before that leaves
        // the last deployment's outputs, and the next one restores again rather than switch unrestored.
        const restored = gate === undefined || restore === undefined ? pulumi.output(undefined) : restore.done;
        this.databaseNames = restored.apply(() => database.databaseNames);
        this.databases = restored.apply(() => args.restore.databases);
        this.restore = restore === undefined ? pulumi.output(null) : pulumi.all([restored, restore.record]).apply(([, record]) => record);
        this.restorableSince = pulumi.all([files.restorableSince, pulumi.all(database.restorableSince), pulumi.all(database.restorableSinceByDatabase)])
            .apply(([filesSince, databases, byDatabase]) => ({ files: filesSince, databases, byDatabase }));
        this.storageAccountName = files.accountName;
        this.resourceGroupName = group.name;
        this.keyVaultName = keyVault.vaultName;
        this.updateTags = nodes.updateTags;
        this.workbookUrl = monitoring.workbookUrl;
        this.secretRotation = issue;
        this.sqlAdminLogin = database.adminLogin;
        this.vaultSecrets = kept.declared;
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
