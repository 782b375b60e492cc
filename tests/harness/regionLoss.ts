import { parse } from "yaml";
import { catalog } from "../../components/catalog";
import { RegisteredResource } from "./offThread";

/**
 * What the loss of a whole region leaves of a stack with a standby, read off the resources the
 * program registered. Which resources a region's loss takes:
 * - every resource placed in that region (`location`), and every resource without a location of its
 *   own in that region's resource group, but
 * - private DNS zones and the Traffic Manager profile are global services whose answers do not depend
 *   on their resource group's region (only changes to them may: MicrosoftDocs/azure-docs,
 *   `articles/azure-resource-manager/management/overview.md`), and
 * - a storage account survives outside that region, and a geo-redundant one (GZRS or RA-GZRS) in it
 *   survives in the paired region once failed over.
 * A node reaches the apps' files in the account holding the `files-*` containers; it downloads its
 * settings, the agent and the models from the account its settings blobs are in, which `pulumi up`
 * writes through that account's resource group (azure-native's storage.Blob calls ListKeys there:
 * provider custom_storage_azidentity.go), so that resource group must not be the lost one.
 */

const type = {
    profile: catalog.trafficManagerProfile.token,
    loadBalancer: catalog.loadBalancer.token,
    publicIp: catalog.publicIpAddress.token,
    vm: catalog.virtualMachine.token,
    privateEndpoint: catalog.privateEndpoint.token,
    dnsZoneGroup: catalog.privateDnsZoneGroup.token,
    privateZone: catalog.privateZone.token,
    zoneLink: catalog.virtualNetworkLink.token,
    sqlDatabase: catalog.sqlDatabase.token,
    failoverGroup: catalog.sqlFailoverGroup.token,
    storageAccount: catalog.storageAccount.token,
    vault: catalog.keyVault.token,
    blob: catalog.blob.token,
    container: catalog.blobContainer.token,
    extension: catalog.virtualMachineExtension.token,
} as const;

const geoRedundant = new Set(["Standard_GZRS", "Standard_RAGZRS"]);
type Props = Record<string, unknown>;
const record = (value: unknown): Props => (typeof value === "object" && value !== null && !Array.isArray(value) ? value as Props : {});
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const idOf = (value: unknown): string => String(record(value)["id"] ?? "");

export function lostWithRegion(resource: RegisteredResource, region: string, resourceGroup: string): boolean {
    if (resource.type === type.privateZone || resource.type === type.zoneLink || resource.type === type.profile) {
        return false;
    }
    if (resource.type === type.storageAccount) {
        return resource.inputs["location"] === region && !geoRedundant.has(String(record(resource.inputs["sku"])["name"]));
    }
    const location = resource.inputs["location"];
    if (typeof location === "string") {
        return location === region;
    }
    return resource.inputs["resourceGroupName"] === resourceGroup;
}

export interface RegionLossVerdict {
    /** The nodes the public entry leads to, that reach SQL, storage and their vault. */
    readonly servingNodes: readonly string[];
    readonly problems: readonly string[];
}

/**
 * Follows what is left from the public entry to a node: the Traffic Manager profile's enabled
 * endpoints, each the DNS name of a surviving public IP in front of a surviving load balancer; the VMs in its pool;
 * each one's outbound NAT; SQL through a failover group whose partner survives, reached through a
 * private endpoint in the node's network with the shared zone linked; the storage account through a
 * private endpoint in that network; and the vault the node's settings name, through its endpoint.
 * A standby node's apps run only once the failover command has told it to serve (its run-state
 * override, which outlasts the settings): `startedByFailover` names the VMs it started.
 */
