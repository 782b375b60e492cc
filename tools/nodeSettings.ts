import { isDeepStrictEqual } from "util";
import { parse } from "yaml";
import { RegisteredResource } from "../offline/evaluate";
import { isSecretSettingName, redactDocument, redactSettings, secretShown } from "./settingsRedaction";

/** One node's settings for one app, read from its settings blob, with every secret redacted. */
export interface NodeAppSettings {
    readonly blobUrn: string;
    readonly node: string;
    readonly index: number;
    readonly computerName: string;
    readonly leader: boolean;
    readonly app: string;
    readonly runtimeSettings: Readonly<Record<string, string>>;
    readonly customSettings: Readonly<Record<string, string>>;
}

const blobType = "azure-native:storage:Blob";

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Where a region's settings blobs are: the stack's own region's under `nodes/`, a standby region's under `standby/nodes/`. */
const settingsBlobPath = /^(standby\/)?nodes\//;

/** The YAML text of a node settings blob (`[standby/]nodes/<node>/<app>.yaml`, a string asset), if this is one. */
export function settingsBlobText(resource: RegisteredResource): string | undefined {
    const source = resource.inputs["source"];
    const blobName = resource.inputs["blobName"];
    if (resource.type !== blobType || typeof blobName !== "string" || !settingsBlobPath.test(blobName) || !isRecord(source)) {
        return undefined;
    }
    const text = source["text"];
    return typeof text === "string" ? text : undefined;
}

/** A settings blob's YAML as a mapping; undefined for any other resource, or text that is no mapping. */
function parsedSettingsBlob(resource: RegisteredResource): Record<string, unknown> | undefined {
    const text = settingsBlobText(resource);
    if (text === undefined) {
        return undefined;
    }
    try {
        const document: unknown = parse(text);
        return isRecord(document) ? document : undefined;
    } catch {
        return undefined;
    }
}

/**
 * A settings blob's content (docs/node-settings-blob.md), redacted as soon as it is read; undefined
 * for any other resource, or a blob whose content does not have that shape (another revision's).
 */
export function readNodeSettings(resource: RegisteredResource): NodeAppSettings | undefined {
    const document = parsedSettingsBlob(resource);
    if (document === undefined || !isRecord(document["node"]) || !isRecord(document["app"])) {
        return undefined;
    }
    const { node, app } = document;
    if (typeof node["name"] !== "string" || typeof app["name"] !== "string") {
        return undefined;
    }
    // A standby region's nodes are named as the stack region's are: the plan tells them apart.
    const region = String(resource.inputs["blobName"]).startsWith("standby/") ? "standby " : "";
    return {
        blobUrn: resource.urn,
        node: `${region}${node["name"]}`,
        index: typeof node["index"] === "number" ? node["index"] : -1,
        computerName: typeof node["computerName"] === "string" ? node["computerName"] : "",
        leader: node["leader"] === true,
        app: app["name"],
        runtimeSettings: redactSettings(isRecord(document["runtimeSettings"]) ? document["runtimeSettings"] : {}),
        customSettings: redactSettings(isRecord(document["customSettings"]) ? document["customSettings"] : {}),
    };
}

/** A key of a settings document whose value differs between two versions of a blob, as a plan may show it. */
export interface SettingsChange {
    /** Dotted, from the document's top: `customSettings.SessionTimeout`. */
    readonly path: string;
    /** Redacted: `[secret]` for a secret-named key (undefined where absent), its text never. */
    readonly before: unknown;
    readonly after: unknown;
    /** The key's name marks its value a secret (docs/secret-settings.json). */
    readonly secret: boolean;
}

function documentChanges(before: unknown, after: unknown, path: string, secret: boolean): SettingsChange[] {
    if (isDeepStrictEqual(before, after)) {
        return [];
    }
    const within = (key: string | number) => (path === "" ? String(key) : typeof key === "number" ? `${path}[${key}]` : `${path}.${key}`);
    if (!secret && isRecord(before) && isRecord(after)) {
        return [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()
            .flatMap((key) => documentChanges(before[key], after[key], within(key), isSecretSettingName(key)));
    }
    if (!secret && Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
        return before.flatMap((item: unknown, index) => documentChanges(item, after[index], within(index), false));
    }
    const shown = (value: unknown) => (value === undefined ? undefined : secret ? secretShown : redactDocument(value));
    return [{ path, before: shown(before), after: shown(after), secret }];
}

/**
 * The keys whose values differ between two versions of a settings blob, compared in the clear and
 * shown redacted, so that a changed secret is named as changed and never shown; undefined when
 * either is no settings blob whose text is a mapping.
 */
export function settingsChanges(before: RegisteredResource, after: RegisteredResource): SettingsChange[] | undefined {
    const [was, is] = [parsedSettingsBlob(before), parsedSettingsBlob(after)];
    return was === undefined || is === undefined ? undefined : documentChanges(was, is, "", false);
}
