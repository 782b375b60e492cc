/**
 * Which Mendix settings hold secrets, and how a plan shows them: the one rule every rendering of a
 * node's settings goes through, so that no output prints a password or key.
 */

export const secretShown = "[secret]";

/** Fragments of a setting's name that mark it as a secret, matched without regard to case. */
const secretNameFragments = ["AccountKey", "Password", "Secret", "SharedAccessSignature"] as const;

export function isSecretSettingName(name: string): boolean {
    const lowerCase = name.toLowerCase();
    return name === "DatabasePassword" || secretNameFragments.some((fragment) => lowerCase.includes(fragment.toLowerCase()));
}

/** The settings as a plan may print them: every value a string, every secret's value `[secret]`. */
export function redactSettings(settings: Readonly<Record<string, unknown>>): Record<string, string> {
    return Object.fromEntries(Object.entries(settings).map(([name, value]) => [
        name,
        isSecretSettingName(name) ? secretShown : typeof value === "string" ? value : JSON.stringify(value),
    ]));
}
