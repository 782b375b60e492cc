import { TypicalTime } from "./criticalPath";

/**
 * Typical create times of the stack's resources and of the node agent's run, for the first
 * deployment's critical path. Azure publishes no typical create time for these resources, so
 * every figure is an estimate, and says so; replace one with a measured time (a real
 * `pulumi up`'s per-resource durations) where you have it.
 */

const estimate = (seconds: number, what: string): TypicalTime => ({ seconds, source: `estimate: ${what}` });

export const typicalTimes = {
    byType: {
        "random:index/randomString:RandomString": { seconds: 0, source: "computed by the random provider, no cloud call" },
        "random:index/randomPassword:RandomPassword": { seconds: 0, source: "computed by the random provider, no cloud call" },
        "azure-native:resources:ResourceGroup": estimate(5, "one ARM write"),
        "azure-native:network:VirtualNetwork": estimate(15, "seconds"),
        "azure-native:network:Subnet": estimate(10, "seconds"),
        "azure-native:network:NetworkSecurityGroup": estimate(10, "seconds"),
        "azure-native:network:PublicIPAddress": estimate(10, "seconds"),
        "azure-native:network:NatGateway": estimate(30, "under a minute"),
        "azure-native:network:LoadBalancer": estimate(30, "under a minute"),
        "azure-native:network:NetworkInterface": estimate(10, "seconds"),
        "azure-native:network:PrivateEndpoint": estimate(90, "one to two minutes"),
        "azure-native:network:PrivateDnsZoneGroup": estimate(30, "under a minute"),
        "azure-native:privatedns:PrivateZone": estimate(30, "under a minute"),
        "azure-native:privatedns:VirtualNetworkLink": estimate(30, "under a minute"),
        "azure-native:storage:StorageAccount": estimate(30, "under a minute"),
        "azure-native:storage:BlobServiceProperties": estimate(5, "seconds"),
        "azure-native:storage:BlobContainer": estimate(5, "seconds"),
        "azure-native:storage:Blob": estimate(5, "an upload of a few megabytes"),
        "azure-native:keyvault:Vault": estimate(60, "about a minute"),
        "azure-native:keyvault:Secret": estimate(5, "seconds"),
        "azure-native:managedidentity:UserAssignedIdentity": estimate(10, "seconds"),
        // Azure may take up to 10 minutes to apply a grant; the agent retries 401/403 meanwhile, so
        // that wait overlaps the VM's creation and is not a step of its own here.
        "azure-native:authorization:RoleAssignment": estimate(10, "the ARM write; propagation overlaps the VM's creation"),
        "azure-native:operationalinsights:Workspace": estimate(60, "about a minute"),
        "azure-native:monitor:DiagnosticSetting": estimate(15, "seconds"),
        "azure-native:sql:Server": estimate(120, "a logical server, about two minutes"),
        "azure-native:sql:Database": estimate(600, "a zone-redundant Business Critical database often takes ten minutes or more to create"),
        "azure-native:sql:ServerBlobAuditingPolicy": estimate(30, "under a minute"),
        "azure-native:sql:BackupShortTermRetentionPolicy": estimate(30, "under a minute"),
        "azure-native:sql:ServerAzureADAdministrator": estimate(30, "under a minute"),
        "azure-native:compute:VirtualMachineScaleSet": estimate(30, "an empty Flexible scale set"),
        "azure-native:compute:Disk": estimate(15, "an empty managed disk"),
        "azure-native:compute:VirtualMachine": estimate(240, "Windows Server 2022 with Trusted Launch, until the VM agent reports ready"),
        "azure-native:compute:VirtualMachineExtension": estimate(120, "an extension other than the agent's, such as the Azure Monitor Agent"),
        "azure-native:compute:VirtualMachineRunCommandByVirtualMachine": estimate(60, "a short script"),
    },
    otherwise: estimate(30, "a resource type not listed"),
    agentPreparation: estimate(720, "download, data disk online, IIS and its modules, URL Rewrite, ARR, Java, the Service Console, the server distribution, the service account, the app and its site"),
    appStart: estimate(240, "the app started once its database accepts a sign-in (the leader synchronising an empty database), then ready behind the load balancer"),
} as const;