export function regionLoss(all: readonly RegisteredResource[], region: string, resourceGroup: string, startedByFailover: readonly string[] = []): RegionLossVerdict {
    const left = all.filter((resource) => !lostWithRegion(resource, region, resourceGroup));
    const byId = new Map(left.map((resource) => [resource.id, resource]));
    const ofType = (resourceType: string) => left.filter((resource) => resource.type === resourceType);
    const problems: string[] = [];

    // An external endpoint names a public IP by the FQDN Azure gave its DNS label.
    const ipsByFqdn = new Map(ofType(type.publicIp).map((ip) => [String(record(ip.outputs["dnsSettings"])["fqdn"]), ip.id]));
    const targetIps = ofType(type.profile).flatMap((profile) => list(profile.inputs["endpoints"]).map(record))
        .filter((endpoint) => endpoint["endpointStatus"] === "Enabled")
        .flatMap((endpoint) => {
            const ip = ipsByFqdn.get(String(endpoint["target"]));
            return ip === undefined ? [] : [ip];
        });
    if (targetIps.length === 0) {
        problems.push("the public entry has no enabled endpoint left");
    }
    const pools = new Set(ofType(type.loadBalancer)
        .filter((lb) => list(lb.inputs["frontendIPConfigurations"]).some((frontend) => targetIps.includes(idOf(record(frontend)["publicIPAddress"]))))
        .flatMap((lb) => list(record(lb.outputs)["backendAddressPools"]).map(idOf)));

    const networkOf = (subnetId: string) => subnetId.split("/subnets/")[0] ?? "";
    const reachable = (targetId: string, networkId: string, what: string): boolean => {
        const endpoint = ofType(type.privateEndpoint).find((candidate) =>
            list(candidate.inputs["privateLinkServiceConnections"]).some((connection) => record(connection)["privateLinkServiceId"] === targetId)
            && networkOf(idOf(candidate.inputs["subnet"])) === networkId);
        const zones = endpoint === undefined ? [] : ofType(type.dnsZoneGroup)
            .filter((group) => group.inputs["privateEndpointName"] === endpoint.inputs["privateEndpointName"] && group.inputs["resourceGroupName"] === endpoint.inputs["resourceGroupName"])
            .flatMap((group) => list(group.inputs["privateDnsZoneConfigs"]).map((config) => String(record(config)["privateDnsZoneId"])));
        const linked = zones.some((zoneId) => ofType(type.zoneLink).some((link) =>
            idOf(link.inputs["virtualNetwork"]) === networkId && zoneId.endsWith(`/privateDnsZones/${String(link.inputs["privateZoneName"])}`)));
        if (!linked) {
            problems.push(`${what} has no private endpoint in network ${networkId.split("/").pop() ?? ""} whose DNS zone that network resolves`);
        }
        return linked;
    };

    const groups = all.filter((resource) => resource.type === type.failoverGroup);
    const partners = groups.flatMap((group) => list(group.inputs["partnerServers"]).map(idOf)).map((id) => byId.get(id)).filter((server) => server !== undefined);
    if (partners.length === 0) {
        problems.push("no failover group with a surviving partner server");
    }
    const databases = ofType(type.sqlDatabase).filter((database) => partners.some((server) => server?.name !== undefined && database.inputs["serverName"] === server.inputs["serverName"]));
    if (databases.length === 0) {
        problems.push("no database survives on the partner server");
    }
    const filesAccountName = all.find((container) => container.type === type.container && String(container.inputs["containerName"]).startsWith("files-"))?.inputs["accountName"];
    const account = ofType(type.storageAccount).find((candidate) => candidate.inputs["accountName"] === filesAccountName);
    if (account === undefined) {
        problems.push("the storage account is lost");
    }

    const servingNodes = ofType(type.vm).flatMap((vm) => {
        const nic = byId.get(idOf(list(record(vm.inputs["networkProfile"])["networkInterfaces"])[0]));
        const configuration = record(list(nic?.inputs["ipConfigurations"])[0]);
        const subnet = byId.get(idOf(configuration["subnet"]));
        const before = problems.length;
        if (!list(configuration["loadBalancerBackendAddressPools"]).some((pool) => pools.has(idOf(pool)))) {
            problems.push(`${vm.name}: not behind an enabled endpoint of the public entry`);
            return [];
        }
        if (subnet === undefined || !byId.has(idOf(subnet.inputs["natGateway"]))) {
            problems.push(`${vm.name}: no outbound path`);
        }
        const networkId = networkOf(subnet?.id ?? "");
        partners.forEach((server) => server !== undefined && reachable(server.id, networkId, `SQL partner ${server.name}`));
        if (account !== undefined) {
            reachable(account.id, networkId, "the storage account");
        }
        if (account === undefined) {
            problems.push(`${vm.name}: no storage account to reach`);
        }
        if (!startedByFailover.includes(vm.name) && settingsOfNode(vm, all).some((document) => document.standby?.serving === false)) {
            problems.push(`${vm.name}: its apps stand by until a failover starts them`);
        }
        if (partners.length === 0 || databases.length === 0) {
            problems.push(`${vm.name}: no database to reach`);
        }
        const delivery = deliveryOfNode(vm, all);
        const deliveryAccount = ofType(type.storageAccount).find((candidate) => delivery.accounts.includes(String(candidate.inputs["accountName"])));
        if (delivery.accounts.length !== 1 || deliveryAccount === undefined) {
            problems.push(`${vm.name}: its settings blobs are in ${delivery.accounts.join(", ") || "no account"}, not in one account that survives`);
        } else {
            reachable(deliveryAccount.id, networkId, `the delivery account ${String(deliveryAccount.inputs["accountName"])}`);
            const elsewhere = delivery.downloads.filter((uri) => !uri.startsWith(`https://${String(deliveryAccount.inputs["accountName"])}.blob.core.windows.net/`));
            if (elsewhere.length > 0) {
                problems.push(`${vm.name}: downloads ${elsewhere.join(", ")} from another account than its settings blobs'`);
            }
        }
        if (delivery.resourceGroups.includes(resourceGroup)) {
            problems.push(`${vm.name}: its settings blobs are written through resource group ${resourceGroup}, which is lost`);
        }
        const vault = vaultOfNode(vm, all);
        if (vault === undefined || !byId.has(vault.id)) {
            problems.push(`${vm.name}: its settings name a vault that is lost`);
        } else {
            reachable(vault.id, networkId, `Key Vault ${vault.name}`);
        }
        return problems.length === before ? [vm.name] : [];
    });
    return { servingNodes, problems };
}

