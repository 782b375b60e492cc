/**
 * What every storage account of the stack has, whatever it holds: HTTPS and TLS 1.2 only, no public
 * blob access, infrastructure encryption. Shared keys stay allowed: azure-native's storage.Blob uploads
 * the agent, models and settings with the account key (provider custom_storage_azidentity.go: ListKeys,
 * then a shared-key client), and an app older than Mendix 10.10 signs in with it (docs/security.md).
 * Azure sets infrastructure encryption at creation only: an account made without it has to be replaced.
 */
export const storageAccountBaseline = {
    kind: "StorageV2",
    accessTier: "Hot",
    enableHttpsTrafficOnly: true,
    minimumTlsVersion: "TLS1_2",
    allowBlobPublicAccess: false,
    allowSharedKeyAccess: true,
    encryption: {
        keySource: "Microsoft.Storage",
        requireInfrastructureEncryption: true,
        services: { blob: { enabled: true, keyType: "Account" }, file: { enabled: true, keyType: "Account" } },
    },
} as const;
