import * as storage from "@pulumi/azure-native/storage";
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { AgentPackage } from "./agentPackage";
import { AppConfig, RolloutConfig } from "./config/contract";
import { DeliveryConfig } from "./config/delivery";
import { InstallerPackage } from "./installerPackage";
import { DatabaseEndpoint } from "./database";
import { DeliveryContainer } from "./deliveryStorage";
import { ClusterKeyVault } from "./keyVault";
import { ModelPackage } from "./modelPackage";
import { Placement } from "./placement";
import { NodeAgentInputs } from "./nodeDeployment";
import { agentExecutable } from "./agentPackage";
import { agentBlobName, containerBlobUrl, customScriptSettings } from "./plan/agentCommand";
import { appDelivery, prerequisites, siteSettings } from "./plan/delivery";
import { applicationRootUrl, PublicAddress } from "./plan/loadBalancing";
import { vaultSecretNames } from "./plan/keyVaultReference";
import { NodePlan } from "./plan/nodes";
import { rolloutSettings } from "./plan/rolloutSettings";
import { ClusterNames } from "./plan/names";
import { AppCredentials, renderNodeSettings, StandbySettings } from "./plan/settings";
import { nodeUpdateTag } from "./plan/updateTag";
import { vaultedSettings } from "./plan/vaultedSettings";
import { required } from "./required";
import { RuntimeIdentities } from "./runtimeIdentities";
import { ClusterStorage } from "./storage";

export interface NodeAgentArgs {
    readonly placement: Placement;
    readonly apps: readonly AppConfig[];
    readonly storage: ClusterStorage;
    /** Depends on no SQL resource: preparing a node does not wait for the database. */
    readonly database: DatabaseEndpoint;
    /** The identities of the apps that sign in with one; every other app signs in with the secrets. */
    readonly runtimeIdentities: RuntimeIdentities;
    readonly agent: AgentPackage;
    /** The apps' MDAs, by app name (apps without one deploy no model). */
    readonly models: Readonly<Record<string, ModelPackage>>;
    /** The Service Console MSI the stack uploads, when the config names a file. */
    readonly serviceConsole: InstallerPackage | undefined;
    readonly delivery: DeliveryConfig;
    readonly rollout: RolloutConfig;
    /** The size of every node's data disk: a larger one re-runs the agent, which grows the volume. */
    readonly dataDiskSizeGb: number;
    /** The load balancer's public address: the apps' public URLs are made from it. */
    readonly publicAddress: pulumi.Output<PublicAddress>;
}

/**
 * The region a node is in, as its settings name it: where its blobs go and it downloads from, the vault its secret
 * references point at (each region's nodes read their own region's vault), and, on a standby
 * region's node, whether that region serves.
 */
export interface AgentSite {
    readonly names: ClusterNames;
    readonly keyVault: ClusterKeyVault;
    /** Undefined on the stack's own region's nodes. */
    readonly standby: StandbySettings | undefined;
    /** Where the region's nodes download from: their settings blobs go there, and the shared downloads uploaded to it. */
    readonly delivery: { readonly container: DeliveryContainer; readonly downloads: readonly pulumi.Resource[] };
}

/**
 * What the node agent needs on every node: the published agent and the apps' MDAs as blobs in
 * the stack region's settings container (and, through `upload`, in a standby region's), and each
 * node's settings documents (their secrets as Key Vault references) with the extension command
 * that runs the agent on them. The node's own resources
 * (its settings blobs, grants, agent run) are its `NodeDeployment`'s.
 */
export class NodeAgent extends pulumi.ComponentResource {
    /** The shared blobs every agent run downloads. */
    readonly downloads: readonly storage.Blob[];
    /** The name it was registered with: the prefix of the per-node resources it once held. */
    readonly logicalName: string;
    private readonly args: NodeAgentArgs;

    constructor(name: string, args: NodeAgentArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mendix:cluster:NodeAgent", name, {}, opts);
        this.args = args;
        this.logicalName = name;
        this.downloads = this.upload(name, args.storage.delivery, this);
        this.registerOutputs({});
    }

    /**
     * The shared downloads, uploaded to `container` under `parent`: the agent, the apps' MDAs and the
     * Service Console MSI. Each region's nodes download from their own region's container.
     */
    upload(name: string, container: DeliveryContainer, parent: pulumi.Resource): storage.Blob[] {
        const { args } = this;
        const fileBlob = (logicalName: string, blobName: string, file: string) => new storage.Blob(logicalName, {
            ...container.scope,
            blobName,
            type: "Block",
            contentType: "application/octet-stream",
            source: new pulumi.asset.FileAsset(file),
        }, { parent });
        return [
            ...args.agent.files.map((file) => fileBlob(`${name}-agent-${file}`, agentBlobName(file), path.join(args.agent.directory, file))),
            // A model's file is its blob name, so that the agent finds it where the extension puts it.
            ...Object.values(args.models).map((model) => fileBlob(`${name}-${model.app}-model`, model.file, model.path)),
            // Uploaded next to the agent: the extension downloads it with the node's identity, and the
            // agent finds it in its download folder under the blob's path.
            ...(args.serviceConsole === undefined ? [] : [fileBlob(`${name}-service-console`, args.serviceConsole.blobName, args.serviceConsole.path)]),
        ];
    }

