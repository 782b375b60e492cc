import { isDeepStrictEqual } from "util";
import { replacingInputsOf } from "../components/catalog";
import { RegisteredResource } from "../offline/evaluate";

/**
 * What an edit does to a stack, resource by resource, from two runs of the program: the offline
 * counterpart of `pulumi preview --diff`, computed from what the program registers.
 */

/** One input that differs between two registrations of the same resource (same URN, or an alias of it). */
export interface PropertyChange {
    /** Dotted path into the inputs: `sku.name`, `securityRules[2].priority`. */
    readonly path: string;
    readonly before: unknown;
    readonly after: unknown;
}

export interface ResourceChange {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly properties: readonly PropertyChange[];
    /** Options that differ: protect, retainOnDelete, parent. Dependencies only order operations: Pulumi updates nothing for them. */
    readonly options: readonly PropertyChange[];
    /** Inputs among `properties` that make Azure replace the resource rather than update it. */
    readonly replacedBy: readonly string[];
    readonly protect: boolean;
}

export interface StackDiff {
    readonly added: readonly RegisteredResource[];
    readonly removed: readonly RegisteredResource[];
    readonly changed: readonly ResourceChange[];
}

/** Every leaf where two values differ, as dotted paths. */
export function propertyChanges(before: unknown, after: unknown, path = ""): PropertyChange[] {
    if (isDeepStrictEqual(before, after)) {
        return [];
    }
    const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
    if (isRecord(before) && isRecord(after)) {
        const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
        return keys.flatMap((key) => propertyChanges(before[key], after[key], path === "" ? key : `${path}.${key}`));
    }
    if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
        return before.flatMap((item, index) => propertyChanges(item, after[index], `${path}[${index}]`));
    }
    return [{ path, before, after }];
}

/** A changed path and a replacing input overlap: one lies within the other (a whole block added or removed). */
export function touches(path: string, input: string): boolean {
    const within = (inner: string, outer: string) => inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);
    return within(path, input) || within(input, path);
}

function pathSegments(path: string): string[] {
    return path.split(/\.|\[(\d+)\]/).filter((part): part is string => part !== undefined && part !== "");
}

/** The value at a dotted path, undefined where a block on the way is missing. */
export function valueAt(value: unknown, path: string): unknown {
    return pathSegments(path).reduce<unknown>(
        (current, segment) => (typeof current === "object" && current !== null ? (current as Record<string, unknown>)[segment] : undefined),
        value,
    );
}

const secretShown = "[secret]";

/** The value at `path` as state may show it: "[secret]" when it is, or lies within, a secret. */
function visibleAt(visible: unknown, path: string): unknown {
    let value = visible;
    for (const segment of pathSegments(path)) {
        if (value === secretShown) {
            return secretShown;
        }
        value = typeof value === "object" && value !== null ? (value as Record<string, unknown>)[segment] : undefined;
    }
    return value;
}

/**
 * A dynamic resource's serialised provider: Pulumi runs a dynamic resource's diff with the new
 * provider and no update for the provider's code alone, and neither does this diff.
 */
const dynamicProviderInput = "__provider";

export function diffResource(before: RegisteredResource, after: RegisteredResource): ResourceChange | undefined {
    // Compared in the clear, so that a changed secret counts; shown as state would show it.
    const withoutProvider = ({ [dynamicProviderInput]: _provider, ...inputs }: Record<string, unknown>) => inputs;
    const properties = propertyChanges(withoutProvider(before.inputs), withoutProvider(after.inputs)).map((change) => ({
        path: change.path,
        before: visibleAt(before.visibleInputs, change.path),
        after: visibleAt(after.visibleInputs, change.path),
    }));
    const options = propertyChanges(
        { protect: before.protect, retainOnDelete: before.retainOnDelete, parent: before.parentUrn },
        { protect: after.protect, retainOnDelete: after.retainOnDelete, parent: after.parentUrn },
    );
    if (properties.length === 0 && options.length === 0) {
        return undefined;
    }
    const replacedBy = replacingInputsOf(after.type).filter((input) => !isDeepStrictEqual(valueAt(before.inputs, input), valueAt(after.inputs, input)));
    return { urn: after.urn, type: after.type, name: after.name, properties, options, replacedBy, protect: before.protect || after.protect };
}

/**
 * Pairs each resource of the later run with its counterpart in the earlier one: the same URN, or,
 * as the engine does with `aliases`, one whose registration names the other's URN as an alias
 * (either side: a revision after a move lists the old URNs, a revision before it lists none).
 */
function counterparts(before: readonly RegisteredResource[], after: readonly RegisteredResource[]): Map<RegisteredResource, RegisteredResource> {
    const beforeByUrn = new Map(before.map((resource) => [resource.urn, resource]));
    const beforeByAlias = new Map(before.flatMap((resource) => resource.aliases.map((alias) => [alias, resource] as const)));
    const pairs = new Map<RegisteredResource, RegisteredResource>();
    const taken = new Set<RegisteredResource>();
    const take = (resource: RegisteredResource, previous: RegisteredResource | undefined): boolean => {
        if (previous === undefined || taken.has(previous)) {
            return false;
        }
        pairs.set(resource, previous);
        taken.add(previous);
        return true;
    };
    for (const resource of after) {
        take(resource, beforeByUrn.get(resource.urn));
    }
    for (const resource of after.filter((candidate) => !pairs.has(candidate))) {
        resource.aliases.some((alias) => take(resource, beforeByUrn.get(alias))) || take(resource, beforeByAlias.get(resource.urn));
    }
    return pairs;
}

/** Compares two runs resource by resource, matched by URN or alias, the identity Pulumi uses across runs. */
export function diffStacks(before: readonly RegisteredResource[], after: readonly RegisteredResource[]): StackDiff {
    const pairs = counterparts(before, after);
    const matched = new Set(pairs.values());
    return {
        added: after.filter((resource) => !pairs.has(resource)),
        removed: before.filter((resource) => !matched.has(resource)),
        changed: after.flatMap((resource) => {
            const previous = pairs.get(resource);
            const change = previous === undefined ? undefined : diffResource(previous, resource);
            return change === undefined ? [] : [change];
        }),
    };
}
