import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { projectName } from "../components/config/contract";

export const repositoryRoot = path.join(__dirname, "..");

export type ConfigValue = string | number | boolean | readonly unknown[] | { readonly [key: string]: unknown };

/** Pulumi.yaml's `config` block: what the CLI applies as defaults to every stack. */
export function projectConfigDeclarations(root = repositoryRoot): Record<string, { type?: string; description?: string; default?: unknown; secret?: boolean }> {
    const project = parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as { config?: Record<string, never> };
    return project.config ?? {};
}

/** A stack file's config, keys as written (`mendix-cluster:nodeCount`, `azure-native:location`). */
export function stackFileConfig(stack: string, root = repositoryRoot): Record<string, unknown> {
    const file = path.join(root, `Pulumi.${stack}.yaml`);
    const document = parse(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> };
    return document.config ?? {};
}

function qualified(key: string): string {
    return key.includes(":") ? key : `${projectName}:${key}`;
}

/** How the Pulumi CLI hands a config value to a program: strings as they are, the rest as JSON. */
export function configText(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * The config a stack's program sees, as the CLI would assemble it: Pulumi.yaml defaults, then the
 * stack file, then `overrides` (keys without namespace are the project's). Values the stack file
 * holds encrypted are left out: tests pass their own secrets in `secrets`. `root` is the project
 * directory that holds Pulumi.yaml and the stack files.
 */
export function assembleConfig(
    stack: string | undefined,
    overrides: Readonly<Record<string, ConfigValue | undefined>> = {},
    secrets: Readonly<Record<string, string>> = {},
    root = repositoryRoot,
): { values: Record<string, string>; secretKeys: string[] } {
    const values: Record<string, string> = {};
    for (const [key, declaration] of Object.entries(projectConfigDeclarations(root))) {
        if (declaration.default !== undefined) {
            values[qualified(key)] = configText(declaration.default);
        }
    }
    for (const [key, value] of Object.entries(stack === undefined ? {} : stackFileConfig(stack, root))) {
        const encrypted = typeof value === "object" && value !== null && "secure" in value;
        if (!encrypted) {
            values[qualified(key)] = configText(value);
        }
    }
    for (const [key, value] of Object.entries(overrides)) {
        if (value === undefined) {
            delete values[qualified(key)];
        } else {
            values[qualified(key)] = configText(value);
        }
    }
    for (const [key, value] of Object.entries(secrets)) {
        values[qualified(key)] = value;
    }
    return { values, secretKeys: Object.keys(secrets).map(qualified) };
}

/** The stacks of a project directory: one per Pulumi.<stack>.yaml. */
export function knownStacks(root: string = repositoryRoot): string[] {
    return fs.readdirSync(root)
        .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
        .filter((stack): stack is string => stack !== undefined)
        .sort();
}
