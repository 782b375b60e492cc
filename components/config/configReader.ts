import { ConfigError, ConfigIssue, describeValue } from "./configError";
import { ConfigPath, isSecretAt, StackFileSecurePaths } from "./securePaths";

/** Stack config as Pulumi hands it to a program: one string per key, objects and lists as JSON. */
export interface RawConfig {
    readonly values: Readonly<Record<string, string>>;
    /** Keys that hold a value set with `pulumi config set --secret`, at the top or within (`--path`). */
    readonly secretKeys: ReadonlySet<string>;
    /** Which values within each key the stack file holds encrypted (`securePaths.ts`). */
    readonly securePaths: StackFileSecurePaths;
}

export type JsonObject = { readonly [key: string]: unknown };

export function isJsonObject(value: unknown): value is JsonObject {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Reads typed values out of raw config and collects every problem it meets, so that all of them
 * are reported together by `finish()`. Keys are shown as a user types them (`sql.tier`, `apps[1].name`).
 */
export class ConfigReader {
    private readonly issues: ConfigIssue[] = [];

    constructor(private readonly raw: RawConfig) {}

    report(key: string, value: unknown, allowed: string, secret = false): void {
        this.issues.push({ key, value: describeValue(value, secret), allowed });
    }

    has(key: string): boolean {
        return this.raw.values[key] !== undefined;
    }

    /** Whether a key holds a secret anywhere in its value: to keep it out of messages. */
    isSecret(key: string): boolean {
        return this.raw.secretKeys.has(key);
    }

    /** Whether the value at `path` within `key` was set as a secret, not merely beside one. */
    isSecretAt(key: string, path: ConfigPath): boolean {
        return isSecretAt(key, path, this.raw.secretKeys, this.raw.securePaths);
    }

    rawString(key: string): string | undefined {
        return this.raw.values[key];
    }

    /** Keys of the raw config that no reader asked for. */
    keysOtherThan(known: readonly string[]): string[] {
        return Object.keys(this.raw.values).filter((key) => !known.includes(key));
    }

    integer(key: string, fallback: number, range: { min: number; max: number }): number {
        const text = this.raw.values[key];
        if (text === undefined) {
            return fallback;
        }
        return this.checkInteger(key, parseIntegerText(text) ?? text, range) ?? fallback;
    }

    checkInteger(key: string, value: unknown, range: { min: number; max: number }): number | undefined {
        const allowed = `a whole number from ${range.min} to ${range.max}`;
        if (typeof value !== "number" || !Number.isInteger(value) || value < range.min || value > range.max) {
            this.report(key, value, allowed);
            return undefined;
        }
        return value;
    }

    boolean(key: string, fallback: boolean): boolean {
        const text = this.raw.values[key];
        if (text === undefined) {
            return fallback;
        }
        return this.checkBoolean(key, text === "true" ? true : text === "false" ? false : text) ?? fallback;
    }

    checkBoolean(key: string, value: unknown): boolean | undefined {
        if (typeof value !== "boolean") {
            this.report(key, value, "true or false");
            return undefined;
        }
        return value;
    }

    string(key: string, fallback: string): string {
        return this.raw.values[key] ?? fallback;
    }

    /** A JSON list or object value; `undefined` when absent or not JSON (reported). */
    json(key: string, expected: "list" | "object"): unknown {
        const text = this.raw.values[key];
        if (text === undefined) {
            return undefined;
        }
        let parsed: unknown;
        try {
            parsed = JSON.parse(text);
        } catch {
            parsed = text;
        }
        const ok = expected === "list" ? Array.isArray(parsed) : isJsonObject(parsed);
        if (!ok) {
            this.report(key, parsed, expected === "list" ? "a YAML list" : "a YAML mapping (object)");
            return undefined;
        }
        return parsed;
    }

    stringList(key: string, fallback: readonly string[]): readonly string[] {
        const value = this.json(key, "list");
        if (value === undefined) {
            return fallback;
        }
        const list = value as readonly unknown[];
        const strings = list.filter((item): item is string => typeof item === "string");
        if (strings.length !== list.length) {
            this.report(key, value, "a list of strings");
            return fallback;
        }
        return strings;
    }

    /** A top-level mapping whose keys must be among `known`; `undefined` when absent or not a mapping (reported). */
    mapping(key: string, known: readonly string[]): JsonObject | undefined {
        const value = this.json(key, "object");
        if (value === undefined) {
            return undefined;
        }
        const object = value as JsonObject;
        this.refuseUnknownKeys(key, object, known);
        return object;
    }

    /** Reports every key of `object` (at `path`) that is not one of `known`. */
    refuseUnknownKeys(path: string, object: JsonObject, known: readonly string[]): void {
        for (const key of Object.keys(object)) {
            if (!known.includes(key)) {
                this.report(`${path}.${key}`, object[key], `no such key; the keys of ${path} are ${known.join(", ")}`);
            }
        }
    }

    /** Throws one `ConfigError` naming every problem reported so far. */
    finish(): void {
        if (this.issues.length > 0) {
            throw new ConfigError(this.issues);
        }
    }
}

function parseIntegerText(text: string): number | undefined {
    return /^-?\d+$/.test(text.trim()) ? Number(text.trim()) : undefined;
}