export interface SettingsDocument {
    readonly node: { readonly computerName: string; readonly leader: boolean };
    readonly runtimeSettings: Readonly<Record<string, string>>;
    readonly customSettings: Readonly<Record<string, string>>;
    readonly standby?: { readonly serving: boolean };
}

/** The settings blobs of a node, found by the computer name its VM and their documents share. */
function settingsBlobsOfNode(vm: RegisteredResource, all: readonly RegisteredResource[]): { blob: RegisteredResource; document: SettingsDocument }[] {
    const computerName = record(vm.inputs["osProfile"])["computerName"];
    return all.filter((resource) => resource.type === type.blob && resource.inputs["contentType"] === "application/yaml")
        .map((blob) => ({ blob, document: parse(String(record(blob.inputs["source"])["text"])) as SettingsDocument }))
        .filter(({ document }) => document.node.computerName === computerName);
}

/** The settings documents of a node. */
export function settingsOfNode(vm: RegisteredResource, all: readonly RegisteredResource[]): SettingsDocument[] {
    return settingsBlobsOfNode(vm, all).map(({ document }) => document);
}

/** Where a node downloads from: the accounts and resource groups of its settings blobs, and its agent run's file URIs. */
export interface NodeDelivery {
    readonly accounts: readonly string[];
    readonly resourceGroups: readonly string[];
    readonly downloads: readonly string[];
}

export function deliveryOfNode(vm: RegisteredResource, all: readonly RegisteredResource[]): NodeDelivery {
    const blobs = settingsBlobsOfNode(vm, all).map(({ blob }) => blob);
    const agentRun = all.find((resource) => resource.type === type.extension && resource.inputs["type"] === "CustomScriptExtension"
        && resource.inputs["vmName"] === vm.inputs["vmName"] && resource.inputs["resourceGroupName"] === vm.inputs["resourceGroupName"]);
    return {
        accounts: [...new Set(blobs.map((blob) => String(blob.inputs["accountName"])))],
        resourceGroups: [...new Set(blobs.map((blob) => String(blob.inputs["resourceGroupName"])))],
        downloads: list(record(agentRun?.inputs["settings"])["fileUris"]).map(String),
    };
}

/** The vault a node's settings blobs point their secret references at. */
function vaultOfNode(vm: RegisteredResource, all: readonly RegisteredResource[]): RegisteredResource | undefined {
    const reference = settingsOfNode(vm, all)[0]?.runtimeSettings["DatabasePassword"] ?? "";
    const vaultName = /https:\/\/([^.]+)\.vault\.azure\.net/.exec(reference)?.[1];
    return all.find((resource) => resource.type === type.vault && resource.inputs["vaultName"] === vaultName);
}
