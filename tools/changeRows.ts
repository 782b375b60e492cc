import { RegisteredResource } from "../offline/evaluate";
import { settingsBlobText, settingsChanges } from "./nodeSettings";
import { secretShown } from "./settingsRedaction";
import { propertyChanges, ResourceChange, touches, valueAt } from "./resourceDiff";

/** One line of a changed resource, as both renderings print it. */
export interface ChangeRow {
    readonly property: string;
    readonly before: string;
    readonly after: string;
    /** The change makes Azure replace the resource. */
    readonly replaces: boolean;
}

const longest = 100;
const absent = "(none)";

/** A URN's last part, the resource's name. */
function urnName(value: string): string {
    return value.startsWith("urn:pulumi:") ? value.slice(value.lastIndexOf("::") + 2) : value;
}

function valueText(value: unknown): string {
    return typeof value === "string" ? urnName(value) : JSON.stringify(value);
}

function clip(text: string): string {
    return text.length > longest ? `${text.slice(0, longest - 1)}…` : text;
}

export function formatValue(value: unknown): string {
    return value === undefined ? absent : clip(valueText(value));
}

/** Context kept before the first difference of two long values. */
const contextBefore = 24;

/**
 * Two values as a reviewer compares them: long values that share a beginning (two resource ids,
 * say) are shown from before where they first differ, so clipping cannot hide the change.
 */
function formatPair(before: unknown, after: unknown): { before: string; after: string } {
    if (before === undefined || after === undefined) {
        return { before: formatValue(before), after: formatValue(after) };
    }
    const [first, second] = [valueText(before), valueText(after)];
    let common = 0;
    while (common < first.length && common < second.length && first[common] === second[common]) {
        common++;
    }
    if (Math.max(first.length, second.length) <= longest || common <= contextBefore) {
        return { before: clip(first), after: clip(second) };
    }
    // As much of the shared beginning as fits, and never less context than `contextBefore`.
    const from = Math.min(common - contextBefore, Math.max(first.length, second.length) - (longest - 1));
    return { before: clip(`…${first.slice(from)}`), after: clip(`…${second.slice(from)}`) };
}

function isStringList(value: unknown): value is string[] {
    return Array.isArray(value) && value.every((item) => typeof item === "string");
}

/**
 * Two lists of strings (zones, address prefixes) as what leaves and what comes; a side with
 * nothing says so. Lists that differ only in how often an item appears are shown whole.
 */
