/**
 * When the Key Vault secrets expire, and which storage key the nodes use, from `rotation.generation`.
 *
 * The expiry is fixed when a generation is first deployed: the day it was issued is kept in the
 * stack's outputs and read back through the stack's reference to itself, so every later preview and
 * update of the same generation computes the same expiry (a clock read on every run would give every
 * secret a new version, and every node a restart, on every `pulumi up`).
 */

export interface SecretIssue {
    readonly generation: number;
    /** `YYYY-MM-DD` (UTC): the day this generation's secrets were first written. */
    readonly issuedOn: string;
}

const datePattern = /^\d{4}-\d{2}-\d{2}$/;
const secondsPerDay = 24 * 60 * 60;
/** How long before the expiry every preview and update warns. */
export const expiryWarningDays = 30;

export function utcDay(now: Date): string {
    return now.toISOString().slice(0, 10);
}

/** The last deployment's record, if it is one this program wrote; anything else counts as none. */
export function readSecretIssue(value: unknown): SecretIssue | undefined {
    if (typeof value !== "object" || value === null) {
        return undefined;
    }
    const { generation, issuedOn } = value as Record<string, unknown>;
    return typeof generation === "number" && Number.isInteger(generation) && typeof issuedOn === "string" && datePattern.test(issuedOn)
        ? { generation, issuedOn }
        : undefined;
}

/** The same generation keeps its issue day; a new one (or a first deployment) is issued today. */
export function secretIssue(last: SecretIssue | undefined, generation: number, today: string): SecretIssue {
    return last !== undefined && last.generation === generation ? last : { generation, issuedOn: today };
}

/** Key Vault's `exp` attribute: Unix time in seconds, midnight UTC `expiryDays` after the issue day. */
export function secretExpiry(issue: SecretIssue, expiryDays: number): number {
    return Date.parse(`${issue.issuedOn}T00:00:00Z`) / 1000 + expiryDays * secondsPerDay;
}

/** A warning once the secrets expire within `expiryWarningDays`; undefined before. */
export function expiryWarning(expires: number, now: Date): string | undefined {
    const daysLeft = Math.floor((expires - now.getTime() / 1000) / secondsPerDay);
    if (daysLeft > expiryWarningDays) {
        return undefined;
    }
    const when = new Date(expires * 1000).toISOString().slice(0, 10);
    return `${daysLeft < 0 ? "The cluster's Key Vault secrets expired" : "The cluster's Key Vault secrets expire"} on ${when}: ` +
        "raise rotation.generation (`pulumi config set --path rotation.generation <next>`) and run `pulumi up` (docs/rotating-secrets.md)";
}

export type StorageKeyName = "key1" | "key2";

/**
 * Odd generations use key1, even ones key2: a rotation moves the nodes to the other key while the
 * one they had stays valid, and that one is regenerated only after every node has moved (docs/rotating-secrets.md).
 */
export function storageKeyName(generation: number): StorageKeyName {
    return generation % 2 === 1 ? "key1" : "key2";
}

/** The key `storageKeyName` chose, out of what listKeys returned; throws when it is missing. */
export function pickStorageKey(keys: readonly { readonly keyName: string; readonly value: string }[], generation: number): string {
    const name = storageKeyName(generation);
    const key = keys.find((candidate) => candidate.keyName === name);
    if (key === undefined || key.value === "") {
        throw new Error(`the storage account returned no ${name} (it returned ${keys.map((candidate) => candidate.keyName).join(", ") || "no key"}); rotation.generation ${generation} needs it`);
    }
    return key.value;
}
