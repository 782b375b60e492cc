import { stringify } from "yaml";
import { RegisteredResource } from "../harness/offThread";

/** Resources as the harness captures them, built by hand for the pure modules' tests. */

const stackUrn = "urn:pulumi:prod::mendix-cluster::pulumi:pulumi:Stack::mendix-cluster-prod";

export function urnOf(type: string, name: string): string {
    return `urn:pulumi:prod::mendix-cluster::${type}::${name}`;
}

export function resource(type: string, name: string, inputs: Record<string, unknown> = {}, options: Partial<RegisteredResource> = {}): RegisteredResource {
    return {
        type,
        name,
        urn: urnOf(type, name),
        id: `/mock/${type}/${name}`,
        parentUrn: stackUrn,
        custom: !type.startsWith("mendix:") && !type.startsWith("pulumi:"),
        inputs,
        visibleInputs: inputs,
        protect: false,
        retainOnDelete: false,
        ignoreChanges: [],
        createTimeout: "",
        dependencies: [],
        aliases: [],
        outputs: inputs,
        ...options,
    };
}

export const secretValues = { password: "fixture-db-password-7Hq", accountKey: "fixture-account-key-Lp2", sas: "sv=fixture-sas-Zk4" } as const;

export interface BlobNode {
    readonly name: string;
    readonly index: number;
    readonly leader: boolean;
    readonly computerName?: string;
}

/** A node settings blob as the program registers it: the YAML in the clear, the whole source a secret. */
export function settingsBlob(node: BlobNode, app: string, customSettings: Record<string, string> = {}, parentUrn = stackUrn): RegisteredResource {
    const computerName = node.computerName ?? `mxprod-${node.index}`;
    const text = stringify({
        schemaVersion: 1,
        node: { name: node.name, index: node.index, computerName, leader: node.leader, dataDisk: { lun: 0, driveLetter: "M" }, appsRoot: "M:\\Mendix\\Apps" },
        app: { name: app },
        runtimeSettings: {
            DatabaseType: "SQLSERVER",
            DatabaseHost: "mx-prod-sql.database.windows.net:1433",
            DatabaseName: app,
            DatabaseUserName: "mendixsql",
            DatabasePassword: secretValues.password,
        },
        customSettings: {
            ...(node.leader ? {} : { "com.mendix.core.isClusterSlave": "true" }),
            "com.mendix.storage.azure.AccountName": "mxprodfiles",
            "com.mendix.storage.azure.AccountKey": secretValues.accountKey,
            ...customSettings,
        },
    });
    const common = { accountName: "mxprodfiles", containerName: "node-settings", blobName: `nodes/${node.name}/${app}.yaml`, type: "Block" };
    return {
        ...resource("azure-native:storage:Blob", `mendix-agent-${node.name}-${app}-settings`, { ...common, source: { text } }, { parentUrn }),
        visibleInputs: { ...common, source: "[secret]" },
    };
}

export function vm(index: number, zone: string, vmSize = "Standard_D4s_v5"): RegisteredResource {
    return resource("azure-native:compute:VirtualMachine", `mendix-nodes-node-${index}-vm`, {
        vmName: `mx-prod-node-${index}`,
        zones: [zone],
        hardwareProfile: { vmSize },
        osProfile: { computerName: `mxprod-${index}` },
        location: "westeurope",
    });
}

/** A three-node cluster's nodes: VMs and settings blobs. */
export function clusterResources(nodeCount = 3, customSettings: Record<string, string> = {}): RegisteredResource[] {
    return Array.from({ length: nodeCount }, (_, index) => [
        vm(index, String((index % 3) + 1)),
        settingsBlob({ name: `node-${index}`, index, leader: index === 0 }, "app", customSettings),
    ]).flat();
}

/** A node as the program registers it: its component, holding its VM, data disk, NIC, a grant and its settings blob. */
export function nodeDeployment(index: number): RegisteredResource[] {
    const component = resource("mendix:cluster:NodeDeployment", `mendix-nodes-node-${index}`);
    const own = { parentUrn: component.urn };
    return [
        component,
        resource("azure-native:compute:VirtualMachine", `mendix-nodes-node-${index}-vm`, { vmName: `mx-prod-node-${index}`, osProfile: { computerName: `mxprod-${index}` } }, own),
        resource("azure-native:compute:Disk", `mendix-nodes-node-${index}-data`, { diskName: `mx-prod-node-${index}-data`, diskSizeGB: 256 }, own),
        resource("azure-native:network:NetworkInterface", `mendix-nodes-node-${index}-nic`, { networkInterfaceName: `nic-${index}` }, own),
        resource("azure-native:authorization:RoleAssignment", `mendix-nodes-node-${index}-settings-reader`, {}, own),
        settingsBlob({ name: `node-${index}`, index, leader: index === 0 }, "app", {}, component.urn),
    ];
}
