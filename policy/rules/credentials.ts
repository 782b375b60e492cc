import { list, Props, record } from "./props";
import { catalog } from "../../components/catalog";
import { isSecretSettingName } from "../../components/config/secretSettingNames";
import { forTypes, SecurityRule, Violations } from "./securityRule";

/** Text that carries a credential: SAS signatures, connection-string keys and passwords, a storage key's shape. */
const credentialText: readonly { readonly pattern: RegExp; readonly what: string }[] = [
    { pattern: /[?&]sig=[^&\s]+/i, what: "a SAS signature" },
    { pattern: /\b(AccountKey|SharedAccessKey)=/i, what: "a connection string's key" },
    { pattern: /\b(Password|Pwd)=/i, what: "a connection string's password" },
    { pattern: /^[A-Za-z0-9+/]{86}==$/, what: "a storage account key" },
];

/** Every place in `value` that holds a credential, as `path: what`. */
export function credentialFindings(value: unknown, path: string): string[] {
    if (typeof value === "string") {
        return credentialText.filter(({ pattern }) => pattern.test(value)).map(({ what }) => `${path} holds ${what}`);
    }
    if (Array.isArray(value)) {
        return list(value).flatMap((item, index) => credentialFindings(item, `${path}[${index}]`));
    }
    if (typeof value === "object" && value !== null) {
        return Object.entries(record(value)).flatMap(([key, item]) => [
            ...(isSecretSettingName(key) ? [`${path}.${key} is a credential setting`] : []),
            ...credentialFindings(item, `${path}.${key}`),
        ]);
    }
    return [];
}

export const checkExtensionPublicSettings = forTypes([catalog.virtualMachineExtension.token], (props): Violations =>
    credentialFindings(props["settings"], "settings").map((finding) => `${finding}: extension settings are stored and shown in plain text; use protectedSettings`));

/** Applies to every resource that has tags. */
export function checkTagsCarryNoCredentials(_type: string, props: Props): Violations {
    return credentialFindings(props["tags"], "tags").map((finding) => `${finding}: tags are plain text to every reader of the resource`);
}

export const credentialRules: readonly SecurityRule[] = [
    {
        name: "vm-extension-settings-carry-no-credentials",
        description: "A VM extension's public settings carry no password, key, SAS token or connection string; those go in protectedSettings.",
        resourceTypes: [catalog.virtualMachineExtension.token],
        check: checkExtensionPublicSettings,
        checkov: [],
        benchmark: ["IM-8"],
        remediation: "Move the credential into protectedSettings, or let the VM's managed identity fetch what it needs.",
    },
    {
        name: "tags-carry-no-credentials",
        description: "No resource's tags carry a password, key, SAS token or connection string.",
        resourceTypes: "every",
        check: checkTagsCarryNoCredentials,
        checkov: [],
        benchmark: ["IM-8"],
        remediation: "Remove the credential from the tags; keep it a Pulumi secret.",
    },
];
