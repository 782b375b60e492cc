import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { parse } from "yaml";
import { byType, RegisteredResource, runStack, StackRun } from "../harness/offThread";
import { offlinePublicIp } from "../../offline/azureMocks";
import { azureId } from "../harness/azureIds";

const type = {
    vm: "azure-native:compute:VirtualMachine",
    scaleSet: "azure-native:compute:VirtualMachineScaleSet",
    disk: "azure-native:compute:Disk",
    nic: "azure-native:network:NetworkInterface",
    extension: "azure-native:compute:VirtualMachineExtension",
    lb: "azure-native:network:LoadBalancer",
    publicIp: "azure-native:network:PublicIPAddress",
    nsg: "azure-native:network:NetworkSecurityGroup",
    subnet: "azure-native:network:Subnet",
    nat: "azure-native:network:NatGateway",
    account: "azure-native:storage:StorageAccount",
    blobService: "azure-native:storage:BlobServiceProperties",
    container: "azure-native:storage:BlobContainer",
    blob: "azure-native:storage:Blob",
    sqlServer: "azure-native:sql:Server",
    database: "azure-native:sql:Database",
    privateEndpoint: "azure-native:network:PrivateEndpoint",
    firewallRule: "azure-native:sql:FirewallRule",
    roleAssignment: "azure-native:authorization:RoleAssignment",
} as const;

type SettingsDocument = {
    node: { name: string; index: number; leader: boolean };
    app: { name: string };
    runtimeSettings: Record<string, string>;
    customSettings: Record<string, string>;
};

export function settingsDocuments(run: StackRun): SettingsDocument[] {
    return byType(run, type.blob)
        .filter((blob) => String(blob.inputs["blobName"]).startsWith("nodes/"))
        .map((blob) => parse(String((blob.inputs["source"] as { text: string }).text)) as SettingsDocument);
}

function only(resources: RegisteredResource[]): RegisteredResource {
    assert.equal(resources.length, 1);
    return resources[0] as RegisteredResource;
}

const input = (resource: RegisteredResource, key: string) => resource.inputs[key] as never;

describe("the cluster per node count", () => {
    for (const nodeCount of [1, 2, 5]) {
        it(`registers one VM, data disk, NIC, agent and monitoring extension, role assignment and settings blob per app for each of ${nodeCount} node(s)`, async () => {
            const run = await runStack({ config: { nodeCount, apps: [{ name: "crm" }, { name: "hr", hostName: "hr.example.com" }] } });
            for (const perNode of [type.vm, type.disk, type.nic]) {
                assert.equal(byType(run, perNode).length, nodeCount, perNode);
            }
            const extensionKinds = byType(run, type.extension).map((extension) => extension.inputs["type"]).sort();
            assert.deepEqual(extensionKinds, [...Array(nodeCount).fill("AzureMonitorWindowsAgent"), ...Array(nodeCount).fill("CustomScriptExtension")]);
            assert.equal(byType(run, type.roleAssignment).length, nodeCount * 3 + 1, "per node: settings container, SQL password, storage key; the admin password's reader");
            assert.equal(settingsDocuments(run).length, nodeCount * 2);
            for (const shared of [type.scaleSet, type.lb, type.nsg, type.account, type.sqlServer]) {
                assert.equal(byType(run, shared).length, 1, shared);
            }
            // Per zone (three by default): a subnet and a NAT gateway; SQL's and Key Vault's private endpoints.
            for (const perZone of [type.subnet, type.nat]) {
                assert.equal(byType(run, perZone).length, 3, perZone);
            }
            assert.equal(byType(run, type.privateEndpoint).length, 2);
            assert.equal(byType(run, type.database).length, 2);
            assert.equal(byType(run, type.publicIp).length, 4, "the load balancer's frontend and each NAT gateway's");
        });

        it(`makes node-0 the only leader of ${nodeCount} node(s), in the blobs and the outputs`, async () => {
            const run = await runStack({ config: { nodeCount } });
            const documents = settingsDocuments(run);
            const leaders = documents.filter((document) => document.customSettings["com.mendix.core.isClusterSlave"] !== "true");
            assert.deepEqual(leaders.map((document) => document.node.name), ["node-0"]);
            assert.ok(leaders.every((document) => document.node.leader));
            assert.equal(documents.filter((document) => document.node.leader).length, 1);
            assert.equal(run.outputs["leader"], "node-0");
            const roles = (run.outputs["nodes"] as { role: string }[]).map((node) => node.role);
            assert.deepEqual(roles, Array.from({ length: nodeCount }, (_, index) => (index === 0 ? "leader" : "follower")));
        });
    }
});

