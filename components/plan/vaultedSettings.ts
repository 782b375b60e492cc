import { createHash } from "crypto";
import { AppConfig } from "../config/contract";
import { isSecretSettingName } from "../config/secretSettingNames";

/** A custom setting whose name marks it a secret: its value is kept in Key Vault, and the settings blobs hold a reference to it. */
export interface VaultedSetting {
    readonly setting: string;
    /** The secret's name in the vault. */
    readonly vaultSecretName: string;
    readonly value: string;
}

/**
 * The vault name of an app's secret setting: `setting-<app>-<the name, lower-case, each run of other
 * characters a hyphen>-<8 hex of the exact name's SHA-256>`, within Key Vault's 127 letters, digits
 * and hyphens. Key Vault names ignore case, so the hash keeps `A.Token` and `A_token` apart.
 */
export function settingVaultSecretName(app: string, setting: string): string {
    const readable = setting.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 80);
    const hash = createHash("sha256").update(setting).digest("hex").slice(0, 8);
    return `setting-${app}-${readable}-${hash}`;
}

/**
 * The custom settings of an app that are secrets by the one rule (docs/secret-settings.json). The
 * config only takes them from secret config, so each goes to Key Vault rather than into a blob.
 */
export function vaultedSettings(app: Pick<AppConfig, "name" | "customSettings">): VaultedSetting[] {
    return Object.entries(app.customSettings)
        .filter(([setting]) => isSecretSettingName(setting))
        .map(([setting, value]) => ({ setting, vaultSecretName: settingVaultSecretName(app.name, setting), value }));
}