function listDifference(before: string[], after: string[]): { before: string; after: string } {
    const gone = before.filter((item) => !after.includes(item)).map((item) => `-${urnName(item)}`);
    const come = after.filter((item) => !before.includes(item)).map((item) => `+${urnName(item)}`);
    if (gone.length === 0 && come.length === 0) {
        return { before: formatValue(before), after: formatValue(after) };
    }
    const side = (items: string[], none: string) => (items.length === 0 ? none : formatValue(items.join(", ")));
    return { before: side(gone, "(none removed)"), after: side(come, "(none added)") };
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function row(property: string, before: unknown, after: unknown, replaces: boolean): ChangeRow {
    if (isStringList(before) && isStringList(after)) {
        return { property, ...listDifference(before, after), replaces };
    }
    return { property, ...formatPair(before, after), replaces };
}

/** A change, with a mapping that comes or goes shown leaf by leaf rather than as one long value. */
function rows(path: string, before: unknown, after: unknown, replaces: (path: string) => boolean): ChangeRow[] {
    if ((before === undefined && isRecord(after)) || (isRecord(before) && after === undefined)) {
        const leaves = propertyChanges(before ?? {}, after ?? {}, path);
        if (leaves.length > 0) {
            return leaves.flatMap((leaf) => rows(leaf.path, leaf.before, leaf.after, replaces));
        }
    }
    return [row(path, before, after, replaces(path))];
}

const blobText = "source.text";

/** A secret setting after a change: gone, new, or another value than before. */
function secretAfter(before: unknown, after: unknown): string {
    return after === undefined ? absent : before === undefined ? secretShown : `${secretShown} (changed)`;
}

/**
 * A settings blob's change as the keys of its document whose values differ: a secret-named one as
 * changed, never its value; the blob's text never. A settings blob whose text is no mapping (another
 * revision's format) says so rather than show its text.
 */
function settingsRows(before: RegisteredResource, after: RegisteredResource): ChangeRow[] {
    const changes = settingsChanges(before, after);
    if (changes === undefined) {
        return [{ property: blobText, before: "(a settings blob, not shown)", after: "(another text, not shown)", replaces: false }];
    }
    if (changes.length === 0) {
        return [{ property: blobText, before: "(a settings blob, not shown)", after: "(the same settings, written differently)", replaces: false }];
    }
    return changes.flatMap((change) => {
        const property = `settings: ${change.path}`;
        return change.secret
            ? [{ property, before: change.before === undefined ? absent : secretShown, after: secretAfter(change.before, change.after), replaces: false }]
            : rows(property, change.before, change.after, () => false);
    });
}

/**
 * A rule of a storage account's firewall (`networkRuleSet`) that lets one subnet or one address
 * in, by what it lets in: the subnet's name, or the address.
 */
function firewallRuleLabel(item: unknown): string | undefined {
    if (!isRecord(item)) {
        return undefined;
    }
    const subnet = item["virtualNetworkResourceId"];
    const address = item["iPAddressOrRange"];
    const label = typeof subnet === "string" ? `subnet ${subnet.slice(subnet.lastIndexOf("/") + 1)}` : typeof address === "string" ? address : undefined;
    const action = item["action"];
    return label === undefined || action === undefined || action === "Allow" ? label : `${label} (${String(action)})`;
}

function isFirewallRuleList(value: unknown): value is unknown[] {
    return Array.isArray(value) && value.every((item) => firewallRuleLabel(item) !== undefined);
}

type NamedItem = Record<string, unknown> & { readonly name: string };

function isNamedList(value: unknown): value is NamedItem[] {
    return Array.isArray(value) && value.length > 0 && value.every((item) => isRecord(item) && typeof item["name"] === "string");
}

/** The list a changed path lies in, `securityRules` of `securityRules[2].priority`; undefined outside a list. */
function listPathOf(path: string): string | undefined {
    const bracket = path.indexOf("[");
    return bracket > 0 ? path.slice(0, bracket) : undefined;
}

function isSecurityRule(item: Record<string, unknown>): boolean {
    return "priority" in item && "access" in item && "direction" in item;
}

function textList(item: Record<string, unknown>, one: string, many: string): string[] {
    const list = item[many];
    return Array.isArray(list) && list.length > 0 ? list.map(String) : item[one] === undefined ? [] : [String(item[one])];
}

/** A security rule's parts as a reviewer weighs them. */
function ruleParts(rule: Record<string, unknown>): Record<string, unknown> {
    return {
        priority: rule["priority"],
        access: `${String(rule["access"])} ${String(rule["direction"])} ${String(rule["protocol"] ?? "*")}`,
        ports: textList(rule, "destinationPortRange", "destinationPortRanges"),
        sources: textList(rule, "sourceAddressPrefix", "sourceAddressPrefixes"),
        destinations: textList(rule, "destinationAddressPrefix", "destinationAddressPrefixes"),
    };
}

function ruleText(rule: Record<string, unknown>): string {
    const parts = ruleParts(rule);
    return `priority ${String(parts["priority"])}, ${String(parts["access"])}, port ${(parts["ports"] as string[]).join(", ")}, ` +
        `from ${(parts["sources"] as string[]).join(", ")} to ${(parts["destinations"] as string[]).join(", ")}`;
}

/**
 * A list of named items (an NSG's security rules, a load balancer's probes) as the items that come,
 * go or change, by name rather than by position. A security rule reads as a rule: priority, access,
 * ports, sources; a changed one shows the parts that differ.
 */
function namedListRows(path: string, before: readonly NamedItem[], after: readonly NamedItem[], replaces: (path: string) => boolean): ChangeRow[] {
    const byName = (items: readonly NamedItem[]) => new Map(items.map((item) => [item.name, item]));
    const [was, is] = [byName(before), byName(after)];
    const names = [...new Set([...was.keys(), ...is.keys()])];
    return names.flatMap((name): ChangeRow[] => {
        const [old, now] = [was.get(name), is.get(name)];
        const itemPath = `${path}[${name}]`;
        const describe = (item: NamedItem) => (isSecurityRule(item) ? ruleText(item) : formatValue(item));
        if (old === undefined || now === undefined) {
            return [{ property: itemPath, before: old === undefined ? absent : clip(describe(old)), after: now === undefined ? absent : clip(describe(now)), replaces: replaces(path) }];
        }
        const [left, right] = isSecurityRule(old) && isSecurityRule(now) ? [ruleParts(old), ruleParts(now)] : [old, now];
        return propertyChanges(left, right, itemPath).flatMap((change) => rows(change.path, change.before, change.after, () => replaces(path)));
    });
}

/**
 * A changed resource, input by input and option by option. A node settings blob shows the keys of
 * its document that differ (a secret as changed, never its value) rather than its text; a list of
 * named items, item by item; a firewall's rules as the subnets and addresses that leave and come.
 */
export function changeRows(change: ResourceChange, before: RegisteredResource, after: RegisteredResource): ChangeRow[] {
    const replaces = (path: string) => change.replacedBy.some((input) => touches(path, input));
    const settingsBlob = settingsBlobText(before) !== undefined || settingsBlobText(after) !== undefined;
    const listed = new Set<string>();
    const properties = change.properties.flatMap((property): ChangeRow[] => {
        if (property.path === blobText && settingsBlob) {
            return settingsRows(before, after);
        }
        const rules = [listPathOf(property.path), property.path].find((path) => path !== undefined &&
            [valueAt(before.visibleInputs, path), valueAt(after.visibleInputs, path)].every((value) => value === undefined || isFirewallRuleList(value)) &&
            [valueAt(before.visibleInputs, path), valueAt(after.visibleInputs, path)].some((value) => isFirewallRuleList(value) && value.length > 0));
        if (rules !== undefined) {
            if (listed.has(rules)) {
                return [];
            }
            listed.add(rules);
            const labels = (resource: RegisteredResource) => ((valueAt(resource.visibleInputs, rules) ?? []) as unknown[]).map((item) => firewallRuleLabel(item) ?? "");
            return [{ property: rules, ...listDifference(labels(before), labels(after)), replaces: replaces(rules) }];
        }
        const list = [listPathOf(property.path), property.path].find((path) => path !== undefined &&
            [valueAt(before.visibleInputs, path), valueAt(after.visibleInputs, path)].some(isNamedList) &&
            [valueAt(before.visibleInputs, path), valueAt(after.visibleInputs, path)].every((value) => value === undefined || isNamedList(value)));
        if (list !== undefined) {
            if (listed.has(list)) {
                return [];
            }
            listed.add(list);
            const items = (resource: RegisteredResource) => (valueAt(resource.visibleInputs, list) ?? []) as NamedItem[];
            return namedListRows(list, items(before), items(after), replaces);
        }
        return rows(property.path, property.before, property.after, replaces);
    });
    const options = change.options.map((option) => row(`option: ${option.path}`, option.before, option.after, false));
    return [...properties, ...options];
}