describe("the prod stack", () => {
    let run: StackRun;
    before(async () => {
        run = await runStack({ stack: "prod" });
    });

    it("spreads three nodes over zones 1-3, each data disk in its VM's zone", () => {
        const vms = byType(run, type.vm);
        assert.deepEqual(vms.map((vm) => input(vm, "zones")), [["1"], ["2"], ["3"]]);
        assert.deepEqual(byType(run, type.disk).map((disk) => input(disk, "zones")), [["1"], ["2"], ["3"]]);
        assert.deepEqual((run.outputs["nodes"] as { zone: string }[]).map((node) => node.zone), ["1", "2", "3"]);
    });

    it("makes every VM a member of one Flexible scale set over the same zones", () => {
        const scaleSet = only(byType(run, type.scaleSet));
        assert.equal(input(scaleSet, "orchestrationMode"), "Flexible");
        assert.deepEqual(input(scaleSet, "zones"), ["1", "2", "3"]);
        for (const vm of byType(run, type.vm)) {
            assert.deepEqual(input(vm, "virtualMachineScaleSet"), { id: azureId("prod", "Microsoft.Compute/virtualMachineScaleSets/mx-prod-vmss") });
            assert.equal((input(vm, "hardwareProfile") as { vmSize: string }).vmSize, "Standard_D4s_v5");
            assert.equal((input(vm, "storageProfile") as { dataDisks: { lun: number }[] }).dataDisks[0]?.lun, 0);
            const identity = input(vm, "identity") as { type: string; userAssignedIdentities: string[] };
            assert.equal(identity.type, "UserAssigned");
            assert.equal(identity.userAssignedIdentities.length, 1);
        }
    });

    it("gives no node a public IP and puts every NIC in the load balancer's pool, the one its rules send to", () => {
        const lb = only(byType(run, type.lb));
        const poolId = azureId("prod", "Microsoft.Network/loadBalancers/mx-prod-lb/backendAddressPools/nodes");
        const pools = lb.outputs["backendAddressPools"] as { id: string }[];
        assert.deepEqual(pools.map((pool) => pool.id), [poolId]);
        const rules = input(lb, "loadBalancingRules") as { backendAddressPool: { id: string } }[];
        assert.deepEqual(rules.map((rule) => rule.backendAddressPool.id), [poolId, poolId]);
        assert.equal(byType(run, type.nic).length, 3);
        for (const nic of byType(run, type.nic)) {
            const [config] = input(nic, "ipConfigurations") as { publicIPAddress?: unknown; loadBalancerBackendAddressPools: { id: string }[] }[];
            assert.equal(config?.publicIPAddress, undefined);
            assert.deepEqual(config?.loadBalancerBackendAddressPools, [{ id: poolId }]);
        }
    });

    it("has a Standard load balancer with an HTTP and an HTTPS probe and a rule for each, no sticky sessions", () => {
        const lb = only(byType(run, type.lb));
        assert.equal((input(lb, "sku") as { name: string }).name, "Standard");
        const probes = input(lb, "probes") as { name: string; protocol: string; port: number }[];
        assert.deepEqual(probes.map((probe) => [probe.name, probe.protocol, probe.port]), [["http", "Http", 80], ["https", "Https", 443]]);
        const rules = input(lb, "loadBalancingRules") as { frontendPort: number; backendPort: number; probe: { id: string }; loadDistribution: string }[];
        assert.deepEqual(rules.map((rule) => [rule.frontendPort, rule.backendPort, rule.probe.id.split("/").pop(), rule.loadDistribution]),
            [[80, 80, "http", "Default"], [443, 443, "https", "Default"]]);
        assert.equal((input(lb, "backendAddressPools") as unknown[]).length, 1);
    });

    it("puts the frontend on a zone-redundant Standard public IP", () => {
        const frontend = byType(run, type.publicIp).find((ip) => String(input(ip, "publicIpAddressName")).endsWith("-lb-ip"));
        assert.ok(frontend);
        assert.deepEqual(input(frontend, "zones"), ["1", "2", "3"]);
        assert.equal((input(frontend, "sku") as { name: string }).name, "Standard");
    });

    it("lets in 80 and 443, no RDP, and sends the nodes out through their zone's NAT gateway", () => {
        const rules = input(only(byType(run, type.nsg)), "securityRules") as { destinationPortRange: string }[];
        assert.deepEqual(rules.map((rule) => rule.destinationPortRange), ["80", "443"]);
        const subnets = byType(run, type.subnet);
        assert.deepEqual(subnets.map((subnet) => [input(subnet, "subnetName"), input(subnet, "addressPrefix")]),
            [["nodes", "10.42.1.0/24"], ["nodes-zone-2", "10.42.2.0/24"], ["nodes-zone-3", "10.42.3.0/24"]]);
        assert.deepEqual(subnets.map((subnet) => (input(subnet, "natGateway") as { id: string }).id),
            ["1", "2", "3"].map((zone) => azureId("prod", `Microsoft.Network/natGateways/mx-prod-nat-${zone}`)));
        assert.ok(subnets.every((subnet) => input(subnet, "defaultOutboundAccess") === false));
        assert.deepEqual(byType(run, type.nat).map((nat) => ({
            id: nat.id, natGatewayName: input(nat, "natGatewayName"), sku: input(nat, "sku"), zones: input(nat, "zones"),
            idleTimeoutInMinutes: input(nat, "idleTimeoutInMinutes"), publicIpAddresses: input(nat, "publicIpAddresses"),
        })), ["1", "2", "3"].map((zone) => ({
            id: azureId("prod", `Microsoft.Network/natGateways/mx-prod-nat-${zone}`), natGatewayName: `mx-prod-nat-${zone}`, sku: { name: "Standard" }, zones: [zone],
            idleTimeoutInMinutes: 4, publicIpAddresses: [{ id: azureId("prod", `Microsoft.Network/publicIPAddresses/mx-prod-nat-${zone}-ip`) }],
        })));
        const natIps = byType(run, type.publicIp).filter((ip) => String(input(ip, "publicIpAddressName")).includes("-nat-"));
        assert.deepEqual(natIps.map((ip) => [ip.id, input(ip, "sku"), input(ip, "zones"), input(ip, "publicIPAllocationMethod")]),
            ["1", "2", "3"].map((zone) => [azureId("prod", `Microsoft.Network/publicIPAddresses/mx-prod-nat-${zone}-ip`), { name: "Standard", tier: "Regional" }, [zone], "Static"]));
    });

    it("runs Business Critical, zone-redundant SQL reachable from the node subnet alone", () => {
        const server = only(byType(run, type.sqlServer));
        assert.equal(input(server, "minimalTlsVersion"), "1.2");
        assert.equal(byType(run, type.firewallRule).length, 0);
        assert.equal(input(server, "publicNetworkAccess"), "Disabled");
        const endpoint = only(byType(run, type.privateEndpoint).filter((candidate) => candidate.name.startsWith("mendix-sql-")));
        assert.equal((input(endpoint, "subnet") as { id: string }).id, azureId("prod", "Microsoft.Network/virtualNetworks/mx-prod-vnet/subnets/nodes"));
        const database = only(byType(run, type.database));
        assert.deepEqual(input(database, "sku"), { name: "BC_Gen5", tier: "BusinessCritical", family: "Gen5", capacity: 4 });
        assert.equal(input(database, "zoneRedundant"), true);
        assert.equal(input(database, "maxSizeBytes"), 512 * 1024 ** 3);
    });

    it("keeps files in a private StorageV2 account with soft delete and versioning", () => {
        const account = only(byType(run, type.account));
        assert.equal(input(account, "kind"), "StorageV2");
        assert.equal(input(account, "enableHttpsTrafficOnly"), true);
        assert.equal(input(account, "minimumTlsVersion"), "TLS1_2");
        assert.equal(input(account, "allowBlobPublicAccess"), false);
        const service = only(byType(run, type.blobService));
        assert.equal(input(service, "isVersioningEnabled"), true);
        assert.equal((input(service, "deleteRetentionPolicy") as { enabled: boolean }).enabled, true);
        const containers = byType(run, type.container);
        assert.deepEqual(containers.map((container) => input(container, "containerName")).sort(), ["files-app", "node-settings"]);
        assert.ok(containers.every((container) => input(container, "publicAccess") === "None"));
    });

    it("protects and retains the SQL server, databases, storage account and file containers", () => {
        const stateful = run.resources.filter((resource) =>
            ([type.sqlServer, type.database, type.account] as string[]).includes(resource.type) ||
            (resource.type === type.container && input(resource, "containerName") !== "node-settings"));
        assert.equal(stateful.length, 4);
        assert.ok(stateful.every((resource) => resource.protect && resource.retainOnDelete));
    });

    it("writes each node's database and storage settings into its blobs", () => {
        for (const document of settingsDocuments(run)) {
            assert.equal(document.runtimeSettings["DatabaseType"], "SQLSERVER");
            assert.equal(document.runtimeSettings["DatabaseHost"], `${String(run.outputs["sqlServerHost"])}`);
            assert.match(document.runtimeSettings["DatabaseHost"] ?? "", /^mx-prod-sql-[a-z0-9]{6}\.database\.windows\.net:1433$/);
            assert.equal(document.runtimeSettings["DatabaseName"], "app");
            assert.equal(document.customSettings["com.mendix.storage.azure.AccountName"], run.outputs["storageAccountName"]);
            assert.equal(document.customSettings["com.mendix.storage.azure.Container"], "files-app");
            assert.equal(document.customSettings["SessionTimeout"], "600000");
        }
    });

    it("exports the address, nodes, leader, blob names and database names", () => {
        assert.equal(run.outputs["url"], `http://${offlinePublicIp}/`);
        assert.deepEqual(run.outputs["settingsBlobs"], {
            "node-0": ["nodes/node-0/app.yaml"], "node-1": ["nodes/node-1/app.yaml"], "node-2": ["nodes/node-2/app.yaml"],
        });
        assert.deepEqual(run.outputs["databaseNames"], { app: "app" });
    });
});

