import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";

/**
 * What Azure and the random provider would compute for the resources the program registers, with
 * values distinctive enough that a test can search for them (the mock secrets above all).
 */
export const mockSecrets = {
    storageKey: "mock-storage-key-Zq81",
    secondStorageKey: "mock-storage-key2-Wp47",
    /** New keepers make a new password (the random provider replaces the resource when they change). */
    randomPassword: (name: string, keepers?: unknown) => keepers === undefined
        ? `mock-random-password-${name}`
        : `mock-random-password-${name}-${createHash("md5").update(JSON.stringify(keepers)).digest("hex").slice(0, 8)}`,
};

export const mockSubscriptionId = "00000000-0000-0000-0000-000000000001";
export const mockPublicIp = "20.50.60.70";

/** Azure gives a user-assigned identity two GUIDs of its own: its client id and its principal (object) id. */
export function mockIdentityIds(identityName: string): { clientId: string; principalId: string } {
    const guid = (kind: string) => {
        const hex = createHash("md5").update(`${kind}:${identityName}`).digest("hex");
        return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
    };
    return { clientId: guid("client"), principalId: guid("principal") };
}

function computedState(args: pulumi.runtime.MockResourceArgs): Record<string, unknown> {
    const inputs = args.inputs as Record<string, unknown>;
    switch (args.type) {
        case "random:index/randomString:RandomString":
            return { result: "k3x9q2".slice(0, Number(inputs["length"] ?? 6)) };
        case "random:index/randomPassword:RandomPassword":
            return { result: mockSecrets.randomPassword(args.name, inputs["keepers"]) };
        case "azure-native:storage:StorageAccount":
            return { primaryEndpoints: { blob: `https://${String(inputs["accountName"])}.blob.core.windows.net/` } };
        case "azure-native:sql:Server":
            return { fullyQualifiedDomainName: `${String(inputs["serverName"])}.database.windows.net` };
        case "azure-native:network:PublicIPAddress": {
            // Azure names a labelled public IP <label>.<region>.cloudapp.azure.com.
            const label = (inputs["dnsSettings"] as { domainNameLabel?: string } | undefined)?.domainNameLabel;
            return {
                ipAddress: mockPublicIp,
                ...(label === undefined ? {} : { dnsSettings: { domainNameLabel: label, fqdn: `${label}.${String(inputs["location"])}.cloudapp.azure.com` } }),
            };
        }
        case "azure-native:managedidentity:UserAssignedIdentity":
            return { ...mockIdentityIds(String(inputs["resourceName"])), tenantId: "tenant" };
        case "azure-native:keyvault:Secret": {
            // Azure makes a new version whenever the value changes. The properties arrive as a
            // secret (they hold one), so the version is taken from their serialized form.
            const version = createHash("md5").update(JSON.stringify(inputs["properties"] ?? null)).digest("hex");
            const uri = `https://${String(inputs["vaultName"])}.vault.azure.net/secrets/${String(inputs["secretName"])}`;
            return { properties: { secretUri: uri, secretUriWithVersion: `${uri}/${version}` } };
        }
        case "azure-native:resources:ResourceGroup":
            return { name: inputs["resourceGroupName"] };
        default:
            return {};
    }
}

