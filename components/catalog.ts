/**
 * Every resource type the stack registers (and the few the policy pack guards against), one row
 * each: how Azure names and identifies it, which inputs make Azure (or the provider) replace it
 * rather than update it, and whether replacing it loses data. Read by the offline plan's diff and
 * verdict, by the mocks that stand in for Azure, by the tests and by the policy pack, which
 * loads it from the checkout (`--policy-pack policy`). Pure data: no imports, so the pack loads
 * nothing of the program with it.
 *
 * Ids follow Azure Resource Manager's shape: `{resourceGroup}` stands for
 * `/subscriptions/<subscription>/resourceGroups/<resourceGroupName>`, `{input}` for that input's
 * value. Replacing inputs: the resource's own name, its parents' names and its location (ARM
 * identifies a resource by them), and the properties Azure sets at creation only. A nested input
 * replaces when any part of it changes, a whole block added or removed included.
 */
export interface CatalogEntry {
    /** The token `@pulumi/azure-native` v3 (or `@pulumi/random`, or the program's own dynamic provider) registers it with. */
    readonly token: string;
    /** The input that holds its own Azure name; undefined when Azure or the provider names it. */
    readonly nameInput: string | undefined;
    /** The Azure resource id, as a template (see above); undefined for what has no Azure id. */
    readonly idTemplate: string | undefined;
    /** Inputs whose change replaces it (dotted paths), besides those every Azure type shares. */
    readonly replacedBy: readonly string[];
    /** Replacing or removing it loses data (a database, files, secrets, audit records, a node's apps). */
    readonly holdsData: boolean;
    /** Part of a node: replacing it takes the node down and rebuilds it. */
    readonly nodePart: boolean;
    /** Holds the nodes: replacing it deletes every VM in it (a scale set takes its VMs with it), so every node is rebuilt. */
    readonly holdsNodes: boolean;
    /** Inputs Azure changes in place by restarting it (dotted paths): nodes whose VMs change so restart together, not in the rollout's batches. */
    readonly restartedBy: readonly string[];
    /** Inputs Azure changes only while it is deallocated, which `pulumi up` never does: each one is changed by hand first. */
    readonly changedDeallocatedOnly: readonly string[];
    /** Named sub-resources Azure keeps inline and gives ids of their own: `<id>/<collection>/<name>`. */
    readonly inlineChildren: readonly string[];
    /** The stack never registers it: the policy pack refuses or checks it if anything else does. */
    readonly guardedOnly: boolean;
}

/** Replacing inputs of every Azure type that sits in a resource group. */
export const sharedReplacingInputs: readonly string[] = ["location", "resourceGroupName"];

type Row = Partial<CatalogEntry> & Pick<CatalogEntry, "token" | "nameInput" | "idTemplate">;

function row(entry: Row): CatalogEntry {
    return { replacedBy: [], holdsData: false, nodePart: false, holdsNodes: false, restartedBy: [], changedDeallocatedOnly: [], inlineChildren: [], guardedOnly: false, ...entry };
}

const rg = "{resourceGroup}/providers";

