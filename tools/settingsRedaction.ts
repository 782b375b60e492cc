import { isSecretSettingName } from "../components/config/secretSettingNames";

/**
 * How a plan shows a node's settings: every rendering goes through here, so that no output prints a
 * secret. Which names are secrets is docs/secret-settings.json's rule, the one the node agent's log
 * and the policy pack apply too.
 */

export const secretShown = "[secret]";

export { isSecretSettingName };

/** The settings as a plan may print them: every value a string, every secret's value `[secret]`. */
export function redactSettings(settings: Readonly<Record<string, unknown>>): Record<string, string> {
    return Object.fromEntries(Object.entries(settings).map(([name, value]) => [
        name,
        isSecretSettingName(name) ? secretShown : typeof value === "string" ? value : JSON.stringify(value),
    ]));
}

/** A whole settings document as a plan may print it: at any depth, the value of every key whose name marks a secret is `[secret]`. */
export function redactDocument(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(redactDocument);
    }
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, isSecretSettingName(name) ? secretShown : redactDocument(item)]));
    }
    return value;
}
