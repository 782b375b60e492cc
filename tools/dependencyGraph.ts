/**
 * The dependency graph a program sent to the engine: each resource's dependencies as registered
 * (its `dependsOn` and the resources behind the outputs among its inputs). A dependency on a
 * component resource stands for every resource under it, as the engine treats it.
 */

export interface GraphResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly parentUrn: string;
    readonly custom: boolean;
    readonly dependencies: readonly string[];
}

/** `urn:pulumi:<stack>::<project>::<parent types>$<type>::<name>` -> `<type>`. */
export function urnType(urn: string): string {
    const qualifiedType = urn.split("::")[2] ?? "";
    return qualifiedType.split("$").pop() ?? "";
}

/** The custom resources a dependency on `urn` waits for: the resource itself, or everything under a component. */
export function dependencyTargets(resources: readonly GraphResource[], urn: string): string[] {
    const resource = resources.find((candidate) => candidate.urn === urn);
    if (resource === undefined) {
        // A stack reference is read, not created: nothing to wait for.
        if (urnType(urn) === "pulumi:pulumi:StackReference") {
            return [];
        }
        throw new Error(`a dependency names ${urn}, which the program never registered`);
    }
    if (resource.custom) {
        return [urn];
    }
    return resources.filter((candidate) => candidate.parentUrn === urn).flatMap((child) => dependencyTargets(resources, child.urn));
}

/** The custom resources `urn` waits for before it is created: direct and transitive dependencies. */
export function dependencyClosure(resources: readonly GraphResource[], urn: string): Set<string> {
    const byUrn = new Map(resources.map((resource) => [resource.urn, resource]));
    const reached = new Set<string>();
    const pending = [...(byUrn.get(urn)?.dependencies ?? [])];
    for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
        for (const target of dependencyTargets(resources, next)) {
            if (!reached.has(target)) {
                reached.add(target);
                pending.push(...(byUrn.get(target)?.dependencies ?? []));
            }
        }
    }
    return reached;
}

/** The graph with every resource that `waits` also depending on every resource that `on` picks. */
export function withAddedDependencies<T extends GraphResource>(resources: readonly T[], waits: (resource: T) => boolean, on: (resource: T) => boolean): T[] {
    const added = resources.filter(on).map((resource) => resource.urn);
    return resources.map((resource) => (waits(resource) ? { ...resource, dependencies: [...new Set([...resource.dependencies, ...added])] } : resource));
}
