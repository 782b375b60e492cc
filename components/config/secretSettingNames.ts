import * as secretSettings from "../../docs/secret-settings.json";

/**
 * Which setting names hold a secret: the rule of docs/secret-settings.json, the one file the
 * program's config check, the node agent's log, the offline plan and the policy pack all read. The
 * pack reads it from the repository (`--policy-pack policy` in a checkout).
 */

export const secretEndings: readonly string[] = secretSettings.secretEndings;
/** Names that end like a secret but switch a way of signing in on or off (`true`, `false`). */
export const switches: readonly string[] = secretSettings.switches;

/** The name's letters and digits, lower-cased: `Payments.api_key` is `paymentsapikey`. */
function squashed(name: string): string {
    return name.replace(/[^A-Za-z0-9]/g, "").toLowerCase();
}

export function isSecretSettingName(name: string): boolean {
    const letters = squashed(name);
    return secretEndings.some((ending) => letters.endsWith(ending)) && !switches.some((setting) => letters.endsWith(squashed(setting)));
}
