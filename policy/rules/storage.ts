import { at, list, Props, record } from "./props";
import { catalog } from "../../components/catalog";
import { forTypes, SecurityRule, Violations } from "./securityRule";

const account = [catalog.storageAccount.token];

/** Azure's own floor for soft delete is 1 day; a week is what a review asks for. */
export const minimumSoftDeleteDays = 7;

export const checkStorageHttpsOnly = forTypes(account, (props): Violations =>
    props["enableHttpsTrafficOnly"] === true ? [] : ["enableHttpsTrafficOnly must be true: the account must refuse plain HTTP"]);

export const checkStorageMinimumTls = forTypes(account, (props): Violations =>
    ["TLS1_2", "TLS1_3"].includes(String(props["minimumTlsVersion"])) ? [] : [`minimumTlsVersion must be TLS1_2 or later; got ${JSON.stringify(props["minimumTlsVersion"] ?? null)}`]);

export const checkStorageNoPublicBlobAccess = forTypes(account, (props): Violations =>
    props["allowBlobPublicAccess"] === false ? [] : ["allowBlobPublicAccess must be false: no container may be opened to anonymous readers"]);

export const checkContainerPrivate = forTypes([catalog.blobContainer.token], (props): Violations => {
    const access = props["publicAccess"];
    return access === undefined || access === "None" ? [] : [`publicAccess must be None; got ${JSON.stringify(access)}`];
});

export const checkStorageInfrastructureEncryption = forTypes(account, (props): Violations =>
    at(props, "encryption.requireInfrastructureEncryption") === true
        ? []
        : ["encryption.requireInfrastructureEncryption must be true (it can only be set when the account is created)"]);

function retentionProblem(props: Props, key: string): string | undefined {
    const policy = record(props[key]);
    const days = policy["days"];
    if (policy["enabled"] !== true) {
        return `${key}.enabled must be true`;
    }
    return typeof days === "number" && days >= minimumSoftDeleteDays ? undefined : `${key}.days must be at least ${minimumSoftDeleteDays}; got ${JSON.stringify(days ?? null)}`;
}

export const checkBlobSoftDeleteAndVersioning = forTypes([catalog.blobServiceProperties.token], (props): Violations => [
    ...[retentionProblem(props, "deleteRetentionPolicy"), retentionProblem(props, "containerDeleteRetentionPolicy")].filter((problem): problem is string => problem !== undefined),
    ...(props["isVersioningEnabled"] === true ? [] : ["isVersioningEnabled must be true"]),
]);

const everyAddress = new Set(["0.0.0.0/0", "0.0.0.0", "*", "internet", "any"]);

export const checkStorageNetworkDenyByDefault = forTypes(account, (props): Violations => {
    const rules = record(props["networkRuleSet"]);
    const violations: string[] = [];
    if (rules["defaultAction"] !== "Deny") {
        violations.push(`networkRuleSet.defaultAction must be Deny; got ${JSON.stringify(rules["defaultAction"] ?? null)}`);
    }
    if (!String(rules["bypass"] ?? "").split(",").map((part) => part.trim()).includes("AzureServices")) {
        violations.push("networkRuleSet.bypass must include AzureServices, so that trusted Azure services keep their access");
    }
    for (const rule of list(rules["ipRules"])) {
        const range = String(record(rule)["iPAddressOrRange"] ?? "");
        if (everyAddress.has(range.toLowerCase())) {
            violations.push(`networkRuleSet.ipRules must not let in every address; got ${range}`);
        }
    }
    return violations;
});

/** Replications that keep copies in every zone of the primary region. */
export const zoneRedundantSkus = ["Standard_ZRS", "Standard_GZRS", "Standard_RAGZRS", "Premium_ZRS"] as const;

export const checkStorageZoneRedundant = forTypes(account, (props): Violations => {
    const sku = at(props, "sku.name");
    return (zoneRedundantSkus as readonly unknown[]).includes(sku)
        ? []
        : [`sku.name must be one of ${zoneRedundantSkus.join(", ")}, so that the files survive the loss of a zone; got ${JSON.stringify(sku ?? null)}`];
});

export const storageRules: readonly SecurityRule[] = [
    {
        name: "storage-https-only",
        description: "Storage accounts accept HTTPS only.",
        resourceTypes: account,
        check: checkStorageHttpsOnly,
        checkov: ["CKV_AZURE_3"],
        benchmark: ["DP-3"],
        remediation: "Set enableHttpsTrafficOnly: true on the storage account.",
    },
    {
        name: "storage-minimum-tls-1-2",
        description: "Storage accounts refuse TLS versions older than 1.2.",
        resourceTypes: account,
        check: checkStorageMinimumTls,
        checkov: ["CKV_AZURE_44"],
        benchmark: ["DP-3"],
        remediation: "Set minimumTlsVersion: TLS1_2 on the storage account.",
    },
    {
        name: "storage-no-public-blob-access",
        description: "Storage accounts allow no anonymous (public) blob access.",
        resourceTypes: account,
        check: checkStorageNoPublicBlobAccess,
        checkov: ["CKV_AZURE_190", "CKV2_AZURE_47"],
        benchmark: ["NS-2"],
        remediation: "Set allowBlobPublicAccess: false on the storage account.",
    },
    {
        name: "storage-containers-private",
        description: "Blob containers are private: no anonymous access to a container or its blobs.",
        resourceTypes: [catalog.blobContainer.token],
        check: checkContainerPrivate,
        checkov: ["CKV_AZURE_34"],
        benchmark: ["NS-2"],
        remediation: "Set publicAccess: None on the container.",
    },
    {
        name: "storage-infrastructure-encryption",
        description: "Storage accounts encrypt data at rest twice, at the service and the infrastructure level.",
        resourceTypes: account,
        check: checkStorageInfrastructureEncryption,
        checkov: [],
        benchmark: ["DP-4"],
        remediation: "Create the account with encryption.requireInfrastructureEncryption: true.",
    },
    {
        name: "storage-soft-delete-and-versioning",
        description: `Deleted blobs and containers stay restorable for at least ${minimumSoftDeleteDays} days, and blobs keep their versions.`,
        resourceTypes: [catalog.blobServiceProperties.token],
        check: checkBlobSoftDeleteAndVersioning,
        checkov: ["CKV2_AZURE_38"],
        benchmark: ["BR-1"],
        remediation: "Enable deleteRetentionPolicy and containerDeleteRetentionPolicy (7+ days) and isVersioningEnabled on the blob service.",
    },
    {
        name: "storage-network-deny-by-default",
        description: "Storage accounts deny network access by default, let in only listed networks and addresses (never all) and trusted Azure services.",
        resourceTypes: account,
        check: checkStorageNetworkDenyByDefault,
        checkov: ["CKV_AZURE_35", "CKV_AZURE_36"],
        benchmark: ["NS-2"],
        remediation: "Set networkRuleSet: { defaultAction: Deny, bypass: AzureServices, virtualNetworkRules, ipRules } on the storage account.",
    },
    {
        name: "storage-zone-redundant-replication",
        description: "Storage accounts keep copies of their data in every zone of the region (ZRS, GZRS, RA-GZRS): never locally redundant, nor GRS, whose primary copies sit in one zone.",
        resourceTypes: account,
        check: checkStorageZoneRedundant,
        checkov: ["CKV_AZURE_206"],
        benchmark: [],
        remediation: "Set sku.name to Standard_ZRS, Standard_GZRS or Standard_RAGZRS (config storage.replication); Azure converts an account in place.",
    },
];
