import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { auditRetentionDays } from "../../components/auditLog";
import { bastionSubnetPrefix } from "../../components/bastion";
import { byType, RegisteredResource, runStack, runStackExpectingFailure, StackRun } from "../harness/offThread";
import { offlineTenantId } from "../../offline/azureIds";
import { standInDeployerCidrs } from "../../offline/standIns";
import { azureId } from "../harness/azureIds";
import { ConfigValue } from "../../offline/stackConfig";

const type = {
    account: "azure-native:storage:StorageAccount",
    blobService: "azure-native:storage:BlobServiceProperties",
    container: "azure-native:storage:BlobContainer",
    subnet: "azure-native:network:Subnet",
    vnet: "azure-native:network:VirtualNetwork",
    nsg: "azure-native:network:NetworkSecurityGroup",
    nic: "azure-native:network:NetworkInterface",
    sqlServer: "azure-native:sql:Server",
    database: "azure-native:sql:Database",
    firewallRule: "azure-native:sql:FirewallRule",
    vnetRule: "azure-native:sql:VirtualNetworkRule",
    entraAdmin: "azure-native:sql:ServerAzureADAdministrator",
    auditing: "azure-native:sql:ServerBlobAuditingPolicy",
    backupRetention: "azure-native:sql:BackupShortTermRetentionPolicy",
    privateEndpoint: "azure-native:network:PrivateEndpoint",
    dnsZoneGroup: "azure-native:network:PrivateDnsZoneGroup",
    privateZone: "azure-native:privatedns:PrivateZone",
    zoneLink: "azure-native:privatedns:VirtualNetworkLink",
    diagnostics: "azure-native:monitor:DiagnosticSetting",
    workspace: "azure-native:operationalinsights:Workspace",
    vm: "azure-native:compute:VirtualMachine",
} as const;

const subnetId = (stack: string, subnet: string) => azureId(stack, `Microsoft.Network/virtualNetworks/mx-${stack}-vnet/subnets/${subnet}`);
/** One node subnet per zone, the first zone's keeping the single subnet's logical name. */
const nodeSubnetIds: Readonly<Record<string, readonly string[]>> = {
    dev: [subnetId("dev", "nodes"), subnetId("dev", "nodes-zone-2")],
    prod: [subnetId("prod", "nodes"), subnetId("prod", "nodes-zone-2"), subnetId("prod", "nodes-zone-3")],
};

function only(resources: RegisteredResource[]): RegisteredResource {
    assert.equal(resources.length, 1);
    return resources[0] as RegisteredResource;
}

const input = <T>(resource: RegisteredResource, key: string) => resource.inputs[key] as T;


interface NsgRule {
    readonly name: string;
    readonly access: string;
    readonly direction: string;
    readonly sourceAddressPrefix?: string;
    readonly sourceAddressPrefixes?: readonly string[];
    readonly destinationPortRange?: string;
    readonly destinationPortRanges?: readonly string[];
}

const nsgRules = (run: StackRun) => input<NsgRule[]>(only(byType(run, type.nsg)), "securityRules");

const webRule = (name: string, priority: number, port: string) => ({
    name, priority, direction: "Inbound", access: "Allow", protocol: "Tcp",
    sourceAddressPrefix: "*", sourcePortRange: "*", destinationAddressPrefix: "*", destinationPortRange: port,
});

/** RDP, WinRM over HTTP and HTTPS, SSH and SMB. */
const adminPorts = [3389, 5985, 5986, 22, 445] as const;

function coversPort(range: string, port: number): boolean {
    if (range === "*") {
        return true;
    }
    const [low, high] = range.split("-").map(Number);
    return low !== undefined && port >= low && port <= (high ?? low);
}

/**
 * Every inbound Allow rule that opens an admin port to a source other than the given blocks: `*`,
 * `Internet`, `Any`, `0.0.0.0/0`, `::/0` or any other range is reported, whatever its spelling.
 */
function adminRulesFromOutside(rules: readonly NsgRule[], allowedSources: readonly string[]): string[] {
    return rules.filter((rule) => rule.access === "Allow" && rule.direction === "Inbound").flatMap((rule) => {
        const ranges = [...(rule.destinationPortRange === undefined ? [] : [rule.destinationPortRange]), ...(rule.destinationPortRanges ?? [])];
        const sources = [...(rule.sourceAddressPrefix === undefined ? [] : [rule.sourceAddressPrefix]), ...(rule.sourceAddressPrefixes ?? [])];
        const opened = adminPorts.filter((port) => ranges.some((range) => coversPort(range, port)));
        return opened.length === 0 ? [] : sources.filter((source) => !allowedSources.includes(source)).map((source) => `${rule.name}: ${opened.join(",")} from ${source}`);
    });
}

