import { createHash } from "crypto";
import { projectName } from "../components/config/contract";
import { formatConfigPath, replaceSecureValues } from "../components/config/securePaths";

/**
 * Config values a stack file holds encrypted (`secure:`), at the top or nested (`--path`), which no
 * one can decrypt offline. The plan runs the program with a placeholder secret in each one's place,
 * so it registers what the real deployment would (no generated password where one is set), and
 * says which values are placeholders.
 */

/**
 * Stands in for an encrypted value: a secret to the program, `[secret]` in every rendering. Each
 * ciphertext has its own, so a value set again (a new ciphertext) is a changed value to the program,
 * which then refuses what it refuses of a changed secret (another admin password on deployed VMs)
 * as `pulumi up` would. A value merely re-encrypted reads as changed too: wrong the cautious way.
 */
export function placeholderSecret(ciphertext: string): string {
    return `Offline-placeholder-${createHash("sha256").update(ciphertext).digest("hex").slice(0, 8)}`;
}

export interface EncryptedValue {
    /** As `pulumi config set --path` names it, without the project's namespace: `licenseSecrets.crm`. */
    readonly path: string;
    readonly ciphertext: string;
}

export interface EncryptedConfig {
    readonly values: readonly EncryptedValue[];
    /** Per top-level key holding any encrypted value: the config text with placeholders, for `runStack`'s `secrets`. */
    readonly standIns: Readonly<Record<string, string>>;
}

function displayKey(key: string): string {
    return key.startsWith(`${projectName}:`) ? key.slice(projectName.length + 1) : key;
}

export function encryptedConfig(stackConfig: Readonly<Record<string, unknown>>): EncryptedConfig {
    const values: EncryptedValue[] = [];
    const standIns: Record<string, string> = {};
    for (const [key, value] of Object.entries(stackConfig)) {
        const found: EncryptedValue[] = [];
        const replaced = replaceSecureValues(value, (ciphertext, path) => {
            found.push({ path: formatConfigPath(displayKey(key), path), ciphertext: String(ciphertext) });
            return placeholderSecret(String(ciphertext));
        });
        if (found.length > 0) {
            values.push(...found);
            standIns[key] = typeof replaced === "string" ? replaced : JSON.stringify(replaced);
        }
    }
    return { values, standIns };
}

/** Paths whose encrypted value differs between two stack files (added, removed or re-encrypted). */
export function differingEncryptedValues(before: EncryptedConfig, after: EncryptedConfig): string[] {
    const ciphertexts = (config: EncryptedConfig) => new Map(config.values.map((value) => [value.path, value.ciphertext]));
    const [was, is] = [ciphertexts(before), ciphertexts(after)];
    return [...new Set([...was.keys(), ...is.keys()])].filter((path) => was.get(path) !== is.get(path)).sort();
}

export function encryptedConfigNote(stackFile: string, config: EncryptedConfig): string[] {
    const paths = config.values.map((value) => value.path);
    return paths.length === 0
        ? []
        : [`${stackFile} holds ${paths.join(", ")} encrypted, which cannot be decrypted offline: the program ran with a ` +
            "placeholder secret in each one's place, so the plan shows where they go but nothing that depends on their values."];
}
