import { at, Props, record } from "./props";
import { catalog } from "../../components/catalog";
import { forTypes, SecurityRule, Violations } from "./securityRule";

export const checkKeyVaultNoPublicNetworkAccess = forTypes([catalog.keyVault.token], (props): Violations => {
    const properties = record(props["properties"]);
    const access = properties["publicNetworkAccess"];
    const violations: string[] = [];
    if (String(access ?? "").toLowerCase() !== "disabled") {
        violations.push(`properties.publicNetworkAccess must be Disabled (the vault is reached through a private endpoint); got ${JSON.stringify(access ?? null)}`);
    }
    if (at(props, "properties.networkAcls.defaultAction") !== "Deny") {
        violations.push(`properties.networkAcls.defaultAction must be Deny; got ${JSON.stringify(at(props, "properties.networkAcls.defaultAction") ?? null)}`);
    }
    return violations;
});

/** Key Vault's `exp`: seconds since 1970, which azure-native calls `attributes.expires`. */
export const checkSecretExpiry = forTypes([catalog.keyVaultSecret.token], (props: Props): Violations => {
    const expires = at(props, "properties.attributes.expires");
    const contentType = at(props, "properties.contentType");
    return [
        ...(typeof expires === "number" && Number.isInteger(expires) && expires > 0
            ? []
            : [`properties.attributes.expires must be the secret's expiry in Unix seconds; got ${JSON.stringify(expires ?? null)}`]),
        ...(typeof contentType === "string" && contentType !== "" ? [] : ["properties.contentType must say what the secret holds"]),
    ];
});

export const keyVaultRules: readonly SecurityRule[] = [
    {
        name: "keyvault-no-public-network-access",
        description: "Key Vaults have no public endpoint (public network access disabled, network rules denying by default): the nodes reach them through a private endpoint.",
        resourceTypes: [catalog.keyVault.token],
        check: checkKeyVaultNoPublicNetworkAccess,
        checkov: ["CKV_AZURE_189", "CKV_AZURE_109"],
        benchmark: ["NS-2"],
        remediation: "Set properties.publicNetworkAccess: Disabled and properties.networkAcls.defaultAction: Deny, and reach the vault through a private endpoint.",
    },
    {
        name: "keyvault-secrets-expire",
        description: "Key Vault secrets carry an expiry date and a content type.",
        resourceTypes: [catalog.keyVaultSecret.token],
        check: checkSecretExpiry,
        checkov: ["CKV_AZURE_41", "CKV_AZURE_114"],
        benchmark: ["DP-6"],
        remediation: "Set properties.attributes.expires (Unix seconds) and properties.contentType on the secret; rotate before it expires.",
    },
];