const entraAdmin = { login: "dba-group", objectId: "6f2c8d0e-1b3a-4c5d-9e8f-0a1b2c3d4e5f" };
const prodSql = { tier: "BusinessCritical", sku: "BC_Gen5_4", maxSizeGb: 512, zoneRedundant: true };

for (const stack of ["dev", "prod"]) {
    describe(`the ${stack} stack's secure defaults`, () => {
        let run: StackRun;
        before(async () => {
            run = await runStack({ stack });
        });

        it("keeps storage on HTTPS and TLS 1.2, with no public blob access and no anonymous container", () => {
            const account = only(byType(run, type.account));
            assert.equal(input(account, "enableHttpsTrafficOnly"), true);
            assert.equal(input(account, "minimumTlsVersion"), "TLS1_2");
            assert.equal(input(account, "allowBlobPublicAccess"), false);
            const containers = byType(run, type.container);
            assert.ok(containers.length >= 2);
            assert.ok(containers.every((container) => input(container, "publicAccess") === "None"));
        });

        it("encrypts storage at the infrastructure level too", () => {
            const encryption = input<{ requireInfrastructureEncryption: boolean; keySource: string }>(only(byType(run, type.account)), "encryption");
            assert.equal(encryption.requireInfrastructureEncryption, true);
            assert.equal(encryption.keySource, "Microsoft.Storage");
        });

        it("keeps deleted blobs and containers restorable for 14 days, and blob versions", () => {
            const service = only(byType(run, type.blobService));
            assert.deepEqual(input(service, "deleteRetentionPolicy"), { enabled: true, days: 14 });
            assert.deepEqual(input(service, "containerDeleteRetentionPolicy"), { enabled: true, days: 14 });
            assert.equal(input(service, "isVersioningEnabled"), true);
        });

        it("denies storage network access but to the node subnets and the deployer", () => {
            const rules = input<{ defaultAction: string; bypass: string; virtualNetworkRules: { virtualNetworkResourceId: string }[]; ipRules: { iPAddressOrRange: string }[] }>(
                only(byType(run, type.account)), "networkRuleSet");
            assert.equal(rules.defaultAction, "Deny");
            assert.equal(rules.bypass, "AzureServices");
            assert.deepEqual(rules.virtualNetworkRules.map((rule) => rule.virtualNetworkResourceId), nodeSubnetIds[stack]);
            assert.deepEqual(rules.ipRules.map((rule) => rule.iPAddressOrRange), [...standInDeployerCidrs]);
            const subnets = byType(run, type.subnet);
            assert.deepEqual(subnets.map((subnet) => subnet.id), nodeSubnetIds[stack]);
            for (const subnet of subnets) {
                assert.deepEqual(input<{ service: string }[]>(subnet, "serviceEndpoints").map((endpoint) => endpoint.service), ["Microsoft.Storage"]);
            }
        });

        it("replicates storage as the stack file says: zone-redundant on dev, geo-zone-redundant on prod", () => {
            assert.deepEqual(input(only(byType(run, type.account)), "sku"), { name: stack === "prod" ? "Standard_GZRS" : "Standard_ZRS" });
        });

        it("gives each zone a subnet with a NAT gateway and public IP of its own in that zone, and each node its zone's subnet", () => {
            const zones = stack === "prod" ? ["1", "2", "3"] : ["1", "2"];
            const byId = new Map(run.resources.map((resource) => [resource.id, resource]));
            const subnets = byType(run, type.subnet);
            assert.deepEqual(subnets.map((subnet) => input<{ id: string }>(subnet, "networkSecurityGroup").id), subnets.map(() => only(byType(run, type.nsg)).id));
            const natZones = subnets.map((subnet) => {
                const nat = byId.get(input<{ id: string }>(subnet, "natGateway").id) as RegisteredResource;
                const ips = input<{ id: string }[]>(nat, "publicIpAddresses").map((ip) => byId.get(ip.id) as RegisteredResource);
                assert.deepEqual(ips.map((ip) => input(ip, "zones")), [input(nat, "zones")]);
                assert.deepEqual(ips.map((ip) => input(ip, "sku")), [{ name: "Standard", tier: "Regional" }]);
                return input<string[]>(nat, "zones");
            });
            assert.deepEqual(natZones, zones.map((zone) => [zone]));
            for (const vm of byType(run, type.vm)) {
                const nic = byId.get(input<{ networkInterfaces: { id: string }[] }>(vm, "networkProfile").networkInterfaces[0]?.id ?? "") as RegisteredResource;
                const subnet = byId.get(input<{ subnet: { id: string } }[]>(nic, "ipConfigurations")[0]?.subnet.id ?? "") as RegisteredResource;
                const nat = byId.get(input<{ id: string }>(subnet, "natGateway").id) as RegisteredResource;
                assert.deepEqual(input(nat, "zones"), input(vm, "zones"), vm.name);
            }
        });

        it("runs SQL on TLS 1.2 with no public endpoint and no firewall or virtual network rule", () => {
            const server = only(byType(run, type.sqlServer));
            assert.equal(input(server, "minimalTlsVersion"), "1.2");
            assert.equal(input(server, "publicNetworkAccess"), "Disabled");
            assert.equal(byType(run, type.firewallRule).length, 0);
            assert.equal(byType(run, type.vnetRule).length, 0);
        });

        it("reaches SQL through a private endpoint in the node subnet whose name resolves in the virtual network", () => {
            const server = only(byType(run, type.sqlServer));
            const endpoint = only(byType(run, type.privateEndpoint).filter((candidate) => candidate.name.startsWith("mendix-sql-")));
            assert.equal(input<{ id: string }>(endpoint, "subnet").id, subnetId(stack, "nodes"));
            assert.deepEqual(input<{ privateLinkServiceId: string; groupIds: string[] }[]>(endpoint, "privateLinkServiceConnections")
                .map((connection) => [connection.privateLinkServiceId, connection.groupIds]), [[azureId(stack, `Microsoft.Sql/servers/${String(input(server, "serverName"))}`), ["sqlServer"]]]);
            const zone = only(byType(run, type.privateZone).filter((candidate) => candidate.name.startsWith("mendix-sql-")));
            assert.equal(input(zone, "privateZoneName"), "privatelink.database.windows.net");
            const link = only(byType(run, type.zoneLink).filter((candidate) => candidate.name.startsWith("mendix-sql-")));
            assert.equal(input(link, "privateZoneName"), "privatelink.database.windows.net");
            assert.equal(input<{ id: string }>(link, "virtualNetwork").id, azureId(stack, `Microsoft.Network/virtualNetworks/mx-${stack}-vnet`));
            assert.equal(input(link, "registrationEnabled"), false);
            const group = only(byType(run, type.dnsZoneGroup).filter((candidate) => candidate.name.startsWith("mendix-sql-")));
            assert.equal(input(group, "privateEndpointName"), input(endpoint, "privateEndpointName"));
            assert.deepEqual(input<{ privateDnsZoneId: string }[]>(group, "privateDnsZoneConfigs").map((config) => config.privateDnsZoneId), [azureId(stack, "Microsoft.Network/privateDnsZones/privatelink.database.windows.net")]);
        });

        it("audits SQL sign-ins and permission changes to a Log Analytics workspace that keeps them more than 90 days", () => {
            const server = only(byType(run, type.sqlServer));
            const workspace = only(byType(run, type.workspace).filter((candidate) => String(input(candidate, "workspaceName")).endsWith("-audit")));
            assert.equal(input(workspace, "retentionInDays"), 365);
            assert.equal(auditRetentionDays, 365);
            assert.deepEqual(input(workspace, "features"), { disableLocalAuth: true });
            const diagnostics = only(byType(run, type.diagnostics));
            assert.equal(input(diagnostics, "resourceUri"), azureId(stack, `Microsoft.Sql/servers/${String(input(server, "serverName"))}/databases/master`));
            assert.equal(input(diagnostics, "workspaceId"), azureId(stack, `Microsoft.OperationalInsights/workspaces/mx-${stack}-audit`));
            assert.deepEqual(input(diagnostics, "logs"), [{ category: "SQLSecurityAuditEvents", enabled: true }]);
            const auditing = only(byType(run, type.auditing));
            assert.equal(input(auditing, "state"), "Enabled");
            assert.equal(input(auditing, "isAzureMonitorTargetEnabled"), true);
            assert.deepEqual(input(auditing, "auditActionsAndGroups"), [
                "SUCCESSFUL_DATABASE_AUTHENTICATION_GROUP", "FAILED_DATABASE_AUTHENTICATION_GROUP", "DATABASE_PRINCIPAL_CHANGE_GROUP",
                "DATABASE_ROLE_MEMBER_CHANGE_GROUP", "DATABASE_PERMISSION_CHANGE_GROUP", "SCHEMA_OBJECT_PERMISSION_CHANGE_GROUP",
            ]);
            assert.ok(auditing.dependencies.includes(diagnostics.urn), "the auditing policy waits for the diagnostic setting");
        });

        it("keeps 14 days of point-in-time backups for every database, and no Entra admin unless configured", () => {
            const databases = byType(run, type.database);
            const policies = byType(run, type.backupRetention);
            assert.deepEqual(policies.map((policy) => input(policy, "databaseName")).sort(), databases.map((database) => input(database, "databaseName")).sort());
            assert.deepEqual(policies.map((policy) => [input(policy, "retentionDays"), input(policy, "policyName")]), [[14, "default"]]);
            assert.equal(byType(run, type.entraAdmin).length, 0);
        });

        it("runs every VM as Trusted Launch with encryption at host, automatic patching and boot diagnostics, without a public IP", () => {
            const vms = byType(run, type.vm);
            assert.ok(vms.length >= 2);
            for (const vm of vms) {
                assert.deepEqual(input(vm, "securityProfile"), {
                    securityType: "TrustedLaunch", uefiSettings: { secureBootEnabled: true, vTpmEnabled: true }, encryptionAtHost: true,
                });
                const windows = input<{ windowsConfiguration: { enableAutomaticUpdates: boolean; patchSettings: { patchMode: string } } }>(vm, "osProfile").windowsConfiguration;
                assert.equal(windows.enableAutomaticUpdates, true);
                assert.equal(windows.patchSettings.patchMode, "AutomaticByPlatform");
                assert.deepEqual(input(vm, "diagnosticsProfile"), { bootDiagnostics: { enabled: true } });
            }
            for (const nic of byType(run, type.nic)) {
                assert.ok(input<{ publicIPAddress?: unknown }[]>(nic, "ipConfigurations").every((configuration) => configuration.publicIPAddress === undefined));
            }
        });

        it("lets no RDP, WinRM or SMB in from the internet", () => {
            const rules = nsgRules(run);
            assert.deepEqual(rules, [webRule("allow-http", 100, "80"), webRule("allow-https", 110, "443")]);
            assert.deepEqual(adminRulesFromOutside(rules, []), []);
        });
    });
}

