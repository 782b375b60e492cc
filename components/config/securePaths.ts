/**
 * Where a stack file holds encrypted values. `pulumi config set --secret --path 'apps[0].customSettings.Token'`
 * writes `{ secure: <ciphertext> }` at that one place and leaves the rest of the key in plain text,
 * yet Pulumi tells a program only which top-level keys hold a secret (PULUMI_CONFIG_SECRET_KEYS,
 * `isConfigSecret`): one encrypted value makes the whole key count as secret. So which values are
 * encrypted is read from the stack file itself.
 */

/** A place within a config value: mapping keys and list indexes, outermost first. */
export type ConfigPath = readonly (string | number)[];

/** A value the stack file holds encrypted: `{ secure: <ciphertext> }`. */
export function isSecureValue(value: unknown): value is { readonly secure: unknown } {
    return typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 1 && "secure" in value;
}

/** `value` with each encrypted value in it replaced by what `replace` makes of its ciphertext and path. */
export function replaceSecureValues(value: unknown, replace: (ciphertext: unknown, path: ConfigPath) => unknown, path: ConfigPath = []): unknown {
    if (isSecureValue(value)) {
        return replace(value.secure, path);
    }
    if (Array.isArray(value)) {
        return value.map((item: unknown, index) => replaceSecureValues(item, replace, [...path, index]));
    }
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replaceSecureValues(item, replace, [...path, key])]));
    }
    return value;
}

/** Every place within `value` that holds an encrypted value, outermost first; `[[]]` when `value` itself is one. */
export function securePathsIn(value: unknown): ConfigPath[] {
    const paths: ConfigPath[] = [];
    replaceSecureValues(value, (_ciphertext, path) => paths.push(path));
    return paths;
}

/**
 * A key of the project (without namespace) -> the places within its value the stack file holds
 * encrypted: for every key the stack file sets, none for the others.
 */
export type StackFileSecurePaths = ReadonlyMap<string, readonly ConfigPath[]>;

/** The secure paths of a stack file's `config` mapping, for the keys of `namespace` (`mendix-cluster`). */
export function stackFileSecurePaths(stackConfig: Readonly<Record<string, unknown>>, namespace: string): StackFileSecurePaths {
    const prefix = `${namespace}:`;
    return new Map(Object.entries(stackConfig)
        .filter(([key]) => key.startsWith(prefix))
        .map(([key, value]) => [key.slice(prefix.length), securePathsIn(value)]));
}

function startsWith(path: ConfigPath, prefix: ConfigPath): boolean {
    return prefix.length <= path.length && prefix.every((part, index) => part === path[index]);
}

/**
 * Whether the value at `path` within `key` reached the program encrypted. Pulumi must say the key
 * holds a secret. Where the stack file sets the key, the file says which of its values are
 * encrypted: the value at `path` is one, or lies within one. A key Pulumi calls secret that the
 * stack file does not hold encrypted anywhere came from elsewhere (set with `--secret` as a whole,
 * an environment): all of it counts as secret.
 */
export function isSecretAt(key: string, path: ConfigPath, secretKeys: ReadonlySet<string>, securePaths: StackFileSecurePaths): boolean {
    if (!secretKeys.has(key)) {
        return false;
    }
    const encrypted = securePaths.get(key) ?? [];
    return encrypted.length === 0 || encrypted.some((secure) => startsWith(path, secure));
}

/** A path as `pulumi config set --path` takes it: `apps[1].customSettings["MyModule.ApiPassword"]`. */
export function formatConfigPath(key: string, path: ConfigPath): string {
    return path.reduce<string>((text, part) => typeof part === "number"
        ? `${text}[${part}]`
        : /^[A-Za-z_][A-Za-z0-9_]*$/.test(part) ? `${text}.${part}` : `${text}[${JSON.stringify(part)}]`, key);
}
