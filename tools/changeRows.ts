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

export function formatValue(value: unknown): string {
    if (value === undefined) {
        return absent;
    }
    const text = typeof value === "string" ? urnName(value) : JSON.stringify(value);
    return text.length > longest ? `${text.slice(0, longest - 1)}…` : text;
}

function isStringList(value: unknown): value is string[] {
    return Array.isArray(value) && value.every((item) => typeof item === "string");
}

/** Two lists of strings (zones, address prefixes) as what leaves and what comes. */
function listDifference(before: string[], after: string[]): { before: string; after: string } {
    const gone = before.filter((item) => !after.includes(item)).map((item) => `-${urnName(item)}`);
    const come = after.filter((item) => !before.includes(item)).map((item) => `+${urnName(item)}`);
    const clip = (items: string[]) => (items.length === 0 ? "(same items, new order)" : formatValue(items.join(", ")));
    return { before: clip(gone), after: clip(come) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function row(property: string, before: unknown, after: unknown, replaces: boolean): ChangeRow {
    if (isStringList(before) && isStringList(after)) {
        return { property, ...listDifference(before, after), replaces };
    }
    return { property, before: formatValue(before), after: formatValue(after), replaces };
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