describe("the security config", () => {
    it("gives SQL an Entra admin of the deploying tenant when sql.entraAdmin is set", async () => {
        const run = await runStack({ stack: "prod", config: { sql: { ...prodSql, entraAdmin } } });
        const admin = only(byType(run, type.entraAdmin));
        assert.equal(input(admin, "administratorType"), "ActiveDirectory");
        assert.equal(input(admin, "login"), entraAdmin.login);
        assert.equal(input(admin, "sid"), entraAdmin.objectId);
        assert.equal(input(admin, "tenantId"), offlineTenantId);
        assert.equal(input(admin, "serverName"), input(only(byType(run, type.sqlServer)), "serverName"));
    });

    it("lets RDP in from the configured rdpSourceCidrs and the Bastion subnet alone", async () => {
        const rdpSourceCidrs = ["203.0.113.0/28", "198.51.100.7/32"];
        const run = await runStack({ stack: "dev", config: { rdpSourceCidrs, bastion: true } });
        const rules = nsgRules(run);
        assert.deepEqual(rules, [
            webRule("allow-http", 100, "80"),
            webRule("allow-https", 110, "443"),
            {
                name: "allow-rdp", priority: 200, direction: "Inbound", access: "Allow", protocol: "Tcp",
                sourceAddressPrefixes: ["203.0.113.0/28", "198.51.100.7/32", "10.42.250.0/26"], sourcePortRange: "*", destinationAddressPrefix: "*", destinationPortRange: "3389",
            },
        ]);
        assert.deepEqual(adminRulesFromOutside(rules, [...rdpSourceCidrs, bastionSubnetPrefix]), []);
    });

    it("finds an admin port opened to the internet under any spelling of it", () => {
        const opened = (source: Pick<NsgRule, "sourceAddressPrefix" | "sourceAddressPrefixes">, ports: Pick<NsgRule, "destinationPortRange" | "destinationPortRanges">): NsgRule =>
            ({ name: "r", access: "Allow", direction: "Inbound", ...source, ...ports });
        const allowed = ["203.0.113.0/28"];
        for (const source of ["*", "0.0.0.0/0", "Internet", "Any", "::/0", "192.0.2.0/24", "10.0.0.0/8"]) {
            assert.deepEqual(adminRulesFromOutside([opened({ sourceAddressPrefix: source }, { destinationPortRange: "3389" })], allowed), [`r: 3389 from ${source}`]);
            assert.deepEqual(adminRulesFromOutside([opened({ sourceAddressPrefixes: ["203.0.113.0/28", source] }, { destinationPortRanges: ["5985-5986"] })], allowed), [`r: 5985,5986 from ${source}`]);
        }
        assert.deepEqual(adminRulesFromOutside([opened({ sourceAddressPrefix: "Internet" }, { destinationPortRange: "*" })], allowed), ["r: 3389,5985,5986,22,445 from Internet"]);
        assert.deepEqual(adminRulesFromOutside([opened({ sourceAddressPrefix: "Internet" }, { destinationPortRange: "440-450" })], allowed), ["r: 445 from Internet"]);
        assert.deepEqual(adminRulesFromOutside([opened({ sourceAddressPrefix: "*" }, { destinationPortRange: "443" })], allowed), []);
        assert.deepEqual(adminRulesFromOutside([{ ...opened({ sourceAddressPrefix: "*" }, { destinationPortRange: "3389" }), access: "Deny" }], allowed), []);
    });

    it("keeps sql.backupRetentionDays of backups for every database", async () => {
        const run = await runStack({ stack: "dev", config: { apps: [{ name: "crm" }, { name: "hr", hostName: "hr.example.com" }], sql: { tier: "Premium", sku: "P1", backupRetentionDays: 35 } } });
        const retention = byType(run, type.backupRetention);
        assert.deepEqual(retention.map((policy) => input(policy, "retentionDays")), [35, 35]);
    });

    it("lets in every configured deployer address, a single /32 as a plain address", async () => {
        const run = await runStack({ stack: "dev", config: { deployerCidrs: ["203.0.113.7/32", "198.51.100.0/24"] } });
        const rules = input<{ ipRules: { iPAddressOrRange: string; action: string }[] }>(only(byType(run, type.account)), "networkRuleSet");
        assert.deepEqual(rules.ipRules, [{ iPAddressOrRange: "203.0.113.7", action: "Allow" }, { iPAddressOrRange: "198.51.100.0/24", action: "Allow" }]);
    });

    it("keeps prod's backups 14 days or more as its stack file says", async () => {
        const run = await runStack({ stack: "prod" });
        assert.deepEqual(byType(run, type.backupRetention).map((policy) => input(policy, "retentionDays")), [14]);
    });

    const refused: readonly { readonly what: string; readonly config: Record<string, ConfigValue | undefined>; readonly message: RegExp }[] = [
        { what: "no deployer address", config: { deployerCidrs: undefined }, message: /deployerCidrs: got \[\]; allowed: at least one public IPv4 address .*pulumi config set --path 'deployerCidrs\[0\]'/ },
        { what: "an empty deployer list", config: { deployerCidrs: [] }, message: /deployerCidrs: got \[\]; allowed: at least one/ },
        { what: "a deployer block of every address", config: { deployerCidrs: ["0.0.0.0/0"] }, message: /deployerCidrs\[0\]: got "0.0.0.0\/0"; allowed: a public IPv4 address .*no block wider than \/8.*\(this one is every address there is\)/ },
        { what: "a private deployer range", config: { deployerCidrs: ["10.1.0.0/16"] }, message: /deployerCidrs\[0\]: got "10.1.0.0\/16".*private range 10\.0\.0\.0\/8/ },
        { what: "a /31 deployer block", config: { deployerCidrs: ["203.0.113.6/31"] }, message: /deployerCidrs\[0\]: got "203.0.113.6\/31".*\/31/ },
        { what: "a backup retention under 7 days", config: { sql: { tier: "Premium", sku: "P1", backupRetentionDays: 3 } }, message: /sql\.backupRetentionDays: got 3; allowed: a whole number from 7 to 35/ },
        { what: "an Entra admin without an object id", config: { sql: { tier: "Premium", sku: "P1", entraAdmin: { login: "dba-group", objectId: "dba-group" } } }, message: /sql\.entraAdmin\.objectId: got "dba-group"; allowed: the Entra object id/ },
        { what: "an unknown Entra admin key", config: { sql: { tier: "Premium", sku: "P1", entraAdmin: { ...entraAdmin, type: "Group" } } }, message: /sql\.entraAdmin\.type: got "Group"; allowed: no such key/ },
    ];
    for (const testCase of refused) {
        it(`refuses ${testCase.what} before registering any resource`, async () => {
            const failure = await runStackExpectingFailure({ stack: "dev", config: testCase.config });
            assert.match(failure.message, testCase.message);
            assert.equal(failure.registered, 0);
        });
    }
});
