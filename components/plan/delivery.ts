import { DeliveryConfig, Installer, installerDefaults, Installers } from "../config/delivery";

/**
 * What a node needs to serve an app, as the settings blob tells the node agent: the app's ports
 * and model, the prerequisites to install or check, the IIS site's health path and certificate.
 */

/** The load balancer probes it on 80 and 443; each node's IIS proxies it to the runtime. */
export const healthProbePath = "/mendix-health";

export interface AppModel {
    /**
     * The MDA's blob name in the settings container, `models/<app>/<app>-<first 12 of its hash>.mda`,
     * which is also its path in the extension's download folder (the agent's working directory).
     */
    readonly file: string;
    readonly sha256: string;
}

export interface AppDelivery {
    readonly hostName?: string;
    readonly runtimePort: number;
    readonly adminPort: number;
    readonly model?: AppModel;
}

/** The installers as a node gets them: every one a download with its hash. */
export type NodeInstallers = Omit<Installers, "serverDistributionUrl" | "serviceConsole"> & { readonly serviceConsole: Installer };

export type Prerequisites =
    | { readonly mode: "install"; readonly installers: NodeInstallers; readonly serverDistributionUrl: string }
    | { readonly mode: "verify"; readonly serverDistributionUrl: string };

export type SiteCertificate = { readonly source: "selfSigned" } | { readonly source: "keyVault"; readonly secretUri: string };

export interface SiteSettings {
    readonly healthPath: string;
    readonly certificate: SiteCertificate;
}

/**
 * App i listens on 8080 + 100i (runtime) and 8090 + 100i (admin): the Mendix defaults for the
 * first app, distinct on a node, and the same on every node. Reordering apps moves their ports,
 * and so restarts them.
 */
export function appDelivery(index: number, hostName: string | undefined, model: AppModel | undefined): AppDelivery {
    return {
        ...(hostName === undefined ? {} : { hostName }),
        runtimePort: 8080 + 100 * index,
        adminPort: 8090 + 100 * index,
        ...(model === undefined ? {} : { model: { file: model.file, sha256: model.sha256 } }),
    };
}

export function modelFile(app: string, sha256: string): string {
    return `models/${app}/${app}-${sha256.slice(0, 12)}.mda`;
}

/**
 * What the settings blob says about prerequisites. `uploadedServiceConsole`: the blob URL and hash
 * of a Service Console the stack uploaded (config `installers.serviceConsole.file`).
 */
export function prerequisites(delivery: DeliveryConfig, uploadedServiceConsole?: Installer): Prerequisites {
    if (delivery.installers === undefined) {
        return { mode: "verify", serverDistributionUrl: installerDefaults.serverDistributionUrl };
    }
    const { serverDistributionUrl, serviceConsole: source, ...installers } = delivery.installers;
    const serviceConsole = source.kind === "download" ? { url: source.url, sha256: source.sha256 } : uploadedServiceConsole;
    if (serviceConsole === undefined) {
        throw new Error(`installers.serviceConsole.file (${source.kind === "file" ? source.file : ""}) has no uploaded blob: the stack must upload it before it renders settings`);
    }
    return { mode: "install", installers: { ...installers, serviceConsole }, serverDistributionUrl };
}

/** An installer the stack uploads, named by its content: a new file is a new blob, never an overwrite. */
export function installerBlobName(installer: "serviceConsole", sha256: string): string {
    return `installers/${installer}-${sha256.slice(0, 12)}.msi`;
}

/** `https://<vault>.vault.azure.net/secrets/<name>`: a certificate's PFX, as Key Vault serves it as a secret. */
export function certificateSecretUri(keyVaultId: string, certificateName: string): string {
    const vaultName = keyVaultId.split("/").pop() ?? "";
    return `https://${vaultName.toLowerCase()}.vault.azure.net/secrets/${certificateName}`;
}

export function siteSettings(delivery: DeliveryConfig): SiteSettings {
    return {
        healthPath: healthProbePath,
        certificate: delivery.certificate === undefined
            ? { source: "selfSigned" }
            : { source: "keyVault", secretUri: certificateSecretUri(delivery.certificate.keyVaultId, delivery.certificate.certificateName) },
    };
}

/** What the stack's outputs say about the HTTPS certificate, plainly. */
export function certificateDescription(delivery: DeliveryConfig): string {
    return delivery.certificate === undefined
        ? "self-signed, made on each node: browsers warn about it; set `certificate` to use your own from Key Vault"
        : `${delivery.certificate.certificateName} from Key Vault ${delivery.certificate.keyVaultId.split("/").pop() ?? ""}`;
}
