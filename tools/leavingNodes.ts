import { catalog } from "../components/catalog";
import { RegisteredResource } from "../offline/evaluate";
import { ClusterNode } from "./clusterNodes";

/**
 * A scale-in, as a reviewer reads it: each node that leaves, and what goes with it. A node's
 * resources are those under the component that holds its settings blobs (its `NodeDeployment`); its
 * data disk holds the apps' deployment and logs only (the files are in Blob Storage, the data in
 * SQL), so a node leaving with its disk is the routine edit of `nodeCount`, not a loss of data.
 */
export interface LeavingNode {
    readonly node: string;
    /** The node's removed resources, the component that held them first. */
    readonly resources: readonly RegisteredResource[];
}

/**
 * The component that holds each node's settings blobs and no other node's, by node name. In an older
 * layout a node's blobs sit under a component the nodes share (the agent's, the cluster's): none of
 * them then has one of its own, and its resources are judged one by one.
 */
function nodeComponents(nodes: readonly ClusterNode[], resources: ReadonlyMap<string, RegisteredResource>): Map<string, string> {
    const nodesUnder = new Map<string, Set<string>>();
    for (const node of nodes) {
        for (const app of node.apps) {
            const parent = resources.get(app.blobUrn)?.parentUrn ?? "";
            nodesUnder.set(parent, new Set([...(nodesUnder.get(parent) ?? []), node.name]));
        }
    }
    return new Map([...nodesUnder].flatMap(([parent, names]) => {
        const [only] = names;
        return names.size === 1 && only !== undefined && resources.get(parent)?.custom === false ? [[only, parent] as const] : [];
    }));
}

/** The node each resource belongs to: the node of its nearest ancestor that is a node's component. */
export function nodeOfResources(nodes: readonly ClusterNode[], resources: readonly RegisteredResource[]): Map<string, string> {
    const byUrn = new Map(resources.map((resource) => [resource.urn, resource]));
    const nodeByComponent = new Map([...nodeComponents(nodes, byUrn)].map(([node, component]) => [component, node]));
    const owners = new Map<string, string>();
    for (const resource of resources) {
        for (let urn: string | undefined = resource.urn; urn !== undefined && urn !== ""; urn = byUrn.get(urn)?.parentUrn) {
            const node = nodeByComponent.get(urn);
            if (node !== undefined) {
                owners.set(resource.urn, node);
                break;
            }
        }
    }
    return owners;
}

/** The nodes of `before` that `after` no longer has, each with the removed resources that were its own. */
export function leavingNodes(
    before: { readonly nodes: readonly ClusterNode[]; readonly resources: readonly RegisteredResource[] },
    after: { readonly nodes: readonly ClusterNode[] },
    removed: readonly RegisteredResource[],
): LeavingNode[] {
    const staying = new Set(after.nodes.map((node) => node.name));
    const owners = nodeOfResources(before.nodes, before.resources);
    return before.nodes
        .filter((node) => !staying.has(node.name))
        .map((node) => ({ node: node.name, resources: removed.filter((resource) => owners.get(resource.urn) === node.name) }))
        .filter((leaving) => leaving.resources.length > 0);
}

const kinds: readonly { readonly token: string; readonly one: string; readonly many: string }[] = [
    { token: catalog.networkInterface.token, one: "network interface", many: "network interfaces" },
    { token: catalog.userAssignedIdentity.token, one: "managed identity", many: "managed identities" },
    { token: catalog.roleAssignment.token, one: "role assignment", many: "role assignments" },
    { token: catalog.blob.token, one: "settings blob", many: "settings blobs" },
    { token: catalog.virtualMachineExtension.token, one: "VM extension", many: "VM extensions" },
    { token: catalog.dataCollectionRuleAssociation.token, one: "data collection rule association", many: "data collection rule associations" },
    { token: catalog.runCommand.token, one: "run command", many: "run commands" },
];

function named(resource: RegisteredResource, input: string): string {
    const value = resource.inputs[input];
    return typeof value === "string" ? ` ${value}` : "";
}

/** "node-2 leaves the cluster, and with it its VM mx-prod-node-2, its data disk ... and 2 VM extensions." */
export function leavingSentence(leaving: LeavingNode): string {
    const custom = leaving.resources.filter((resource) => resource.custom);
    const parts = [
        ...custom.filter((resource) => resource.type === catalog.virtualMachine.token).map((vm) => `its VM${named(vm, "vmName")}`),
        ...custom.filter((resource) => resource.type === catalog.disk.token).map((disk) =>
            `its data disk${named(disk, "diskName")} (the apps' deployment and logs; their files stay in Blob Storage, their data in SQL)`),
        ...kinds.flatMap((kind) => {
            const count = custom.filter((resource) => resource.type === kind.token).length;
            return count === 0 ? [] : [count === 1 ? `its ${kind.one}` : `${count} ${kind.many}`];
        }),
    ];
    const known = new Set([catalog.virtualMachine.token, catalog.disk.token, ...kinds.map((kind) => kind.token)]);
    const others = custom.filter((resource) => !known.has(resource.type));
    if (others.length > 0) {
        parts.push(others.map((resource) => `${resource.type} ${resource.name}`).join(", "));
    }
    const list = parts.length <= 1 ? parts.join("") : `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
    return `${leaving.node} leaves the cluster${list === "" ? "" : `, and with it ${list}`}.`;
}