    /** How an app's runtime signs in: as its own identity, or with the secrets its settings point at in the site's vault. */
    private credentialsOf(app: string, reference: (secretName: string) => pulumi.Output<string>): pulumi.Output<AppCredentials> {
        const identity = this.args.runtimeIdentities.apps[app];
        if (identity !== undefined) {
            return identity.clientId.apply((clientId): AppCredentials => ({ kind: "identity", clientId }));
        }
        const userName = required(this.args.database.adminLogin, `the SQL admin login app ${app} signs in with`);
        return pulumi.all([reference(vaultSecretNames.sqlAdminPassword), reference(vaultSecretNames.storageAccountKey)])
            .apply(([databasePassword, storageAccountKey]): AppCredentials => ({ kind: "secrets", databaseUserName: userName, databasePassword, storageAccountKey }));
    }

    /** What a node's agent run reads: its settings documents, the files it downloads, the command. */
    inputsFor(node: NodePlan, identityClientId: pulumi.Output<string>, site: AgentSite): NodeAgentInputs {
        const { args } = this;
        const { database, storage: files } = args;
        const reference = (secretName: string) => required(site.keyVault.secrets[secretName], `the Key Vault secret ${secretName}`).reference;
        const containerUrl = site.delivery.container.url;
        const serviceConsole = args.serviceConsole;
        const nodePrerequisites = serviceConsole === undefined
            ? pulumi.output(prerequisites(args.delivery))
            : containerUrl.apply((url) => prerequisites(args.delivery, { url: containerBlobUrl(url, serviceConsole.blobName), sha256: serviceConsole.sha256 }));
        const siteSpec = siteSettings(args.delivery);
        const rollout = rolloutSettings(args.rollout);
        const settings = args.apps.map((app, index) => {
            const license = app.license === undefined ? undefined : { terms: app.license, secret: reference(vaultSecretNames.license(app.name)) };
            const document = pulumi
                .all([
                    pulumi.all([
                        identityClientId, database.host, required(database.databaseNames[app.name], `the database of app ${app.name}`), files.accountName,
                        files.blobEndpoint, required(files.filesContainerNames[app.name], `the file container of app ${app.name}`),
                        this.credentialsOf(app.name, reference), license?.secret ?? pulumi.output(undefined),
                    ]),
                    nodePrerequisites,
                    args.publicAddress,
                    // The app's secret settings as references to their Key Vault secrets, never their values.
                    pulumi.all(Object.fromEntries(vaultedSettings(app).map((setting) => [setting.setting, reference(setting.vaultSecretName)]))),
                ])
                .apply(([[clientId, host, databaseName, accountName, blobEndpoint, container, credentials, licenseSecret], prerequisitesNow, address, secretSettings]) => renderNodeSettings({
                    node,
                    identityClientId: clientId,
                    appName: app.name,
                    database: { host, name: databaseName },
                    storage: { accountName, blobEndpoint, container },
                    credentials,
                    appCustomSettings: { ...app.customSettings, ...secretSettings },
                    license: license === undefined ? undefined : { ...license.terms, subscriptionSecret: required(licenseSecret, `the licence secret reference of app ${app.name}`) },
                    delivery: { app: appDelivery(index, app.hostName, args.models[app.name]), prerequisites: prerequisitesNow, site: siteSpec },
                    rollout,
                    runtimeVersion: args.models[app.name]?.runtimeVersion,
                    applicationRootUrl: applicationRootUrl(app.hostName, address, args.delivery.certificate !== undefined),
                    standby: site.standby,
                }));
            return { app: app.name, blobName: site.names.settingsBlob(node.name, app.name), document };
        });
        return {
            settings,
            extensionSettings: containerUrl.apply((url) => customScriptSettings(url, {
                agentFiles: args.agent.files.map(agentBlobName),
                agentExecutable: agentBlobName(agentExecutable),
                settings: settings.map((entry) => entry.blobName),
                models: Object.values(args.models).map((model) => model.file),
                installers: serviceConsole === undefined ? [] : [serviceConsole.blobName],
            })),
            updateTag: pulumi.all(settings.map((entry) => entry.document)).apply((texts) => nodeUpdateTag(args.agent.hash, texts, args.dataDiskSizeGb)),
        };
    }
}

