import { catalog } from "../../components/catalog";
import { Props } from "../../policy/rules/props";

/** A resource as a policy sees it. */
export interface PolicyResource {
    readonly type: string;
    readonly props: Props;
    readonly config?: Props;
}

/** For each policy: resources it must let pass, and resources it must refuse (with a word of why). */
export interface PolicyCase {
    readonly compliant: readonly PolicyResource[];
    readonly violating: readonly (PolicyResource & { readonly why: RegExp })[];
}

const account = (props: Props): PolicyResource => ({
    type: catalog.storageAccount.token,
    props: {
        enableHttpsTrafficOnly: true,
        minimumTlsVersion: "TLS1_2",
        allowBlobPublicAccess: false,
        encryption: { requireInfrastructureEncryption: true },
        networkRuleSet: { defaultAction: "Deny", bypass: "AzureServices", ipRules: [{ iPAddressOrRange: "203.0.113.7" }] },
        sku: { name: "Standard_ZRS" },
        ...props,
    },
});

const blobService = (props: Props): PolicyResource => ({
    type: catalog.blobServiceProperties.token,
    props: {
        isVersioningEnabled: true,
        deleteRetentionPolicy: { enabled: true, days: 14 },
        containerDeleteRetentionPolicy: { enabled: true, days: 7 },
        ...props,
    },
});

const server = (props: Props): PolicyResource => ({ type: catalog.sqlServer.token, props: { minimalTlsVersion: "1.2", publicNetworkAccess: "Disabled", ...props } });

/** The stack's own identity as a server's Entra admin, named at creation by its client id. */
const stackIdentityAdmin = { administratorType: "ActiveDirectory", principalType: "Application", login: "mx-prod-sql-admin-id", sid: "3d4c5b6a-0000-4000-8000-0000000000a1" };

const auditing = (props: Props): PolicyResource => ({ type: catalog.sqlServerAuditing.token, props: { state: "Enabled", isAzureMonitorTargetEnabled: true, ...props } });

