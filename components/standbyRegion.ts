import * as resources from "@pulumi/azure-native/resources";
import * as sql from "@pulumi/azure-native/sql";
import * as pulumi from "@pulumi/pulumi";
import { SqlConfig, StandbyConfig, Zone } from "./config/contract";
import { DeliveryConfig } from "./config/delivery";
import { DeliveryStorage } from "./deliveryStorage";
import { auditServer, ClusterDatabase, detectThreats } from "./database";
import { ClusterKeyVault } from "./keyVault";
import { ClusterLoadBalancer } from "./loadBalancer";
import { ClusterNetwork } from "./network";
import { NodeAgent } from "./nodeAgent";
import { NodeMachineSpec } from "./nodeDeployment";
import { ClusterNodes } from "./nodes";
import { Placement } from "./placement";
import { databaseSku } from "./plan/databaseSku";
import { ClusterNames } from "./plan/names";
import { standbyAddressSpace } from "./plan/nodeSubnets";
import { NodePlan } from "./plan/nodes";
import { RolloutPlan } from "./plan/rollout";
import { PrivateEndpoint, privateLinkTargets } from "./privateEndpoint";
import { required } from "./required";
import { RuntimeIdentities } from "./runtimeIdentities";
import { StatefulOptions } from "./statefulOptions";
import { ClusterStorage } from "./storage";

const gigabyte = 1024 * 1024 * 1024;

export interface StandbyRegionArgs {
    readonly standby: StandbyConfig;
    readonly names: ClusterNames;
    readonly tags: Readonly<Record<string, string>>;
    readonly zones: readonly Zone[];
    readonly protect: boolean;
    readonly stateful: StatefulOptions;
    readonly nameSuffix: pulumi.Input<string>;
    readonly rdpSourceCidrs: readonly string[];
    /** The public IP's DNS label: the same as the stack region's (the names differ by region). */
    readonly dnsLabel: pulumi.Input<string>;
    readonly sql: SqlConfig;
    /** The stack region's server and databases, which the partner replicates. */
    readonly primaryDatabase: ClusterDatabase;
    /** The partner audits and detects threats as the primary does. */
    readonly auditWorkspaceId: pulumi.Input<string>;
    readonly alertEmails: readonly string[];
    /** The apps' files' account: the standby reaches it through a private endpoint of its own. */
    readonly storage: ClusterStorage;
    /** Public addresses `pulumi up` runs from: it uploads the standby's delivery blobs. */
    readonly deployerCidrs: readonly string[];
    /** `storage.softDeleteDays`, for the standby's delivery account. */
    readonly softDeleteDays: number;
    /** The secrets the standby's nodes read, written to the standby's own vault. */
    readonly secrets: Readonly<Record<string, pulumi.Input<string>>>;
    /** Secrets whose value is not read this run: kept as the vault has them (see `ClusterKeyVault`). */
    readonly unreadSecrets: readonly string[];
    /** The cluster's retired secrets, kept declared as in the primary's vault. */
    readonly retiredSecrets: readonly string[];
    readonly secretsExpire: pulumi.Input<number>;
    readonly agent: NodeAgent;
    /** The apps' identities: the standby's VMs carry them too; the SQL admin's stays in the stack's region. */
    readonly runtimeIdentities: RuntimeIdentities;
    readonly nodes: readonly NodePlan[];
    readonly machine: Omit<NodeMachineSpec, "scaleSetId" | "subnetId" | "backendPoolId" | "dataDiskSizeGb"> & { readonly dataDiskSizeGb: number };
    readonly delivery: DeliveryConfig;
    readonly rollout: RolloutPlan;
}

