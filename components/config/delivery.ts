import { ConfigReader, isJsonObject, JsonObject } from "./configReader";
import { isHttpsUrl } from "./urls";

/**
 * How the stack gets a bare Windows VM to serve the app: the installers the node agent runs (or a
 * prepared image it only checks), the HTTPS certificate of the IIS sites.
 */

export interface Installer {
    readonly url: string;
    /** Checked by the agent before the installer runs. */
    readonly sha256: string;
}

/**
 * Where the Service Console comes from: a download the user hosts, or an MSI file in the project
 * that the stack uploads next to the agent and hashes itself.
 */
export type ServiceConsoleSource =
    | ({ readonly kind: "download" } & Installer)
    | { readonly kind: "file"; readonly file: string };

export interface Installers {
    readonly urlRewrite: Installer;
    readonly applicationRequestRouting: Installer;
    readonly serviceConsole: ServiceConsoleSource;
    /** Java major version -> MSI; the agent picks the one the app's Mendix version needs. */
    readonly java: Readonly<Record<string, Installer>>;
    /** `{version}` stands for the MDA's RuntimeVersion. */
    readonly serverDistributionUrl: string;
}

/** A prepared image: a marketplace image, or an Azure Compute Gallery image version by id. */
export type NodeImage =
    | { readonly kind: "marketplace"; readonly publisher: string; readonly offer: string; readonly sku: string; readonly version: string }
    | { readonly kind: "gallery"; readonly id: string };

/** A certificate kept in a Key Vault of the user's, read by each node with its managed identity. */
export interface KeyVaultCertificate {
    /** The vault's Azure resource id. */
    readonly keyVaultId: string;
    readonly certificateName: string;
}

export interface DeliveryConfig {
    /** Undefined with an image: nothing is installed, only checked. */
    readonly installers: Installers | undefined;
    readonly image: NodeImage | undefined;
    /** Undefined: each node makes a self-signed certificate. */
    readonly certificate: KeyVaultCertificate | undefined;
}

/**
 * Where the vendors publish them. Java: Eclipse Temurin MSIs, hashes as the official
 * eclipse-temurin container images verify them. URL Rewrite 2.1 (7.2.1993) and ARR 3.0 (3.0.05311),
 * x64: URL and SHA-256 as Microsoft's package manifests pin them (microsoft/winget-pkgs,
 * manifests/m/Microsoft/IIS/URLRewrite/7.2.1993 and .../ApplicationRequestRouting/3.0.05311).
 * Microsoft has replaced files behind such links before: each stays overridable, and the agent's
 * hash mismatch names the key to set. The Service Console has no stable link and no published hash:
 * it is the user's to give (`serviceConsoleRule`).
 */
export const installerDefaults = {
    urlRewrite: {
        url: "https://download.microsoft.com/download/1/2/8/128E2E22-C1B9-44A4-BE2A-5859ED1D4592/rewrite_amd64_en-US.msi",
        sha256: "37342ff2f585f263f34f48e9de59eb1051d61015a8e967dbde4075716230a32a",
    },
    applicationRequestRouting: {
        url: "https://go.microsoft.com/fwlink/?LinkID=615136",
        sha256: "fb61fdb7101795a34d5129cb37eee43ab675c7ed76ba3a3b23b039d8c90c2a4b",
    },
    java: {
        "11": {
            url: "https://github.com/adoptium/temurin11-binaries/releases/download/jdk-11.0.24%2B8/OpenJDK11U-jdk_x64_windows_hotspot_11.0.24_8.msi",
            sha256: "c6d15bff637a78d2033cd42c592e47c09fe87e7d028ae7d1fbf591c547848917",
        },
        "17": {
            url: "https://github.com/adoptium/temurin17-binaries/releases/download/jdk-17.0.12%2B7/OpenJDK17U-jdk_x64_windows_hotspot_17.0.12_7.msi",
            sha256: "1e6df6b445d9e995e86fd8225c658df1411d3abab86b540ce4d2063c8a889835",
        },
        "21": {
            url: "https://github.com/adoptium/temurin21-binaries/releases/download/jdk-21.0.4%2B7/OpenJDK21U-jdk_x64_windows_hotspot_21.0.4_7.msi",
            sha256: "5eadbdeabdca1a7abf6416a6b35bf7afd86e7edade7b5d44059fbcecacaef372",
        },
    },
    serverDistributionUrl: "https://cdn.mendix.com/runtime/mendix-{version}.tar.gz",
} as const;