describe("the dev stack", () => {
    it("is a small Premium cluster of two nodes in zones 1 and 2, not protected", async () => {
        const run = await runStack({ stack: "dev" });
        assert.deepEqual(byType(run, type.vm).map((vm) => input(vm, "zones")), [["1"], ["2"]]);
        assert.deepEqual(input(only(byType(run, type.database)), "sku"), { name: "P1", tier: "Premium" });
        assert.ok(run.resources.every((resource) => !resource.protect));
    });

    it("places nothing in a zone when zones is empty", async () => {
        const run = await runStack({ stack: "dev", config: { zones: [] } });
        for (const resource of [...byType(run, type.vm), ...byType(run, type.disk), ...byType(run, type.scaleSet), ...byType(run, type.publicIp)]) {
            assert.equal(resource.inputs["zones"], undefined, resource.name);
        }
        assert.deepEqual(input(only(byType(run, type.account)), "sku"), { name: "Standard_LRS" });
        // One regional subnet and NAT gateway, under the logical names the single ones always had.
        assert.deepEqual(byType(run, type.subnet).map((subnet) => subnet.name), ["mendix-network-nodes"]);
        assert.deepEqual(byType(run, type.nat).map((nat) => [nat.name, input(nat, "natGatewayName"), input(nat, "zones")]), [["mendix-network-nat", "mx-dev-nat", undefined]]);
    });

    it("lets RDP in from the configured blocks only", async () => {
        const run = await runStack({ stack: "dev", config: { rdpSourceCidrs: ["203.0.113.0/24"] } });
        const rules = input(only(byType(run, type.nsg)), "securityRules") as { destinationPortRange: string; sourceAddressPrefixes?: string[] }[];
        assert.deepEqual(rules.find((rule) => rule.destinationPortRange === "3389")?.sourceAddressPrefixes, ["203.0.113.0/24"]);
    });
});

