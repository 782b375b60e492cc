/** Resource types as `@pulumi/azure-native` v3 registers them with the engine. */
export const azureTypes = {
    storageAccount: "azure-native:storage:StorageAccount",
    blobServiceProperties: "azure-native:storage:BlobServiceProperties",
    blobContainer: "azure-native:storage:BlobContainer",
    sqlServer: "azure-native:sql:Server",
    sqlFirewallRule: "azure-native:sql:FirewallRule",
    sqlEntraAdmin: "azure-native:sql:ServerAzureADAdministrator",
    sqlServerAuditing: "azure-native:sql:ServerBlobAuditingPolicy",
    sqlExtendedServerAuditing: "azure-native:sql:ExtendedServerBlobAuditingPolicy",
    sqlBackupShortTermRetention: "azure-native:sql:BackupShortTermRetentionPolicy",
    diagnosticSetting: "azure-native:monitor:DiagnosticSetting",
    logAnalyticsWorkspace: "azure-native:operationalinsights:Workspace",
    virtualMachine: "azure-native:compute:VirtualMachine",
    virtualMachineScaleSet: "azure-native:compute:VirtualMachineScaleSet",
    virtualMachineExtension: "azure-native:compute:VirtualMachineExtension",
    networkInterface: "azure-native:network:NetworkInterface",
    networkSecurityGroup: "azure-native:network:NetworkSecurityGroup",
    securityRule: "azure-native:network:SecurityRule",
    natGateway: "azure-native:network:NatGateway",
    publicIpAddress: "azure-native:network:PublicIPAddress",
    keyVault: "azure-native:keyvault:Vault",
    keyVaultSecret: "azure-native:keyvault:Secret",
} as const;

export type AzureType = (typeof azureTypes)[keyof typeof azureTypes];
