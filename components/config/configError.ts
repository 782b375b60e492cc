import { InputError } from "../inputError";

/** One wrong config value: which key, what it held, what would have been accepted. */
export interface ConfigIssue {
    readonly key: string;
    readonly value: string;
    readonly allowed: string;
}

/** Every wrong value of the stack config at once, so a user fixes them in one round. */
export class ConfigError extends InputError {
    constructor(readonly issues: readonly ConfigIssue[]) {
        super(
            [
                `The stack config has ${issues.length} invalid value${issues.length === 1 ? "" : "s"}; no resource was registered:`,
                ...issues.map((issue) => `  - ${issue.key}: got ${issue.value}; allowed: ${issue.allowed}`),
            ].join("\n"),
        );
        this.name = "ConfigError";
    }
}

export const secretPlaceholder = "[secret]";

/** How a value is shown in an error message: short, quoted, never a secret. */
export function describeValue(value: unknown, secret = false): string {
    if (secret) {
        return secretPlaceholder;
    }
    if (value === undefined) {
        return "nothing";
    }
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
