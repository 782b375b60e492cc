import { RegisteredResource } from "../offline/evaluate";
import { NodeAppSettings, readNodeSettings } from "./nodeSettings";
import { propertyChanges, ResourceChange, touches } from "./resourceDiff";

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

/** What a reviewer reads in a settings blob: the redacted settings, not the secret text. */
function settingsView(settings: NodeAppSettings): Record<string, unknown> {
    return { leader: settings.leader, computerName: settings.computerName, runtimeSettings: settings.runtimeSettings, customSettings: settings.customSettings };
}

const blobText = "source.text";

/**
 * A changed resource, input by input and option by option. A node settings blob shows its settings
 * (secrets redacted) rather than its secret text; if only secrets differ, it says so.
 */
export function changeRows(change: ResourceChange, before: RegisteredResource, after: RegisteredResource): ChangeRow[] {
    const replaces = (path: string) => change.replacedBy.some((input) => touches(path, input));
    const beforeSettings = readNodeSettings(before);
    const afterSettings = readNodeSettings(after);
    const settingsRows = beforeSettings !== undefined && afterSettings !== undefined
        ? propertyChanges(settingsView(beforeSettings), settingsView(afterSettings)).map((setting) => row(`settings: ${setting.path}`, setting.before, setting.after, false))
        : undefined;
    const properties = change.properties.flatMap((property): ChangeRow[] => {
        if (property.path === blobText && settingsRows !== undefined) {
            return settingsRows.length > 0 ? settingsRows : [{ property: blobText, before: formatValue(property.before), after: "[secret] (only secret values differ)", replaces: false }];
        }
        return rows(property.path, property.before, property.after, replaces);
    });
    const options = change.options.map((option) => row(`option: ${option.path}`, option.before, option.after, false));
    return [...properties, ...options];
}
