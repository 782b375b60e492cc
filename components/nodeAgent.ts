import * as compute from "@pulumi/azure-native/compute";
import * as storage from "@pulumi/azure-native/storage";
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { AgentPackage } from "./agentPackage";
import { AppConfig, RolloutConfig } from "./config/contract";
import { DeliveryConfig } from "./config/delivery";
import { InstallerPackage } from "./installerPackage";
import { DatabaseEndpoint } from "./database";
import { ClusterKeyVault } from "./keyVault";
import { LastDeployment } from "./lastDeployment";
import { ModelPackage } from "./modelPackage";
import { NodeVm } from "./nodes";
import { Placement } from "./placement";
import { agentExecutable } from "./agentPackage";
import { agentBlobName, containerBlobUrl, customScriptSettings } from "./plan/agentCommand";
import { appDelivery, prerequisites, siteSettings } from "./plan/delivery";
import { vaultSecretNames } from "./plan/keyVaultReference";
import { modelChanged, rolloutBatches, rolloutOrder, rolloutPredecessors } from "./plan/rollout";
import { rolloutSettings } from "./plan/rolloutSettings";
import { renderNodeSettings } from "./plan/settings";
import { stopAppsScript } from "./plan/stopAppsScript";
import { nodeUpdateTag } from "./plan/updateTag";
import { ClusterStorage } from "./storage";

export interface NodeAgentArgs {
    readonly placement: Placement;
    readonly nodes: readonly NodeVm[];
    readonly apps: readonly AppConfig[];
    readonly storage: ClusterStorage;
    /** Depends on no SQL resource: preparing a node does not wait for the database. */
    readonly database: DatabaseEndpoint;
    /** Holds the secrets the settings blobs point at. */
    readonly keyVault: ClusterKeyVault;
    readonly agent: AgentPackage;
    /** The apps' MDAs, by app name (apps without one deploy no model). */
    readonly models: Readonly<Record<string, ModelPackage>>;
    /** The Service Console MSI the stack uploads, when the config names a file. */
    readonly serviceConsole: InstallerPackage | undefined;
    readonly delivery: DeliveryConfig;
    readonly rollout: RolloutConfig;
    readonly lastDeployment: LastDeployment;
}

export interface NodeSettingsBlobs {
    readonly node: string;
    readonly blobNames: readonly string[];
}

/**
 * Gets each node configured with no one logging in: per node and app a settings blob (its secrets
 * as Key Vault references), the published agent and the apps' MDAs as blobs, and one Custom Script
 * Extension that downloads them with the node's user-assigned identity (granted read on the
 * settings container and the cluster's secrets before its VM was created) and runs the agent. The extension's update tag
 * re-runs it when its inputs change, in the rollout's order.
 */
export class NodeAgent extends pulumi.ComponentResource {
    readonly settingsBlobs: readonly NodeSettingsBlobs[];
    readonly updateTags: Readonly<Record<string, pulumi.Output<string>>>;

