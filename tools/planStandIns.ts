import { projectName } from "../components/config/contract";

/**
 * What the plan puts in, for a local plan only, where a fresh clone's stack file lacks config every
 * real stack file must set and `pulumi up` refuses without: the address `pulumi up` runs from
 * (`deployerCidrs`) and the Service Console installer (`installers`). A stand-in goes in only where
 * the stack file sets no value of that key at all; a value the file sets, even one the program
 * refuses, is used as written, so the plan refuses what `pulumi up` would. A file that sets part of
 * a key (one installer) gets no stand-in for the rest. A strict plan (`--strict`, the pull-request
 * workflow's) puts in none, and the program refuses the missing key as `pulumi up` does.
 */

export type StandInKey = "deployerCidrs" | "installers";

/** A config value as a stack file holds it (parsed YAML) and the program reads it. */
export type ConfigInput = string | number | boolean | readonly unknown[] | { readonly [key: string]: unknown };

export interface StandInValues {
    readonly deployerCidrs: readonly string[];
    readonly installers: Readonly<Record<string, unknown>>;
}

/** What the evaluated revision's program takes: an older one refuses keys it does not know. */
export interface KnownKeys {
    readonly deployerCidrs: boolean;
    readonly installers: boolean;
}

export interface PlanStandIns {
    /** Config overrides for the run: the file's own value, a stand-in, or undefined (left out). */
    readonly config: Readonly<Record<StandInKey, ConfigInput | undefined>>;
    /** One sentence per stand-in put in, for the plan's notes. */
    readonly notes: readonly string[];
    /** Keys a stand-in would have filled that a strict plan leaves out, for the program to refuse. */
    readonly withheld: readonly StandInKey[];
}

const qualified = (key: string) => `${projectName}:${key}`;

function asConfigInput(value: unknown, what: string): ConfigInput {
    if (value === null || value === undefined || typeof value === "function" || typeof value === "symbol" || typeof value === "bigint") {
        throw new Error(`${what}: a stack file value must be a string, number, boolean, list or mapping`);
    }
    return value as ConfigInput;
}

export function planStandIns(
    stackFile: string,
    stackConfig: Readonly<Record<string, unknown>>,
    known: KnownKeys,
    values: StandInValues,
    strict = false,
): PlanStandIns {
    const sets = (key: string) => qualified(key) in stackConfig;
    const notes: string[] = [];
    const withheld: StandInKey[] = [];
    const choose = (key: StandInKey, standIn: ConfigInput, absentMeans: string | undefined): ConfigInput | undefined => {
        if (!known[key]) {
            return undefined;
        }
        if (sets(key)) {
            return asConfigInput(stackConfig[qualified(key)], `${stackFile}: ${key}`);
        }
        if (absentMeans === undefined) {
            return undefined;
        }
        if (strict) {
            withheld.push(key);
            return undefined;
        }
        notes.push(`${absentMeans} \`pulumi up\` refuses the stack file without it; this local plan uses ${standInText(key, standIn)} in its place ` +
            "(a plan with --strict, as the pull-request workflow runs it, refuses it too).");
        return standIn;
    };
    const deployerCidrs = choose("deployerCidrs", values.deployerCidrs,
        `${stackFile} sets no deployerCidrs, the public address \`pulumi up\` runs from (docs/first-deployment.md, step 7):`);
    const installers = choose("installers", values.installers, sets("image")
        ? undefined
        : `${stackFile} sets no installers and no image, so no Service Console to install (docs/first-deployment.md, step 7):`);
    return { config: { deployerCidrs, installers }, notes, withheld };
}

function standInText(key: StandInKey, standIn: ConfigInput): string {
    return key === "deployerCidrs" && Array.isArray(standIn) ? standIn.join(", ") : "a placeholder Service Console URL and hash";
}
