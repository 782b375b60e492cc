import { RegisteredResource } from "./offThread";

/**
 * What a zone outage leaves of a stack, read off the resources the program registered: a pure graph
 * analysis over their inputs and ids.
 *
 * Which resources a zone's loss takes (Microsoft's "Azure services with availability zone support"
 * and each service's reliability page):
 * - a resource with exactly one zone in `zones` (VMs, disks, NAT gateways, public IPs) goes with it;
 * - a NAT gateway or Standard public IP with no zone is placed in one zone Azure picks ("non-zonal"),
 *   so it may go with any zone: it counts as lost in every outage;
 * - a storage account survives on ZRS, GZRS or RA-GZRS and is lost on LRS; a SQL database survives
 *   when zoneRedundant; the load balancer, virtual network, subnets, NSG, private endpoints, private
 *   DNS and Key Vault (zone-redundant in regions with zones) are regional and survive.
 */

const type = {
    publicIp: "azure-native:network:PublicIPAddress",
    loadBalancer: "azure-native:network:LoadBalancer",
    nic: "azure-native:network:NetworkInterface",
    vm: "azure-native:compute:VirtualMachine",
    subnet: "azure-native:network:Subnet",
    natGateway: "azure-native:network:NatGateway",
    privateEndpoint: "azure-native:network:PrivateEndpoint",
    dnsZoneGroup: "azure-native:network:PrivateDnsZoneGroup",
    privateZone: "azure-native:privatedns:PrivateZone",
    zoneLink: "azure-native:privatedns:VirtualNetworkLink",
    sqlServer: "azure-native:sql:Server",
    sqlDatabase: "azure-native:sql:Database",
    storageAccount: "azure-native:storage:StorageAccount",
    vault: "azure-native:keyvault:Vault",
} as const;

const zoneRedundantStorage = new Set(["Standard_ZRS", "Standard_GZRS", "Standard_RAGZRS"]);
/** Types Azure places in a zone of its choice when the program names none. */
const placedByAzure = new Set<string>([type.natGateway, type.publicIp]);

type Props = Record<string, unknown>;
const record = (value: unknown): Props => (typeof value === "object" && value !== null && !Array.isArray(value) ? value as Props : {});
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const idOf = (value: unknown): string => String(record(value)["id"] ?? "");

/** Does the loss of `zone` take `resource` with it? */
export function lostWith(resource: RegisteredResource, zone: string): boolean {
    const zones = list(resource.inputs["zones"]).map(String);
    if (zones.length === 1) {
        return zones[0] === zone;
    }
    if (zones.length === 0 && placedByAzure.has(resource.type)) {
        return true;
    }
    if (resource.type === type.storageAccount) {
        return !zoneRedundantStorage.has(String(record(resource.inputs["sku"])["name"]));
    }
    if (resource.type === type.sqlDatabase) {
        return resource.inputs["zoneRedundant"] !== true;
    }
    return false;
}

/** What is left of a serving path through the cluster, and what is missing. */
export interface ZoneLossVerdict {
    readonly zone: string;
    /** The nodes that still serve: behind the load balancer, with outbound, SQL, storage and Key Vault. */
    readonly servingNodes: readonly string[];
    /** Why each surviving node does not serve; empty lists where all is well. */
    readonly problems: readonly string[];
}

class Survivors {
    private readonly byId = new Map<string, RegisteredResource>();

    constructor(readonly resources: readonly RegisteredResource[]) {
        for (const resource of resources) {
            this.byId.set(resource.id, resource);
        }
    }

    get(id: string): RegisteredResource | undefined {
        return this.byId.get(id);
    }

    ofType(resourceType: string): RegisteredResource[] {
        return this.resources.filter((resource) => resource.type === resourceType);
    }
}

/**
 * For the loss of `zone`: the nodes that still have the whole path public IP -> load balancer -> NIC
 * in the pool -> VM (with its disks), out through its subnet's NAT gateway and that gateway's public
 * IP, to the SQL server (private endpoint, DNS, every database), the storage account (its firewall
 * lets the node's subnet in) and Key Vault (private endpoint, DNS).
 */