    constructor(name: string, args: NodeAgentArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mendix:cluster:NodeAgent", name, {}, opts);
        const { placement, storage: files, database } = args;
        const containerScope = {
            resourceGroupName: placement.resourceGroupName,
            accountName: files.accountName,
            containerName: files.settingsContainerName,
        };
        const containerUrl = pulumi.interpolate`${files.blobEndpoint}${files.settingsContainerName}/`;
        const fileBlob = (logicalName: string, blobName: string, file: string) => new storage.Blob(logicalName, {
            ...containerScope,
            blobName,
            type: "Block",
            contentType: "application/octet-stream",
            source: new pulumi.asset.FileAsset(file),
        }, { parent: this });

        const agentBlobNames = args.agent.files.map(agentBlobName);
        const agentBlobs = args.agent.files.map((file) => fileBlob(`${name}-agent-${file}`, agentBlobName(file), path.join(args.agent.directory, file)));
        // A model's file in the blob is its blob name, so that the agent finds it where the extension puts it.
        const modelBlobNames = Object.values(args.models).map((model) => model.file);
        const modelBlobs = Object.values(args.models).map((model) => fileBlob(`${name}-${model.app}-model`, model.file, model.path));
        // Uploaded next to the agent: the extension downloads it with the node's identity, and the
        // agent finds it in its download folder under the blob's path.
        const installerBlobNames = args.serviceConsole === undefined ? [] : [args.serviceConsole.blobName];
        const installerBlobs = args.serviceConsole === undefined ? [] : [fileBlob(`${name}-service-console`, args.serviceConsole.blobName, args.serviceConsole.path)];

        const plans = args.nodes.map((node) => node.plan);
        const currentModels = Object.fromEntries(Object.values(args.models).map((model) => [model.app, model.sha256]));
        const order = args.lastDeployment.models.apply((deployed) => rolloutOrder(modelChanged(deployed, currentModels), args.rollout.modelChange));
        const batches = pulumi.all([args.lastDeployment.nodes, order]).apply(([deployed, rolloutOrderNow]) =>
            rolloutBatches(plans, new Set(deployed), args.rollout.maxUnavailable, rolloutOrderNow));
        const extensions = new Map<string, compute.VirtualMachineExtension>();
        // Resolved once every extension below exists: each waits for the batch before its own.
        const predecessorsOf = (nodeName: string) => batches.apply((rollout) => {
            const node = plans.find((candidate) => candidate.name === nodeName);
            return node === undefined ? [] : rolloutPredecessors(rollout, node).flatMap((predecessor) => extensions.get(predecessor.name) ?? []);
        });
        const stopsBeforeLeader = this.stopFollowersForNewModel(name, args, order);

        const reference = (secretName: string) => args.keyVault.secrets[secretName]?.reference ?? pulumi.output("");
        const serviceConsole = args.serviceConsole;
        const nodePrerequisites = serviceConsole === undefined
            ? pulumi.output(prerequisites(args.delivery))
            : containerUrl.apply((url) => prerequisites(args.delivery, { url: containerBlobUrl(url, serviceConsole.blobName), sha256: serviceConsole.sha256 }));
        const site = siteSettings(args.delivery);
        const rollout = rolloutSettings(args.rollout);
        const tags: Record<string, pulumi.Output<string>> = {};
        const databaseName = (app: string) => {
            const found = database.databaseNames[app];
            if (found === undefined) {
                throw new Error(`no database was planned for app ${app}`);
            }
            return found;
        };
        this.settingsBlobs = args.nodes.map(({ plan: node, vm, identityClientId }) => {
            const documents = args.apps.map((app, index) => pulumi
                .all([
                    pulumi.all([
                        identityClientId, database.host, databaseName(app.name), files.accountName, files.filesContainerNames[app.name] ?? "",
                        reference(vaultSecretNames.sqlAdminPassword), reference(vaultSecretNames.storageAccountKey), reference(vaultSecretNames.license(app.name)),
                    ]),
                    nodePrerequisites,
                ])
                .apply(([[clientId, host, databaseName, accountName, container, password, accountKey, licenseSecret], nodePrerequisites]) => renderNodeSettings({
                    node,
                    identityClientId: clientId,
                    appName: app.name,
                    database: { host, name: databaseName, userName: database.adminLogin, password },
                    storage: { accountName, accountKey, container },
                    appCustomSettings: app.customSettings,
                    license: app.license === undefined ? undefined : { ...app.license, subscriptionSecret: licenseSecret },
                    delivery: { app: appDelivery(index, app.hostName, args.models[app.name]), prerequisites: nodePrerequisites, site },
                    rollout,
                })));

            const blobNames = args.apps.map((app) => placement.names.settingsBlob(node.name, app.name));
            const settingsBlobs = args.apps.map((app, index) => new storage.Blob(`${name}-${node.name}-${app.name}-settings`, {
                ...containerScope,
                blobName: blobNames[index] ?? "",
                type: "Block",
                contentType: "application/yaml",
                source: documents[index]?.apply((text) => new pulumi.asset.StringAsset(text)) ?? new pulumi.asset.StringAsset(""),
            }, { parent: this }));

            const updateTag = pulumi.all(documents).apply((texts) => nodeUpdateTag(args.agent.hash, texts));
            tags[node.name] = updateTag;

            const extension = new compute.VirtualMachineExtension(`${name}-${node.name}-agent`, {
                resourceGroupName: placement.resourceGroupName,
                location: placement.location,
                tags: placement.tags,
                vmName: vm.name,
                vmExtensionName: "mendix-node-agent",
                publisher: "Microsoft.Compute",
                type: "CustomScriptExtension",
                typeHandlerVersion: "1.10",
                autoUpgradeMinorVersion: true,
                forceUpdateTag: updateTag,
                settings: containerUrl.apply((url) => customScriptSettings(url, {
                    agentFiles: agentBlobNames,
                    agentExecutable: agentBlobName(agentExecutable),
                    settings: blobNames,
                    models: modelBlobNames,
                    installers: installerBlobNames,
                })),
                // The node downloads with its own user-assigned identity: no key or SAS in any setting.
                protectedSettings: pulumi.secret(identityClientId.apply((clientId) => ({ managedIdentity: { clientId } }))),
            }, {
                parent: this,
                dependsOn: pulumi.all([predecessorsOf(node.name), stopsBeforeLeader]).apply(([predecessors, stops]) => [
                    ...agentBlobs, ...modelBlobs, ...installerBlobs, ...settingsBlobs, ...predecessors, ...(node.leader ? stops : []),
                ]),
            });
            extensions.set(node.name, extension);

            return { node: node.name, blobNames };
        });
        this.updateTags = tags;
        this.registerOutputs({ settingsBlobs: this.settingsBlobs });
    }

    /**
     * With `rollout.modelChange: stopAll`, a new model first stops the changed apps on every deployed
     * follower (a Run Command named after the model, so that each new model runs it once), and the
     * leader's agent waits for them: no follower serves the old model on a database the leader is
     * migrating. They are registered once the last deployment's outputs are read, which a preview
     * knows too (a stack reference is read, not created), so a preview shows them.
     */
    private stopFollowersForNewModel(name: string, args: NodeAgentArgs, order: pulumi.Output<string>): pulumi.Output<compute.VirtualMachineRunCommandByVirtualMachine[]> {
        return pulumi.all([order, args.lastDeployment.nodes, args.lastDeployment.models]).apply(([rolloutOrderNow, deployed, deployedModels]) => {
            if (rolloutOrderNow !== "leaderThenAll") {
                return [];
            }
            const changed = Object.values(args.models).filter((model) => deployedModels[model.app] !== model.sha256);
            const modelKey = changed.map((model) => model.sha256.slice(0, 8)).join("-");
            return args.nodes
                .filter(({ plan }) => !plan.leader && deployed.includes(plan.name))
                .map(({ plan, vm }) => new compute.VirtualMachineRunCommandByVirtualMachine(`${name}-${plan.name}-stop-${modelKey}`, {
                    resourceGroupName: args.placement.resourceGroupName,
                    location: args.placement.location,
                    vmName: vm.name,
                    runCommandName: `mendix-stop-${modelKey}`,
                    source: { script: stopAppsScript(changed.map((model) => model.app)) },
                    asyncExecution: false,
                    timeoutInSeconds: 600,
                    treatFailureAsDeploymentFailure: true,
                }, { parent: this }));
        });
    }
}