/**
 * The standby region: the same parts as the stack's own region, placed in a resource group of that
 * region (a region that is down may leave its resource groups' resources unchangeable: MicrosoftDocs/
 * azure-docs, `articles/azure-resource-manager/management/overview.md`, "Resource groups"). Its
 * network (10.43/16), load balancer, a Key Vault of its own that its nodes read alone, the SQL partner
 * server with a zone-redundant geo-secondary of every app's database and a private endpoint in the
 * SQL zone both regions share, a private endpoint to the storage account (which reconnects to the
 * account's new primary after a storage failover: `articles/storage/common/storage-private-endpoints.md`),
 * an account of its own for what its nodes download (`DeliveryStorage`: writing a blob calls the
 * account's resource group, which must not be the lost region's), and, unless it is a cold standby,
 * its nodes: apps installed, never started while the stack's region serves.
 */
export class StandbyRegion extends pulumi.ComponentResource {
    readonly placement: Placement;
    readonly partnerServerId: pulumi.Output<string>;
    readonly partnerServerName: pulumi.Output<string>;
    readonly secondaries: readonly sql.Database[];
    /** The load balancer's public IP's DNS name, which the public entry targets. */
    readonly publicFqdn: pulumi.Output<string | undefined>;
    readonly keyVault: ClusterKeyVault;
    readonly resourceGroupName: pulumi.Output<string>;
    private readonly name: string;
    private readonly args: StandbyRegionArgs;
    private readonly network: ClusterNetwork;
    private readonly backendPoolId: pulumi.Output<string>;
    private readonly delivery: DeliveryStorage;
    private built: ClusterNodes | undefined;

    constructor(name: string, args: StandbyRegionArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mendix:cluster:StandbyRegion", name, {}, opts);
        this.name = name;
        this.args = args;
        const { names, standby } = args;
        const group = new resources.ResourceGroup(`${name}-rg`, {
            resourceGroupName: names.resourceGroup,
            location: standby.location,
            tags: args.tags,
        }, { parent: this, protect: args.protect });
        const placement: Placement = { resourceGroupName: group.name, resourceGroupId: group.id, location: standby.location, names, tags: args.tags };
        this.placement = placement;
        this.resourceGroupName = group.name;

        const network = new ClusterNetwork(`${name}-network`, { placement, rdpSourceCidrs: args.rdpSourceCidrs, zones: args.zones, addressSpace: standbyAddressSpace }, { parent: this });
        this.network = network;
        const loadBalancer = new ClusterLoadBalancer(`${name}-lb`, { placement, zones: args.zones, dnsLabel: args.dnsLabel }, { parent: this });
        this.publicFqdn = loadBalancer.fqdn;
        this.backendPoolId = loadBalancer.backendPoolId;

        this.keyVault = new ClusterKeyVault(`${name}-kv`, {
            placement, nameSuffix: args.nameSuffix, endpointSubnetId: network.endpointSubnetId, virtualNetworkId: network.virtualNetworkId,
            secretsExpire: args.secretsExpire, protect: args.protect, secrets: args.secrets, unreadSecrets: args.unreadSecrets, retiredSecrets: args.retiredSecrets,
        }, { parent: this });

        // The partner signs in with the primary's admin login and password, and has its Entra admin: a
        // failover moves the databases, and the runtime keeps its login or its identity's contained user
        // (the secondary's logins must match the primary's: MicrosoftDocs/sql-docs,
        // `azure-sql/database/auto-failover-group-configure-sql-db.md`, "Prerequisites").
        const partner = new sql.Server(`${name}-sql-server`, {
            resourceGroupName: placement.resourceGroupName,
            location: placement.location,
            tags: placement.tags,
            serverName: pulumi.output(args.nameSuffix).apply((suffix) => names.sqlServer(suffix)),
            version: "12.0",
            ...args.primaryDatabase.serverSignIn,
            minimalTlsVersion: "1.2",
            publicNetworkAccess: "Disabled",
        }, { parent: this, ...args.stateful });
        args.primaryDatabase.addPartner(this, `${name}-sql`, placement, partner);
        auditServer(this, `${name}-sql`, placement, partner, args.auditWorkspaceId);
        detectThreats(this, `${name}-sql`, placement, partner, args.alertEmails);
        this.partnerServerId = partner.id;
        this.partnerServerName = partner.name;
        new PrivateEndpoint(`${name}-sql-private`, {
            placement, target: privateLinkTargets.sql, resourceId: partner.id, subnetId: network.endpointSubnetId,
            virtualNetworkId: network.virtualNetworkId, sharedZone: args.primaryDatabase.privateDnsZone,
        }, { parent: this });

        // Created as geo-secondaries before the group, zone-redundant where the region has zones: a
        // secondary the group makes itself is not (MicrosoftDocs/azure-docs, `articles/reliability/reliability-sql-database.md`).
        // One per app, of the database it uses and under that database's name (a geo-secondary has its primary's name).
        this.secondaries = Object.entries(args.primaryDatabase.databaseNames).map(([app, databaseName]) => new sql.Database(`${name}-sql-${app}`, {
            resourceGroupName: placement.resourceGroupName,
            location: placement.location,
            tags: placement.tags,
            serverName: partner.name,
            databaseName,
            createMode: "Secondary",
            secondaryType: "Geo",
            sourceDatabaseId: required(args.primaryDatabase.databaseIds[app], `the database of app ${app}`),
            sku: databaseSku(args.sql.tier, args.sql.sku),
            maxSizeBytes: args.sql.maxSizeGb * gigabyte,
            zoneRedundant: args.zones.length > 0,
        }, { parent: this, ...args.stateful }));

        const filesEndpoint = new PrivateEndpoint(`${name}-blob-private`, {
            placement, target: privateLinkTargets.blob, resourceId: args.storage.accountId, subnetId: network.endpointSubnetId,
            virtualNetworkId: network.virtualNetworkId,
        }, { parent: this });
        this.delivery = new DeliveryStorage(`${name}-delivery`, {
            placement, nameSuffix: args.nameSuffix, deployerCidrs: args.deployerCidrs, softDeleteDays: args.softDeleteDays,
            endpoint: { subnetId: network.endpointSubnetId, virtualNetworkId: network.virtualNetworkId, zone: filesEndpoint.zone },
        }, { parent: this });

        this.registerOutputs({ partnerServerId: this.partnerServerId });
    }

