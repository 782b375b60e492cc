import { ConfigReader } from "./configReader";
import { defaults, limits, RotationConfig, SecretsConfig } from "./contract";

/** The `secrets` and `rotation` keys: how long the Key Vault secrets live, and which generation of them is current. */

const secretsKeys = ["expiryDays"] as const;
const rotationKeys = ["generation"] as const;

export function readSecrets(reader: ConfigReader): SecretsConfig {
    const secrets = reader.mapping("secrets", secretsKeys);
    if (secrets === undefined) {
        return defaults.secrets;
    }
    const expiryDays = reader.checkInteger("secrets.expiryDays", secrets["expiryDays"] ?? defaults.secrets.expiryDays, limits.secretExpiryDays);
    return { expiryDays: expiryDays ?? defaults.secrets.expiryDays };
}

export function readRotation(reader: ConfigReader): RotationConfig {
    const rotation = reader.mapping("rotation", rotationKeys);
    if (rotation === undefined) {
        return defaults.rotation;
    }
    const generation = reader.checkInteger("rotation.generation", rotation["generation"] ?? defaults.rotation.generation, limits.rotationGeneration);
    return { generation: generation ?? defaults.rotation.generation };
}
