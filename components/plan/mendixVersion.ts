/**
 * A Mendix Runtime version as an MDA's model/metadata.json names it in "RuntimeVersion":
 * major.minor.patch.build, such as 10.12.4.41735 (Mendix 11 may leave out the build number:
 * mendix/docs, refguide/installation/upgrading-from-10-to-11/_index.md, "Other"). The node agent
 * reads the same key with the same pattern (agent `Model/MendixVersion.cs`).
 */
export interface MendixVersion {
    /** Exactly as metadata.json has it. */
    readonly text: string;
    readonly major: number;
    readonly minor: number;
    readonly patch: number;
}

const pattern = /^(0|[1-9][0-9]{0,3})\.(0|[1-9][0-9]{0,3})\.(0|[1-9][0-9]{0,3})(\.(0|[1-9][0-9]{0,9}))?$/;

/** Undefined when the text is not a runtime version. */
export function parseMendixVersion(text: string): MendixVersion | undefined {
    const match = pattern.exec(text);
    if (match === null) {
        return undefined;
    }
    return { text, major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) };
}

/** Whether `version` is `major.minor.patch` or later; the build number never decides. */
export function isAtLeast(version: MendixVersion, major: number, minor: number, patch = 0): boolean {
    if (version.major !== major) {
        return version.major > major;
    }
    if (version.minor !== minor) {
        return version.minor > minor;
    }
    return version.patch >= patch;
}