/** The input that holds a resource's own Azure name; mocks echo it into `name`, as Azure does. */
const ownNameInput: Readonly<Record<string, string>> = {
    "azure-native:resources:ResourceGroup": "resourceGroupName",
    "azure-native:storage:StorageAccount": "accountName",
    "azure-native:storage:BlobServiceProperties": "blobServicesName",
    "azure-native:storage:BlobContainer": "containerName",
    "azure-native:storage:Blob": "blobName",
    "azure-native:sql:Server": "serverName",
    "azure-native:sql:Database": "databaseName",
    "azure-native:sql:VirtualNetworkRule": "virtualNetworkRuleName",
    "azure-native:compute:VirtualMachineScaleSet": "vmScaleSetName",
    "azure-native:compute:VirtualMachine": "vmName",
    "azure-native:compute:Disk": "diskName",
    "azure-native:compute:VirtualMachineExtension": "vmExtensionName",
    "azure-native:managedidentity:UserAssignedIdentity": "resourceName",
    "azure-native:network:VirtualNetwork": "virtualNetworkName",
    "azure-native:network:Subnet": "subnetName",
    "azure-native:network:NetworkSecurityGroup": "networkSecurityGroupName",
    "azure-native:network:NatGateway": "natGatewayName",
    "azure-native:network:PublicIPAddress": "publicIpAddressName",
    "azure-native:network:LoadBalancer": "loadBalancerName",
    "azure-native:network:BastionHost": "bastionHostName",
    "azure-native:network:NetworkInterface": "networkInterfaceName",
    "azure-native:keyvault:Vault": "vaultName",
    "azure-native:compute:VirtualMachineRunCommandByVirtualMachine": "runCommandName",
    "azure-native:keyvault:Secret": "secretName",
    "azure-native:network:PrivateEndpoint": "privateEndpointName",
    "azure-native:privatedns:VirtualNetworkLink": "virtualNetworkLinkName",
    "azure-native:privatedns:PrivateZone": "privateZoneName",
    "azure-native:operationalinsights:Workspace": "workspaceName",
    "azure-native:operationalinsights:Table": "tableName",
    "azure-native:monitor:DataCollectionEndpoint": "dataCollectionEndpointName",
    "azure-native:monitor:DataCollectionRule": "dataCollectionRuleName",
    "azure-native:monitor:DataCollectionRuleAssociation": "associationName",
    "azure-native:monitor:ActionGroup": "actionGroupName",
    "azure-native:monitor:MetricAlert": "ruleName",
    "azure-native:monitor:ScheduledQueryRule": "ruleName",
    "azure-native:applicationinsights:Workbook": "resourceName",
    "azure-native:sql:ServerSecurityAlertPolicy": "securityAlertPolicyName",
};

/**
 * Mocks of Azure; `lastOutputs` are the stack outputs of the previous deployment, which the program
 * reads through a stack reference to itself (none: a stack never deployed). `featureStates`: the
 * subscription's feature registrations by `<namespace>/<feature>`, as the Features API reports
 * `properties.state` (Registered, NotRegistered, Pending, ...); a feature not listed is Registered.
 */
export const azureMocks = (lastOutputs: Readonly<Record<string, unknown>> = {}, featureStates: Readonly<Record<string, string>> = {}): pulumi.runtime.Mocks => ({
    newResource(args) {
        const inputs = args.inputs as Record<string, unknown>;
        if (args.type === "pulumi:pulumi:StackReference") {
            return { id: String(inputs["name"]), state: { name: inputs["name"], outputs: lastOutputs, secretOutputNames: [] } };
        }
        return {
            id: `/mock/${args.type}/${args.name}`,
            state: { ...inputs, name: inputs[ownNameInput[args.type] ?? ""], ...computedState(args) },
        };
    },
    call(args) {
        switch (args.token) {
            case "azure-native:storage:listStorageAccountKeys":
                return { keys: [
                    { keyName: "key1", permissions: "FULL", value: mockSecrets.storageKey },
                    { keyName: "key2", permissions: "FULL", value: mockSecrets.secondStorageKey },
                ] };
            case "azure-native:features:getSubscriptionFeatureRegistration": {
                const feature = `${String(args.inputs["providerNamespace"])}/${String(args.inputs["featureName"])}`;
                return {
                    id: `/subscriptions/${mockSubscriptionId}/providers/Microsoft.Features/featureProviders/${String(args.inputs["providerNamespace"])}/subscriptionFeatureRegistrations/${String(args.inputs["featureName"])}`,
                    name: args.inputs["featureName"],
                    type: "Microsoft.Features/featureProviders/subscriptionFeatureRegistrations",
                    properties: { state: featureStates[feature] ?? "Registered" },
                };
            }
            case "azure-native:authorization:getClientConfig":
                return { subscriptionId: mockSubscriptionId, tenantId: "tenant", clientId: "client", objectId: "object" };
            default:
                throw new Error(`no mock for the call ${args.token}`);
        }
    },
});