export function zoneLoss(all: readonly RegisteredResource[], zone: string): ZoneLossVerdict {
    const left = new Survivors(all.filter((resource) => !lostWith(resource, zone)));
    const problems: string[] = [];

    const servingPools = new Set(left.ofType(type.loadBalancer).flatMap((lb) => {
        const frontendAlive = list(lb.inputs["frontendIPConfigurations"]).some((frontend) => left.get(idOf(record(frontend)["publicIPAddress"])) !== undefined);
        // A pool's id as the rule names it (from the resource group's id) and as the NICs do (from the
        // load balancer's): the same string in Azure, not under mocks.
        return frontendAlive ? list(lb.inputs["loadBalancingRules"]).flatMap((rule) => {
            const poolId = idOf(record(rule)["backendAddressPool"]);
            return [poolId, `${lb.id}/backendAddressPools/${poolId.split("/").pop() ?? ""}`];
        }) : [];
    }));
    if (servingPools.size === 0) {
        problems.push("no load balancer with a surviving public IP");
    }

    const reachThroughPrivateEndpoint = (target: RegisteredResource | undefined, what: string): boolean => {
        if (target === undefined) {
            problems.push(`${what} is lost`);
            return false;
        }
        const endpoints = left.ofType(type.privateEndpoint).filter((endpoint) =>
            list(endpoint.inputs["privateLinkServiceConnections"]).some((connection) => record(connection)["privateLinkServiceId"] === target.id)
            && left.get(idOf(endpoint.inputs["subnet"])) !== undefined);
        const resolved = endpoints.some((endpoint) => left.ofType(type.dnsZoneGroup)
            .filter((group) => group.inputs["privateEndpointName"] === endpoint.inputs["privateEndpointName"])
            .flatMap((group) => list(group.inputs["privateDnsZoneConfigs"]).map((config) => left.get(String(record(config)["privateDnsZoneId"]))))
            .some((dnsZone) => dnsZone !== undefined && left.ofType(type.zoneLink).some((link) => link.inputs["privateZoneName"] === dnsZone.inputs["privateZoneName"])));
        if (!resolved) {
            problems.push(`${what} has no surviving private endpoint whose DNS zone the network resolves`);
        }
        return resolved;
    };
    const sqlServers = all.filter((resource) => resource.type === type.sqlServer);
    const sqlReachable = sqlServers.length > 0 && sqlServers.every((server) => reachThroughPrivateEndpoint(left.get(server.id), `SQL server ${server.name}`));
    const lostDatabases = all.filter((resource) => resource.type === type.sqlDatabase && left.get(resource.id) === undefined);
    for (const database of lostDatabases) {
        problems.push(`database ${database.name} is lost`);
    }
    const vaults = all.filter((resource) => resource.type === type.vault);
    const vaultReachable = vaults.length > 0 && vaults.every((vault) => reachThroughPrivateEndpoint(left.get(vault.id), `Key Vault ${vault.name}`));
    const accounts = left.ofType(type.storageAccount);
    if (accounts.length === 0) {
        problems.push("the storage account is lost");
    }

    const servingNodes = left.ofType(type.vm).flatMap((vm) => {
        const nodeProblems: string[] = [];
        const disksAlive = list(record(vm.inputs["storageProfile"])["dataDisks"]).every((disk) => left.get(idOf(record(disk)["managedDisk"])) !== undefined);
        const nics = list(record(vm.inputs["networkProfile"])["networkInterfaces"]).map((nic) => left.get(idOf(nic)));
        const configurations = nics.flatMap((nic) => (nic === undefined ? [] : list(nic.inputs["ipConfigurations"]).map(record)));
        const inPool = configurations.some((configuration) => list(configuration["loadBalancerBackendAddressPools"]).some((pool) => servingPools.has(idOf(pool))));
        const subnets = configurations.map((configuration) => left.get(idOf(configuration["subnet"]))).filter((subnet): subnet is RegisteredResource => subnet !== undefined);
        const outbound = subnets.some((subnet) => {
            const nat = left.get(idOf(subnet.inputs["natGateway"]));
            return nat !== undefined && list(nat.inputs["publicIpAddresses"]).some((ip) => left.get(idOf(ip)) !== undefined);
        });
        const storageLetsIn = accounts.some((account) => list(record(account.inputs["networkRuleSet"])["virtualNetworkRules"])
            .some((rule) => subnets.some((subnet) => subnet.id === record(rule)["virtualNetworkResourceId"])));
        if (!disksAlive) nodeProblems.push("its data disk is lost");
        if (!inPool) nodeProblems.push("it is in no surviving load balancer's pool");
        if (!outbound) nodeProblems.push("its subnet has no surviving NAT gateway with a surviving public IP");
        if (!storageLetsIn) nodeProblems.push("the storage firewall does not let its subnet in");
        problems.push(...nodeProblems.map((problem) => `${vm.name}: ${problem}`));
        return nodeProblems.length === 0 && sqlReachable && lostDatabases.length === 0 && vaultReachable ? [vm.name] : [];
    });
    if (servingNodes.length === 0) {
        problems.push(`no node serves once zone ${zone} is lost`);
    }
    return { zone, servingNodes, problems };
}
