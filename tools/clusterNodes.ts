import { RegisteredResource } from "../offline/evaluate";
import { NodeAppSettings, readNodeSettings } from "./nodeSettings";

/** A node of the cluster as a reviewer thinks of it: its VM, its role and its apps' settings. */
export interface ClusterNode {
    readonly name: string;
    readonly index: number;
    readonly computerName: string;
    readonly leader: boolean;
    readonly zone: string | undefined;
    readonly vmSize: string | undefined;
    /** The node's VM, when the program registers one with the node's computer name. */
    readonly vmUrn: string | undefined;
    /** One entry per app, by app name. */
    readonly apps: readonly NodeAppSettings[];
}

const vmType = "azure-native:compute:VirtualMachine";

function field(value: unknown, ...path: string[]): unknown {
    return path.reduce<unknown>((current, key) => (typeof current === "object" && current !== null ? (current as Record<string, unknown>)[key] : undefined), value);
}

/** The zone of a resource pinned to exactly one zone. */
export function singleZone(resource: RegisteredResource): string | undefined {
    const zones = resource.inputs["zones"];
    return Array.isArray(zones) && zones.length === 1 && typeof zones[0] === "string" ? zones[0] : undefined;
}

/** The nodes, from their settings blobs (which say name, role and computer name), joined to their VMs. */
export function describeNodes(resources: readonly RegisteredResource[]): ClusterNode[] {
    const settings = resources.flatMap((resource) => readNodeSettings(resource) ?? []);
    const vmsByComputerName = new Map(resources
        .filter((resource) => resource.type === vmType)
        .map((vm) => [String(field(vm.inputs, "osProfile", "computerName") ?? ""), vm]));
    const nodeNames = [...new Set(settings.map((entry) => entry.node))];
    return nodeNames
        .map((name) => {
            const apps = settings.filter((entry) => entry.node === name).sort((a, b) => a.app.localeCompare(b.app));
            const first = apps[0] as NodeAppSettings;
            const vm = vmsByComputerName.get(first.computerName);
            const vmSize = vm === undefined ? undefined : field(vm.inputs, "hardwareProfile", "vmSize");
            return {
                name,
                index: first.index,
                computerName: first.computerName,
                leader: apps.some((entry) => entry.leader),
                zone: vm === undefined ? undefined : singleZone(vm),
                vmSize: typeof vmSize === "string" ? vmSize : undefined,
                vmUrn: vm?.urn,
                apps,
            };
        })
        .sort((a, b) => a.index - b.index || a.name.localeCompare(b.name));
}

/** The leader: the stack's `leader` output, or else the node whose settings say it leads. */
export function leaderOf(outputs: Readonly<Record<string, unknown>>, nodes: readonly ClusterNode[]): string | undefined {
    const output = outputs["leader"];
    if (typeof output === "string" && output !== "") {
        return output;
    }
    return nodes.find((node) => node.leader)?.name;
}