const installerNames = ["urlRewrite", "applicationRequestRouting", "serviceConsole"] as const;
const installersKeys = [...installerNames, "java", "serverDistributionUrl"] as const;
const installerKeys = ["url", "sha256"] as const;
const serviceConsoleKeys = ["file", "url", "sha256"] as const;

/** What a user is told when the Service Console is missing: where to get it and the key to set. */
export const serviceConsoleRule =
    "the Mendix Service Console MSI (4.7.4 or later), which Mendix publishes only on its Marketplace " +
    "(https://marketplace.mendix.com/link/component/223425): download it into the project and " +
    "`pulumi config set --path installers.serviceConsole.file 'installers/Mendix Service Console 4.7.4 Setup.msi'` " +
    "(the stack uploads it and checks its hash on every node); or host it yourself and set installers.serviceConsole.url and .sha256";
const sha256Rule = "the file's SHA-256, 64 hex characters (PowerShell: (Get-FileHash <file> -Algorithm SHA256).Hash)";

function readInstaller(reader: ConfigReader, path: string, value: unknown, fallback: { readonly url?: string; readonly sha256?: string }): Installer {
    const given = isJsonObject(value) ? value : {};
    if (value !== undefined && !isJsonObject(value)) {
        reader.report(path, value, "a mapping { url, sha256 }");
    }
    reader.refuseUnknownKeys(path, given, installerKeys);
    const url = given["url"] ?? fallback.url;
    const sha256 = given["sha256"] ?? fallback.sha256;
    if (!isHttpsUrl(url)) {
        reader.report(`${path}.url`, url, "the https URL of the installer");
    }
    if (typeof sha256 !== "string" || !/^[0-9a-fA-F]{64}$/.test(sha256)) {
        reader.report(`${path}.sha256`, sha256, sha256Rule);
    }
    return { url: String(url ?? ""), sha256: String(sha256 ?? "").toLowerCase() };
}

function readServiceConsole(reader: ConfigReader, value: unknown): ServiceConsoleSource {
    const path = "installers.serviceConsole";
    if (!isJsonObject(value)) {
        reader.report(path, value, serviceConsoleRule);
        return { kind: "file", file: "" };
    }
    reader.refuseUnknownKeys(path, value, serviceConsoleKeys);
    const file = value["file"];
    if (file === undefined) {
        return { kind: "download", ...readInstaller(reader, path, { url: value["url"], sha256: value["sha256"] }, {}) };
    }
    if (value["url"] !== undefined || value["sha256"] !== undefined) {
        reader.report(path, value, "either { file } (an MSI in the project, uploaded and hashed by the stack) or { url, sha256 }: not both");
    }
    if (typeof file !== "string" || !/\.msi$/i.test(file)) {
        reader.report(`${path}.file`, file, "the path of the Service Console's .msi file, relative to the project");
    }
    return { kind: "file", file: String(file) };
}

