import { RegisteredResource } from "../offline/evaluate";

/** A resource and the resources registered with it as their parent. */
export interface PlanTreeNode {
    readonly resource: RegisteredResource;
    readonly children: readonly PlanTreeNode[];
}

const naturalOrder = new Intl.Collator("en", { numeric: true });

/** Components before plain resources, then by type and name, `node-10` after `node-9`. */
export function compareForTree(a: RegisteredResource, b: RegisteredResource): number {
    return Number(a.custom) - Number(b.custom) || naturalOrder.compare(a.type, b.type) || naturalOrder.compare(a.name, b.name);
}

/**
 * The resources as a forest by parent. A resource whose parent is not among them (the stack, or a
 * resource whose parent is elsewhere in a diff) is a root.
 */
export function buildPlanTree(resources: readonly RegisteredResource[]): PlanTreeNode[] {
    const urns = new Set(resources.map((resource) => resource.urn));
    const childrenOf = new Map<string, RegisteredResource[]>();
    for (const resource of resources) {
        const parent = urns.has(resource.parentUrn) && resource.parentUrn !== resource.urn ? resource.parentUrn : "";
        childrenOf.set(parent, [...(childrenOf.get(parent) ?? []), resource]);
    }
    const build = (parent: string): PlanTreeNode[] => [...(childrenOf.get(parent) ?? [])]
        .sort(compareForTree)
        .map((resource) => ({ resource, children: build(resource.urn) }));
    return build("");
}