    /** The standby's nodes; undefined for a cold standby, or before `buildNodes`. */
    get nodes(): ClusterNodes | undefined {
        return this.built;
    }

    /**
     * Registers the standby's nodes, unless it is a cold standby, once what their agent runs wait
     * for exists (the failover group, whose listener their settings name). Their settings say
     * `serving: false` whether or not the standby is active: what serves is what `npm run failover`
     * told each node (agent/README.md, "Regional failover"), so activating the standby rewrites no
     * blob. Their blobs and downloads are in the standby's delivery account: an edit of their
     * settings, or a cold standby's nodes built, calls nothing in the stack's region.
     */
    buildNodes(databaseReady: readonly pulumi.Resource[]): ClusterNodes | undefined {
        if (this.built !== undefined) {
            throw new Error("the standby's nodes are built twice");
        }
        const { args, network, delivery } = this;
        if (args.nodes.length === 0) {
            return undefined;
        }
        const downloads = args.agent.upload(`${this.name}-delivery`, delivery.container, delivery);
        this.built = new ClusterNodes(`${this.name}-nodes`, {
            placement: this.placement,
            nodes: args.nodes,
            zones: args.zones,
            machine: { ...args.machine, subnetIdOf: (node) => network.subnetIdOf(node), backendPoolId: this.backendPoolId },
            agent: args.agent,
            site: { names: args.names, keyVault: this.keyVault, standby: { serving: false }, delivery: { container: delivery.container, downloads } },
            storage: args.storage,
            delivery: args.delivery,
            rollout: args.rollout,
            runtimeIdentities: args.runtimeIdentities,
            databaseUsers: undefined,
            monitoring: undefined,
            formerParentsAliased: false,
            restore: undefined,
            databaseReady,
        }, { parent: this });
        return this.built;
    }
}
