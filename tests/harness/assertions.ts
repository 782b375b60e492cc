import assert from "node:assert/strict";

/** Fails when `text` holds `needle` as literal characters (no pattern: a secret's `.`, `+` or `$` mean themselves). */
export function assertExcludes(text: string, needle: string, message?: string): void {
    assert.ok(needle.length > 0, "the text to look for is empty, so its absence proves nothing");
    assert.ok(!text.includes(needle), `${message ?? "unexpected text"}: found ${JSON.stringify(needle)}`);
}

/** The values once each, in order of first sight: `[]` for no values, so "all are X" cannot pass on an empty list. */
export function distinct<T>(values: readonly T[]): T[] {
    return [...new Set(values)];
}

/** `text` as a pattern that matches exactly those characters. */
export function escapeRegExp(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