export const catalog = {
    resourceGroup: row({
        token: "azure-native:resources:ResourceGroup", nameInput: "resourceGroupName", idTemplate: "/subscriptions/{subscription}/resourceGroups/{resourceGroupName}",
    }),
    virtualNetwork: row({
        token: "azure-native:network:VirtualNetwork", nameInput: "virtualNetworkName",
        idTemplate: `${rg}/Microsoft.Network/virtualNetworks/{virtualNetworkName}`, replacedBy: ["virtualNetworkName"],
    }),
    subnet: row({
        token: "azure-native:network:Subnet", nameInput: "subnetName",
        idTemplate: `${rg}/Microsoft.Network/virtualNetworks/{virtualNetworkName}/subnets/{subnetName}`, replacedBy: ["virtualNetworkName", "subnetName"],
    }),
    networkSecurityGroup: row({
        token: "azure-native:network:NetworkSecurityGroup", nameInput: "networkSecurityGroupName",
        idTemplate: `${rg}/Microsoft.Network/networkSecurityGroups/{networkSecurityGroupName}`, replacedBy: ["networkSecurityGroupName"],
        inlineChildren: ["securityRules"],
    }),
    natGateway: row({
        token: "azure-native:network:NatGateway", nameInput: "natGatewayName",
        idTemplate: `${rg}/Microsoft.Network/natGateways/{natGatewayName}`, replacedBy: ["natGatewayName", "zones"],
    }),
    publicIpAddress: row({
        token: "azure-native:network:PublicIPAddress", nameInput: "publicIpAddressName",
        idTemplate: `${rg}/Microsoft.Network/publicIPAddresses/{publicIpAddressName}`,
        replacedBy: ["publicIpAddressName", "zones", "sku", "publicIPAddressVersion"],
    }),
    loadBalancer: row({
        token: "azure-native:network:LoadBalancer", nameInput: "loadBalancerName",
        idTemplate: `${rg}/Microsoft.Network/loadBalancers/{loadBalancerName}`, replacedBy: ["loadBalancerName", "sku"],
        inlineChildren: ["frontendIPConfigurations", "backendAddressPools", "probes", "loadBalancingRules"],
    }),
    trafficManagerProfile: row({
        // The name under trafficmanager.net is set when the profile is created.
        token: "azure-native:trafficmanager:Profile", nameInput: "profileName",
        idTemplate: `${rg}/Microsoft.Network/trafficmanagerprofiles/{profileName}`, replacedBy: ["profileName", "dnsConfig.relativeName"],
    }),
    bastionHost: row({
        token: "azure-native:network:BastionHost", nameInput: "bastionHostName",
        idTemplate: `${rg}/Microsoft.Network/bastionHosts/{bastionHostName}`, replacedBy: ["bastionHostName", "zones"],
        inlineChildren: ["ipConfigurations"],
    }),
    networkInterface: row({
        token: "azure-native:network:NetworkInterface", nameInput: "networkInterfaceName",
        idTemplate: `${rg}/Microsoft.Network/networkInterfaces/{networkInterfaceName}`, replacedBy: ["networkInterfaceName"],
        inlineChildren: ["ipConfigurations"],
    }),
    privateEndpoint: row({
        token: "azure-native:network:PrivateEndpoint", nameInput: "privateEndpointName",
        idTemplate: `${rg}/Microsoft.Network/privateEndpoints/{privateEndpointName}`, replacedBy: ["privateEndpointName", "subnet"],
    }),
    privateDnsZoneGroup: row({
        token: "azure-native:network:PrivateDnsZoneGroup", nameInput: "privateDnsZoneGroupName",
        idTemplate: `${rg}/Microsoft.Network/privateEndpoints/{privateEndpointName}/privateDnsZoneGroups/{privateDnsZoneGroupName}`,
        replacedBy: ["privateEndpointName", "privateDnsZoneGroupName"],
    }),
    privateZone: row({
        token: "azure-native:privatedns:PrivateZone", nameInput: "privateZoneName",
        idTemplate: `${rg}/Microsoft.Network/privateDnsZones/{privateZoneName}`, replacedBy: ["privateZoneName"],
    }),
    virtualNetworkLink: row({
        token: "azure-native:privatedns:VirtualNetworkLink", nameInput: "virtualNetworkLinkName",
        idTemplate: `${rg}/Microsoft.Network/privateDnsZones/{privateZoneName}/virtualNetworkLinks/{virtualNetworkLinkName}`,
        replacedBy: ["privateZoneName", "virtualNetworkLinkName", "virtualNetwork"],
    }),
    storageAccount: row({
        token: "azure-native:storage:StorageAccount", nameInput: "accountName",
        idTemplate: `${rg}/Microsoft.Storage/storageAccounts/{accountName}`,
        replacedBy: ["accountName", "kind", "isHnsEnabled", "encryption.requireInfrastructureEncryption"], holdsData: true,
    }),
    blobServiceProperties: row({
        token: "azure-native:storage:BlobServiceProperties", nameInput: "blobServicesName",
        idTemplate: `${rg}/Microsoft.Storage/storageAccounts/{accountName}/blobServices/{blobServicesName}`, replacedBy: ["accountName", "blobServicesName"],
    }),
    blobContainer: row({
        token: "azure-native:storage:BlobContainer", nameInput: "containerName",
        idTemplate: `${rg}/Microsoft.Storage/storageAccounts/{accountName}/blobServices/default/containers/{containerName}`,
        replacedBy: ["accountName", "containerName"], holdsData: true,
    }),
    blob: row({
        token: "azure-native:storage:Blob", nameInput: "blobName",
        idTemplate: `${rg}/Microsoft.Storage/storageAccounts/{accountName}/blobServices/default/containers/{containerName}/blobs/{blobName}`,
        replacedBy: ["accountName", "containerName", "blobName"],
    }),
    sqlServer: row({
        token: "azure-native:sql:Server", nameInput: "serverName",
        idTemplate: `${rg}/Microsoft.Sql/servers/{serverName}`, replacedBy: ["serverName", "administratorLogin"], holdsData: true,
    }),
    sqlDatabase: row({
        token: "azure-native:sql:Database", nameInput: "databaseName",
        idTemplate: `${rg}/Microsoft.Sql/servers/{serverName}/databases/{databaseName}`,
        // How a database was made is set at creation: a restored one is declared so for ever after.
        replacedBy: ["serverName", "databaseName", "createMode", "sourceDatabaseId", "restorePointInTime"], holdsData: true,
    }),
    sqlFailoverGroup: row({
        // The group's name is its listener's, global DNS; Azure keeps it a child of the primary server.
        token: "azure-native:sql:FailoverGroup", nameInput: "failoverGroupName",
        idTemplate: `${rg}/Microsoft.Sql/servers/{serverName}/failoverGroups/{failoverGroupName}`, replacedBy: ["serverName", "failoverGroupName"],
    }),
    sqlEntraAdmin: row({
        token: "azure-native:sql:ServerAzureADAdministrator", nameInput: "administratorName",
        idTemplate: `${rg}/Microsoft.Sql/servers/{serverName}/administrators/{administratorName}`, replacedBy: ["serverName", "administratorName"],
    }),
    sqlEntraOnly: row({
        token: "azure-native:sql:ServerAzureADOnlyAuthentication", nameInput: "authenticationName",
        idTemplate: `${rg}/Microsoft.Sql/servers/{serverName}/azureADOnlyAuthentications/{authenticationName}`, replacedBy: ["serverName", "authenticationName"],
    }),
    sqlServerAuditing: row({
        token: "azure-native:sql:ServerBlobAuditingPolicy", nameInput: "blobAuditingPolicyName",
        idTemplate: `${rg}/Microsoft.Sql/servers/{serverName}/auditingSettings/{blobAuditingPolicyName}`, replacedBy: ["serverName", "blobAuditingPolicyName"],
    }),
    sqlBackupShortTermRetention: row({
        token: "azure-native:sql:BackupShortTermRetentionPolicy", nameInput: "policyName",
        idTemplate: `${rg}/Microsoft.Sql/servers/{serverName}/databases/{databaseName}/backupShortTermRetentionPolicies/{policyName}`,
        replacedBy: ["serverName", "databaseName", "policyName"],
    }),
    sqlFirewallRule: row({
        token: "azure-native:sql:FirewallRule", nameInput: "firewallRuleName",
        idTemplate: `${rg}/Microsoft.Sql/servers/{serverName}/firewallRules/{firewallRuleName}`, replacedBy: ["serverName", "firewallRuleName"], guardedOnly: true,
    }),
    sqlExtendedServerAuditing: row({
        token: "azure-native:sql:ExtendedServerBlobAuditingPolicy", nameInput: "blobAuditingPolicyName",
        idTemplate: `${rg}/Microsoft.Sql/servers/{serverName}/extendedAuditingSettings/{blobAuditingPolicyName}`,
        replacedBy: ["serverName", "blobAuditingPolicyName"], guardedOnly: true,
    }),
    securityRule: row({
        token: "azure-native:network:SecurityRule", nameInput: "securityRuleName",
        idTemplate: `${rg}/Microsoft.Network/networkSecurityGroups/{networkSecurityGroupName}/securityRules/{securityRuleName}`,
        replacedBy: ["networkSecurityGroupName", "securityRuleName"], guardedOnly: true,
    }),
    diagnosticSetting: row({
        token: "azure-native:monitor:DiagnosticSetting", nameInput: "name",
        idTemplate: "{resourceUri}/providers/Microsoft.Insights/diagnosticSettings/{name}", replacedBy: ["name", "resourceUri"],
    }),
    logAnalyticsWorkspace: row({
        token: "azure-native:operationalinsights:Workspace", nameInput: "workspaceName",
        idTemplate: `${rg}/Microsoft.OperationalInsights/workspaces/{workspaceName}`, replacedBy: ["workspaceName"], holdsData: true,
    }),
    logAnalyticsTable: row({
        token: "azure-native:operationalinsights:Table", nameInput: "tableName",
        idTemplate: `${rg}/Microsoft.OperationalInsights/workspaces/{workspaceName}/tables/{tableName}`, replacedBy: ["workspaceName", "tableName"],
    }),
    dataCollectionEndpoint: row({
        token: "azure-native:monitor:DataCollectionEndpoint", nameInput: "dataCollectionEndpointName",
        idTemplate: `${rg}/Microsoft.Insights/dataCollectionEndpoints/{dataCollectionEndpointName}`, replacedBy: ["dataCollectionEndpointName"],
    }),
    dataCollectionRule: row({
        token: "azure-native:monitor:DataCollectionRule", nameInput: "dataCollectionRuleName",
        idTemplate: `${rg}/Microsoft.Insights/dataCollectionRules/{dataCollectionRuleName}`, replacedBy: ["dataCollectionRuleName"],
    }),
    dataCollectionRuleAssociation: row({
        token: "azure-native:monitor:DataCollectionRuleAssociation", nameInput: "associationName",
        idTemplate: "{resourceUri}/providers/Microsoft.Insights/dataCollectionRuleAssociations/{associationName}", replacedBy: ["associationName", "resourceUri"],
    }),
    actionGroup: row({
        token: "azure-native:monitor:ActionGroup", nameInput: "actionGroupName",
        idTemplate: `${rg}/Microsoft.Insights/actionGroups/{actionGroupName}`, replacedBy: ["actionGroupName"],
    }),
    metricAlert: row({
        token: "azure-native:monitor:MetricAlert", nameInput: "ruleName",
        idTemplate: `${rg}/Microsoft.Insights/metricAlerts/{ruleName}`, replacedBy: ["ruleName"],
    }),
    scheduledQueryRule: row({
        token: "azure-native:monitor:ScheduledQueryRule", nameInput: "ruleName",
        idTemplate: `${rg}/Microsoft.Insights/scheduledQueryRules/{ruleName}`, replacedBy: ["ruleName"],
    }),
    workbook: row({
        token: "azure-native:applicationinsights:Workbook", nameInput: "resourceName",
        idTemplate: `${rg}/Microsoft.Insights/workbooks/{resourceName}`, replacedBy: ["resourceName", "kind"],
    }),
    sqlSecurityAlertPolicy: row({
        token: "azure-native:sql:ServerSecurityAlertPolicy", nameInput: "securityAlertPolicyName",
        idTemplate: `${rg}/Microsoft.Sql/servers/{serverName}/securityAlertPolicies/{securityAlertPolicyName}`, replacedBy: ["serverName", "securityAlertPolicyName"],
    }),
    keyVault: row({
        token: "azure-native:keyvault:Vault", nameInput: "vaultName",
        idTemplate: `${rg}/Microsoft.KeyVault/vaults/{vaultName}`, replacedBy: ["vaultName", "properties.tenantId"], holdsData: true,
    }),
    keyVaultSecret: row({
        token: "azure-native:keyvault:Secret", nameInput: "secretName",
        idTemplate: `${rg}/Microsoft.KeyVault/vaults/{vaultName}/secrets/{secretName}`, replacedBy: ["vaultName", "secretName"],
    }),
    roleAssignment: row({
        token: "azure-native:authorization:RoleAssignment", nameInput: "roleAssignmentName",
        idTemplate: "{scope}/providers/Microsoft.Authorization/roleAssignments/{roleAssignmentName}",
        replacedBy: ["roleAssignmentName", "scope", "principalId", "roleDefinitionId"],
    }),
    userAssignedIdentity: row({
        token: "azure-native:managedidentity:UserAssignedIdentity", nameInput: "resourceName",
        idTemplate: `${rg}/Microsoft.ManagedIdentity/userAssignedIdentities/{resourceName}`, replacedBy: ["resourceName"],
    }),
    virtualMachineScaleSet: row({
        token: "azure-native:compute:VirtualMachineScaleSet", nameInput: "vmScaleSetName",
        idTemplate: `${rg}/Microsoft.Compute/virtualMachineScaleSets/{vmScaleSetName}`,
        replacedBy: ["vmScaleSetName", "orchestrationMode", "zones", "platformFaultDomainCount"],
        holdsNodes: true,
    }),
    virtualMachine: row({
        token: "azure-native:compute:VirtualMachine", nameInput: "vmName",
        idTemplate: `${rg}/Microsoft.Compute/virtualMachines/{vmName}`,
        replacedBy: ["vmName", "zones", "virtualMachineScaleSet.id", "storageProfile.osDisk", "osProfile.computerName", "osProfile.adminUsername", "securityProfile.securityType"],
        nodePart: true,
        // "If the virtual machine is currently running, changing its size will cause it to be
        // restarted" (Microsoft Learn, "Change the size of a virtual machine"); encryption at host
        // only on a deallocated VM (plan/encryptionAtHost.ts).
        restartedBy: ["hardwareProfile.vmSize"],
        changedDeallocatedOnly: ["securityProfile.encryptionAtHost"],
    }),
    disk: row({
        token: "azure-native:compute:Disk", nameInput: "diskName",
        idTemplate: `${rg}/Microsoft.Compute/disks/{diskName}`, replacedBy: ["diskName", "zones", "creationData"], holdsData: true, nodePart: true,
    }),
    virtualMachineExtension: row({
        token: "azure-native:compute:VirtualMachineExtension", nameInput: "vmExtensionName",
        idTemplate: `${rg}/Microsoft.Compute/virtualMachines/{vmName}/extensions/{vmExtensionName}`, replacedBy: ["vmName", "vmExtensionName"],
    }),
    runCommand: row({
        token: "azure-native:compute:VirtualMachineRunCommandByVirtualMachine", nameInput: "runCommandName",
        idTemplate: `${rg}/Microsoft.Compute/virtualMachines/{vmName}/runCommands/{runCommandName}`, replacedBy: ["vmName", "runCommandName"],
    }),
    filesRestore: row({
        // A dynamic resource (components/blobRestore/provider.ts): no Azure id of its own; its
        // provider refuses any change of what it restored, since a new restore is a new resource.
        token: "pulumi-nodejs:dynamic/mendix:FilesRestore", nameInput: undefined, idTemplate: undefined,
        replacedBy: ["accountId", "timeToRestore", "blobRanges"],
    }),
    randomString: row({
        token: "random:index/randomString:RandomString", nameInput: undefined, idTemplate: undefined,
        replacedBy: ["length", "special", "upper", "lower", "numeric", "overrideSpecial", "minLower", "minUpper", "minNumeric", "minSpecial", "keepers"],
    }),
    randomPassword: row({
        token: "random:index/randomPassword:RandomPassword", nameInput: undefined, idTemplate: undefined,
        replacedBy: ["length", "special", "upper", "lower", "numeric", "overrideSpecial", "minLower", "minUpper", "minNumeric", "minSpecial", "keepers"],
    }),
} as const satisfies Readonly<Record<string, CatalogEntry>>;

export type CatalogKey = keyof typeof catalog;

const byToken: ReadonlyMap<string, CatalogEntry> = new Map(Object.values(catalog).map((entry) => [entry.token, entry]));

/** The row of a type token; undefined for a type the catalogue lacks. */
export function catalogEntry(token: string): CatalogEntry | undefined {
    return byToken.get(token);
}

/** The inputs whose change replaces a resource of this type: its own and, for an Azure type, the shared ones. */
export function replacingInputsOf(token: string): readonly string[] {
    const entry = byToken.get(token);
    if (entry === undefined) {
        return [];
    }
    return entry.token.startsWith("azure-native:") ? [...sharedReplacingInputs, ...entry.replacedBy] : entry.replacedBy;
}
