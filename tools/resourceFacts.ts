import { RegisteredResource } from "../offline/evaluate";
import { ClusterNode } from "./clusterNodes";

/**
 * The few facts about a resource that a reviewer looks for first: where it runs, what it costs,
 * what it keeps, and for a node its role and apps.
 */

function field(value: unknown, ...path: string[]): unknown {
    return path.reduce<unknown>((current, key) => (typeof current === "object" && current !== null ? (current as Record<string, unknown>)[key] : undefined), value);
}

function zoneFact(resource: RegisteredResource): string[] {
    const zones = resource.inputs["zones"];
    if (!Array.isArray(zones) || zones.length === 0) {
        return [];
    }
    return [zones.length === 1 ? `zone ${String(zones[0])}` : `zones ${zones.map(String).join(", ")}`];
}

function skuFact(resource: RegisteredResource): string[] {
    const name = field(resource.inputs, "sku", "name");
    if (typeof name !== "string") {
        return [];
    }
    const tier = field(resource.inputs, "sku", "tier");
    const capacity = field(resource.inputs, "sku", "capacity");
    const details = [
        ...(typeof tier === "string" && tier !== name && tier !== "Regional" ? [tier] : []),
        ...(capacity === undefined ? [] : [`capacity ${String(capacity)}`]),
    ];
    return [details.length === 0 ? `sku ${name}` : `sku ${name} (${details.join(", ")})`];
}

function sizeFacts(resource: RegisteredResource): string[] {
    const facts: string[] = [];
    const vmSize = field(resource.inputs, "hardwareProfile", "vmSize");
    if (typeof vmSize === "string") {
        facts.push(`size ${vmSize}`);
    }
    const diskSize = resource.inputs["diskSizeGB"];
    if (typeof diskSize === "number") {
        facts.push(`${diskSize} GB`);
    }
    const maxSizeBytes = resource.inputs["maxSizeBytes"];
    if (typeof maxSizeBytes === "number") {
        facts.push(`max ${maxSizeBytes / 2 ** 30} GB`);
    }
    if (resource.inputs["zoneRedundant"] === true) {
        facts.push("zone-redundant");
    }
    return facts;
}

function role(node: ClusterNode): string {
    return node.leader ? "leader" : "follower";
}

function nodeFacts(resource: RegisteredResource, nodes: readonly ClusterNode[]): string[] {
    const vmNode = nodes.find((node) => node.vmUrn === resource.urn);
    if (vmNode !== undefined) {
        return [`${vmNode.name} ${role(vmNode)}`, `apps ${vmNode.apps.map((app) => app.app).join(", ")}`];
    }
    for (const node of nodes) {
        const app = node.apps.find((entry) => entry.blobUrn === resource.urn);
        if (app !== undefined) {
            return [`settings of ${node.name} (${role(node)}) for app ${app.app}`];
        }
    }
    return [];
}

/** What a restore takes back, and to which instant: a restored database, the restore of the files. */
function restoreFacts(resource: RegisteredResource): string[] {
    const inputs = resource.inputs;
    if (inputs["createMode"] === "PointInTimeRestore") {
        const source = String(inputs["sourceDatabaseId"] ?? "").split("/").pop();
        return [`restored from ${source ?? "?"} to ${String(inputs["restorePointInTime"])}`];
    }
    const ranges = inputs["blobRanges"];
    if (typeof inputs["timeToRestore"] === "string" && Array.isArray(ranges)) {
        const containers = ranges.map((range) => String((range as { startRange?: unknown }).startRange));
        return [`restores ${containers.join(", ")} to ${inputs["timeToRestore"]}`];
    }
    return [];
}

function keepingFacts(resource: RegisteredResource): string[] {
    return [...(resource.protect ? ["protected"] : []), ...(resource.retainOnDelete ? ["retained on delete"] : [])];
}

export function resourceFacts(resource: RegisteredResource, nodes: readonly ClusterNode[]): string[] {
    return [...nodeFacts(resource, nodes), ...restoreFacts(resource), ...zoneFact(resource), ...skuFact(resource), ...sizeFacts(resource), ...keepingFacts(resource)];
}