function readInstallers(reader: ConfigReader, value: JsonObject): Installers {
    reader.refuseUnknownKeys("installers", value, installersKeys);
    const javaGiven = value["java"];
    if (javaGiven !== undefined && !isJsonObject(javaGiven)) {
        reader.report("installers.java", javaGiven, 'a mapping of Java major versions to installers, such as { "21": { url, sha256 } }');
    }
    const java: Record<string, Installer> = {};
    const javaMajors = new Set([...Object.keys(installerDefaults.java), ...Object.keys(isJsonObject(javaGiven) ? javaGiven : {})]);
    for (const major of javaMajors) {
        if (!/^\d{1,2}$/.test(major)) {
            reader.report(`installers.java.${major}`, major, "a Java major version such as 11, 17 or 21");
            continue;
        }
        const fallback = (installerDefaults.java as Readonly<Record<string, Installer>>)[major] ?? {};
        java[major] = readInstaller(reader, `installers.java.${major}`, isJsonObject(javaGiven) ? javaGiven[major] : undefined, fallback);
    }
    const serverDistributionUrl = value["serverDistributionUrl"] ?? installerDefaults.serverDistributionUrl;
    if (!isHttpsUrl(serverDistributionUrl) || !serverDistributionUrl.includes("{version}")) {
        reader.report("installers.serverDistributionUrl", serverDistributionUrl, "an https URL with {version} where the Mendix version goes");
    }
    return {
        urlRewrite: readInstaller(reader, "installers.urlRewrite", value["urlRewrite"], installerDefaults.urlRewrite),
        applicationRequestRouting: readInstaller(reader, "installers.applicationRequestRouting", value["applicationRequestRouting"], installerDefaults.applicationRequestRouting),
        serviceConsole: readServiceConsole(reader, value["serviceConsole"]),
        java,
        serverDistributionUrl: String(serverDistributionUrl),
    };
}

const marketplaceKeys = ["publisher", "offer", "sku", "version"] as const;
const galleryImagePattern = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Compute\/galleries\/[^/]+\/images\/[^/]+(\/versions\/[^/]+)?$/i;

function readImage(reader: ConfigReader, value: JsonObject): NodeImage | undefined {
    if ("id" in value) {
        reader.refuseUnknownKeys("image", value, ["id"]);
        const id = value["id"];
        if (typeof id !== "string" || !galleryImagePattern.test(id)) {
            reader.report("image.id", id, "the resource id of an Azure Compute Gallery image or image version");
            return undefined;
        }
        return { kind: "gallery", id };
    }
    reader.refuseUnknownKeys("image", value, marketplaceKeys);
    const parts = marketplaceKeys.map((key) => value[key]);
    marketplaceKeys.forEach((key, index) => {
        if (typeof parts[index] !== "string" || parts[index] === "") {
            reader.report(`image.${key}`, parts[index], "a non-empty string (a marketplace image is { publisher, offer, sku, version }; a gallery image { id })");
        }
    });
    const [publisher, offer, sku, version] = parts.map(String);
    return { kind: "marketplace", publisher: publisher ?? "", offer: offer ?? "", sku: sku ?? "", version: version ?? "" };
}

const certificateKeys = ["keyVaultId", "certificateName"] as const;
const keyVaultIdPattern = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.KeyVault\/vaults\/[A-Za-z0-9-]{3,24}$/i;

function readCertificate(reader: ConfigReader, value: JsonObject): KeyVaultCertificate {
    reader.refuseUnknownKeys("certificate", value, certificateKeys);
    const keyVaultId = value["keyVaultId"];
    const certificateName = value["certificateName"];
    if (typeof keyVaultId !== "string" || !keyVaultIdPattern.test(keyVaultId)) {
        reader.report("certificate.keyVaultId", keyVaultId, "the resource id of the Key Vault that holds the certificate");
    }
    if (typeof certificateName !== "string" || !/^[A-Za-z0-9-]{1,127}$/.test(certificateName)) {
        reader.report("certificate.certificateName", certificateName, "the certificate's name in that vault (1-127 letters, digits and hyphens)");
    }
    return { keyVaultId: String(keyVaultId), certificateName: String(certificateName) };
}

/** Reads `installers`, `image` and `certificate`: with an image nothing is installed, without one every installer is known. */
export function readDelivery(reader: ConfigReader): DeliveryConfig {
    const imageValue = reader.json("image", "object");
    const image = imageValue === undefined ? undefined : readImage(reader, imageValue as JsonObject);
    const installersValue = reader.json("installers", "object");
    if (image !== undefined && installersValue !== undefined) {
        reader.report("installers", installersValue, "nothing when image is set: a prepared image is only checked, not installed on");
    }
    const installers = imageValue === undefined ? readInstallers(reader, (installersValue ?? {}) as JsonObject) : undefined;
    const certificateValue = reader.json("certificate", "object");
    const certificate = certificateValue === undefined ? undefined : readCertificate(reader, certificateValue as JsonObject);
    return { installers, image, certificate };
}