describe("the program's entry point", () => {
    it("exports every output of the program as a stack output", async () => {
        // index.ts runs the program when it is loaded, as `pulumi up` loads it.
        const run = await runStack({ stack: "dev", entryPoint: "index.ts" });
        assert.deepEqual(Object.keys(run.outputs).sort(), [
            "adminPasswordFingerprint", "dataDiskSizeGb", "databaseNames", "databases", "deployedModels", "encryptionAtHost", "healthProbePath", "httpsCertificate", "keyVaultName",
            "leader", "nodeUpdateTags", "nodes", "publicIpAddress", "resourceGroupName", "restorableSince", "restore", "secretRotation", "settingsBlobs", "sqlAdminLogin",
            "sqlServerHost", "storageAccountName", "storageKeyInUse", "unlicensedApps", "url", "vaultSecrets", "vmSize", "workbookUrl",
        ]);
        assert.equal(run.outputs["leader"], "node-0");
        assert.ok(run.resources.some((resource) => resource.type === "azure-native:compute:VirtualMachine"));
    });

    it("reports a program that fails with where it was thrown, and leaves nothing of it to the next evaluation", async () => {
        // The evaluation runs without stack traces; a failure runs again with them.
        await assert.rejects(runStack({ stack: "dev", entryPoint: "tests/fixtures/failingEntryPoint.ts" }), (error: Error) => {
            assert.equal(error.message, "the fixture program fails");
            assert.match(error.stack ?? "", /\n {4}at wiringBug \(.*\/tests\/fixtures\/failingEntryPoint\.ts:\d+:\d+\)/);
            return true;
        });
        // A stack no other test asks for, so that it is evaluated afresh in the same worker.
        const next = await runStack({ stack: "dev", config: { vmSize: "Standard_D4s_v5" } });
        assert.equal(next.outputs["leader"], "node-0");
    });
});