const masterDiagnostics = (props: Props): PolicyResource => ({
    type: catalog.diagnosticSetting.token,
    props: { resourceUri: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Sql/servers/sql1/databases/master", workspaceId: "/workspaces/w", logs: [{ category: "SQLSecurityAuditEvents", enabled: true }], ...props },
});

const vm = (props: Props): PolicyResource => ({
    type: catalog.virtualMachine.token,
    props: {
        securityProfile: { securityType: "TrustedLaunch", uefiSettings: { secureBootEnabled: true, vTpmEnabled: true }, encryptionAtHost: true },
        osProfile: { windowsConfiguration: { enableAutomaticUpdates: true, patchSettings: { patchMode: "AutomaticByPlatform" } } },
        diagnosticsProfile: { bootDiagnostics: { enabled: true } },
        ...props,
    },
});

const inboundRule = (props: Props): Props => ({
    name: "rule", direction: "Inbound", access: "Allow", protocol: "Tcp", sourcePortRange: "*", destinationAddressPrefix: "*", ...props,
});
const nsg = (...rules: Props[]): PolicyResource => ({ type: catalog.networkSecurityGroup.token, props: { securityRules: rules } });

const extension = (settings: Props): PolicyResource => ({
    type: catalog.virtualMachineExtension.token,
    props: { publisher: "Microsoft.Compute", type: "CustomScriptExtension", settings, protectedSettings: { managedIdentity: {} } },
});

const vault = (properties: Props): PolicyResource => ({
    type: catalog.keyVault.token,
    props: { properties: { enableRbacAuthorization: true, publicNetworkAccess: "Disabled", networkAcls: { defaultAction: "Deny", bypass: "AzureServices" }, ...properties } },
});
const secret = (properties: Props): PolicyResource => ({
    type: catalog.keyVaultSecret.token,
    props: { secretName: "sql-admin-password", properties: { value: "x", contentType: "text/plain", attributes: { enabled: true, expires: 1772323200 }, ...properties } },
});
const natGateway = (props: Props): PolicyResource => ({ type: catalog.natGateway.token, props: { sku: { name: "Standard" }, zones: ["1"], ...props } });
const publicIp = (props: Props): PolicyResource => ({ type: catalog.publicIpAddress.token, props: { sku: { name: "Standard", tier: "Regional" }, zones: ["1"], ...props } });

/** A 64-byte key in base64, the shape of a storage account key. */
const storageKeyShaped = `${"Ab3+".repeat(21)}xy==`;

export const policyCases: Readonly<Record<string, PolicyCase>> = {
    "storage-https-only": {
        compliant: [account({})],
        violating: [{ ...account({ enableHttpsTrafficOnly: false }), why: /enableHttpsTrafficOnly/ }, { ...account({ enableHttpsTrafficOnly: undefined }), why: /HTTP/ }],
    },
    "storage-minimum-tls-1-2": {
        compliant: [account({}), account({ minimumTlsVersion: "TLS1_3" })],
        violating: [{ ...account({ minimumTlsVersion: "TLS1_0" }), why: /TLS1_0/ }, { ...account({ minimumTlsVersion: undefined }), why: /null/ }],
    },
    "storage-no-public-blob-access": {
        compliant: [account({})],
        violating: [{ ...account({ allowBlobPublicAccess: true }), why: /anonymous/ }],
    },
    "storage-containers-private": {
        compliant: [{ type: catalog.blobContainer.token, props: { publicAccess: "None" } }, { type: catalog.blobContainer.token, props: {} }],
        violating: [
            { type: catalog.blobContainer.token, props: { publicAccess: "Blob" }, why: /"Blob"/ },
            { type: catalog.blobContainer.token, props: { publicAccess: "Container" }, why: /"Container"/ },
        ],
    },
    "storage-infrastructure-encryption": {
        compliant: [account({})],
        violating: [{ ...account({ encryption: { keySource: "Microsoft.Storage" } }), why: /requireInfrastructureEncryption/ }],
    },
    "storage-soft-delete-and-versioning": {
        compliant: [blobService({})],
        violating: [
            { ...blobService({ deleteRetentionPolicy: { enabled: true, days: 1 } }), why: /deleteRetentionPolicy\.days must be at least 7; got 1/ },
            { ...blobService({ containerDeleteRetentionPolicy: { enabled: false, days: 30 } }), why: /containerDeleteRetentionPolicy\.enabled/ },
            { ...blobService({ isVersioningEnabled: false }), why: /isVersioningEnabled/ },
        ],
    },
    "storage-zone-redundant-replication": {
        compliant: [account({ sku: { name: "Standard_ZRS" } }), account({ sku: { name: "Standard_GZRS" } }), account({ sku: { name: "Standard_RAGZRS" } })],
        violating: [
            { ...account({ sku: { name: "Standard_LRS" } }), why: /got "Standard_LRS"/ },
            { ...account({ sku: { name: "Standard_GRS" } }), why: /got "Standard_GRS"/ },
            { ...account({ sku: undefined }), why: /got null/ },
        ],
    },
    "keyvault-no-public-network-access": {
        compliant: [vault({}), vault({ publicNetworkAccess: "disabled" })],
        violating: [
            { ...vault({ publicNetworkAccess: "Enabled" }), why: /publicNetworkAccess must be Disabled .*got "Enabled"/ },
            { ...vault({ publicNetworkAccess: undefined }), why: /got null/ },
            { ...vault({ networkAcls: { defaultAction: "Allow" } }), why: /networkAcls\.defaultAction must be Deny; got "Allow"/ },
        ],
    },
    "keyvault-secrets-expire": {
        compliant: [secret({})],
        violating: [
            { ...secret({ attributes: { enabled: true } }), why: /attributes\.expires .* got null/ },
            { ...secret({ attributes: { expires: "2026-03-01" } }), why: /got "2026-03-01"/ },
            { ...secret({ contentType: undefined }), why: /contentType/ },
        ],
    },
    "storage-network-deny-by-default": {
        compliant: [account({}), account({ networkRuleSet: { defaultAction: "Deny", bypass: "Logging, AzureServices", virtualNetworkRules: [{ virtualNetworkResourceId: "/subnets/nodes" }] } })],
        violating: [
            { ...account({ networkRuleSet: { defaultAction: "Allow", bypass: "AzureServices" } }), why: /defaultAction must be Deny; got "Allow"/ },
            { ...account({ networkRuleSet: undefined }), why: /defaultAction must be Deny; got null/ },
            { ...account({ networkRuleSet: { defaultAction: "Deny", bypass: "None" } }), why: /AzureServices/ },
            { ...account({ networkRuleSet: { defaultAction: "Deny", bypass: "AzureServices", ipRules: [{ iPAddressOrRange: "0.0.0.0/0" }] } }), why: /every address/ },
        ],
    },
    "sql-minimum-tls-1-2": {
        compliant: [server({})],
        violating: [{ ...server({ minimalTlsVersion: "1.0" }), why: /"1\.0"/ }, { ...server({ minimalTlsVersion: undefined }), why: /null/ }],
    },
    "sql-no-open-firewall": {
        compliant: [{ type: catalog.sqlFirewallRule.token, props: { startIpAddress: "203.0.113.7", endIpAddress: "203.0.113.7" } }],
        violating: [
            { type: catalog.sqlFirewallRule.token, props: { startIpAddress: "0.0.0.0", endIpAddress: "0.0.0.0" }, why: /every Azure service/ },
            { type: catalog.sqlFirewallRule.token, props: { startIpAddress: "0.0.0.0", endIpAddress: "255.255.255.255" }, why: /every address/ },
        ],
    },
    "sql-no-public-network-access": {
        compliant: [server({})],
        violating: [{ ...server({ publicNetworkAccess: "Enabled" }), why: /Disabled/ }, { ...server({ publicNetworkAccess: undefined }), why: /null/ }],
    },
    "sql-entra-admin": {
        compliant: [
            { type: catalog.sqlEntraAdmin.token, props: { administratorType: "ActiveDirectory", login: "dba-group", sid: "6f2c8d0e-1b3a-4c5d-9e8f-0a1b2c3d4e5f" } },
            server({ administratorLogin: "mendixsql" }),
            server({ administrators: { ...stackIdentityAdmin, azureADOnlyAuthentication: true } }),
        ],
        violating: [
            { type: catalog.sqlEntraAdmin.token, props: { administratorType: "ActiveDirectory", login: "dba-group", sid: "dba-group" }, why: /GUID/ },
            { type: catalog.sqlEntraAdmin.token, props: { login: "", sid: "6f2c8d0e-1b3a-4c5d-9e8f-0a1b2c3d4e5f" }, why: /administratorType|login/ },
            { ...server({ administrators: { ...stackIdentityAdmin, azureADOnlyAuthentication: false } }), why: /without a SQL admin login needs .* azureADOnlyAuthentication: true/ },
            { ...server({ administrators: { ...stackIdentityAdmin, sid: "mx-prod-sql-admin-id", azureADOnlyAuthentication: true } }), why: /administrators\.sid must be/ },
        ],
    },
    "sql-auditing": {
        compliant: [auditing({}), auditing({ isAzureMonitorTargetEnabled: false, storageEndpoint: "https://audit.blob.core.windows.net/" }), masterDiagnostics({}),
            { type: catalog.diagnosticSetting.token, props: { resourceUri: "/subscriptions/s/providers/Microsoft.Network/loadBalancers/lb", logs: [] } }],
        violating: [
            { ...auditing({ state: "Disabled" }), why: /state must be Enabled/ },
            { ...auditing({ isAzureMonitorTargetEnabled: false }), why: /target/ },
            { ...auditing({ auditActionsAndGroups: ["BATCH_COMPLETED_GROUP"] }), why: /FAILED_DATABASE_AUTHENTICATION_GROUP/ },
            { ...masterDiagnostics({ logs: [{ category: "SQLSecurityAuditEvents", enabled: false }] }), why: /SQLSecurityAuditEvents/ },
            { ...masterDiagnostics({ workspaceId: undefined }), why: /destination/ },
        ],
    },
    "audit-retention-90-days": {
        compliant: [{ type: catalog.logAnalyticsWorkspace.token, props: { retentionInDays: 91 } }, auditing({}),
            auditing({ storageEndpoint: "https://audit.blob.core.windows.net/", retentionDays: 0 })],
        violating: [
            { type: catalog.logAnalyticsWorkspace.token, props: { retentionInDays: 90 }, why: /more than 90/ },
            { type: catalog.logAnalyticsWorkspace.token, props: {}, why: /Azure keeps 30/ },
            { ...auditing({ storageEndpoint: "https://audit.blob.core.windows.net/", retentionDays: 90 }), why: /0 \(forever\) or more than 90/ },
        ],
    },
    "sql-backup-retention": {
        compliant: [
            { type: catalog.sqlBackupShortTermRetention.token, props: { retentionDays: 14 } },
            { type: catalog.sqlBackupShortTermRetention.token, props: { retentionDays: 7 }, config: { minimumDays: 7 } },
        ],
        violating: [
            { type: catalog.sqlBackupShortTermRetention.token, props: { retentionDays: 7 }, why: /at least 14/ },
            { type: catalog.sqlBackupShortTermRetention.token, props: {}, why: /Azure keeps 7/ },
            { type: catalog.sqlBackupShortTermRetention.token, props: { retentionDays: 14 }, config: { minimumDays: 35 }, why: /at least 35/ },
        ],
    },
    "vm-no-public-ip": {
        compliant: [{ type: catalog.networkInterface.token, props: { ipConfigurations: [{ name: "primary", subnet: { id: "/subnets/nodes" } }] } }],
        violating: [{ type: catalog.networkInterface.token, props: { ipConfigurations: [{ name: "primary", publicIPAddress: { id: "/publicIPAddresses/ip" } }] }, why: /"primary"/ }],
    },
    "vm-trusted-launch": {
        compliant: [vm({})],
        violating: [
            { ...vm({ securityProfile: { encryptionAtHost: true } }), why: /TrustedLaunch/ },
            { ...vm({ securityProfile: { securityType: "TrustedLaunch", uefiSettings: { secureBootEnabled: false, vTpmEnabled: true } } }), why: /secureBootEnabled/ },
        ],
    },
    "vm-encryption-at-host": {
        compliant: [vm({}), { type: catalog.virtualMachineScaleSet.token, props: { orchestrationMode: "Flexible" } },
            { type: catalog.virtualMachineScaleSet.token, props: { virtualMachineProfile: { securityProfile: { encryptionAtHost: true } } } }],
        violating: [
            { ...vm({ securityProfile: { securityType: "TrustedLaunch", uefiSettings: { secureBootEnabled: true, vTpmEnabled: true } } }), why: /encryptionAtHost/ },
            { type: catalog.virtualMachineScaleSet.token, props: { virtualMachineProfile: { securityProfile: {} } }, why: /virtualMachineProfile/ },
        ],
    },
    "vm-automatic-patching": {
        compliant: [vm({}), vm({ osProfile: { linuxConfiguration: { patchSettings: { patchMode: "AutomaticByPlatform" } } } })],
        violating: [
            { ...vm({ osProfile: { windowsConfiguration: { enableAutomaticUpdates: false, patchSettings: { patchMode: "AutomaticByPlatform" } } } }), why: /enableAutomaticUpdates/ },
            { ...vm({ osProfile: { windowsConfiguration: { patchSettings: { patchMode: "Manual" } } } }), why: /"Manual"/ },
            { ...vm({ osProfile: { linuxConfiguration: { patchSettings: { patchMode: "ImageDefault" } } } }), why: /AutomaticByPlatform/ },
        ],
    },
    "vm-boot-diagnostics": {
        compliant: [vm({})],
        violating: [{ ...vm({ diagnosticsProfile: { bootDiagnostics: { enabled: false } } }), why: /bootDiagnostics/ }, { ...vm({ diagnosticsProfile: undefined }), why: /bootDiagnostics/ }],
    },
    "nsg-no-management-ports-from-internet": {
        compliant: [
            nsg(inboundRule({ sourceAddressPrefix: "*", destinationPortRange: "443" }), inboundRule({ sourceAddressPrefixes: ["203.0.113.0/24"], destinationPortRange: "3389" }),
                inboundRule({ sourceAddressPrefix: "*", destinationPortRange: "3389", access: "Deny" }), inboundRule({ sourceAddressPrefix: "*", destinationPortRange: "*", direction: "Outbound" })),
            { type: catalog.securityRule.token, props: inboundRule({ sourceAddressPrefix: "VirtualNetwork", destinationPortRange: "5985" }) },
        ],
        violating: [
            { ...nsg(inboundRule({ name: "rdp", sourceAddressPrefix: "*", destinationPortRange: "3389" })), why: /"rdp" lets RDP \(3389\) in/ },
            { ...nsg(inboundRule({ sourceAddressPrefix: "Internet", destinationPortRanges: ["5985-5986"] })), why: /WinRM/ },
            { ...nsg(inboundRule({ sourceAddressPrefixes: ["0.0.0.0/0"], destinationPortRange: "400-500" })), why: /SMB \(445\)/ },
            { type: catalog.securityRule.token, props: inboundRule({ sourceAddressPrefix: "Any", destinationPortRange: "*", protocol: "*" }), why: /SSH \(22\)/ },
        ],
    },
    "network-zonal-outbound": {
        compliant: [natGateway({}), publicIp({}), publicIp({ zones: ["1", "2", "3"] }), publicIp({ sku: { name: "Basic" }, zones: undefined })],
        violating: [
            { ...natGateway({ zones: undefined }), why: /NAT gateway's zone/ },
            { ...natGateway({ zones: [] }), why: /NAT gateway's zone/ },
            { ...publicIp({ zones: undefined }), why: /public IP's zone/ },
        ],
    },
    "vm-extension-settings-carry-no-credentials": {
        compliant: [extension({ fileUris: ["https://acct.blob.core.windows.net/node-settings/agent/run.ps1"], commandToExecute: "powershell -File run.ps1" })],
        violating: [
            { ...extension({ fileUris: ["https://acct.blob.core.windows.net/c/run.ps1?sv=2022-11-02&sig=abc%3D"] }), why: /SAS signature/ },
            { ...extension({ storageAccountKey: "k" }), why: /credential setting/ },
            { ...extension({ commandToExecute: "run.exe --db \"Server=x;Password=hunter2\"" }), why: /password/ },
        ],
    },
    "tags-carry-no-credentials": {
        compliant: [{ type: catalog.storageAccount.token, props: { tags: { "mendix-cluster": "prod", "managed-by": "pulumi" } } }, { type: "random:index/randomString:RandomString", props: {} }],
        violating: [
            { type: catalog.virtualMachine.token, props: { tags: { note: storageKeyShaped } }, why: /storage account key/ },
            { type: catalog.storageAccount.token, props: { tags: { dbPassword: "x" } }, why: /credential setting/ },
        ],
    },
};
