import * as authorization from "@pulumi/azure-native/authorization";
import * as compute from "@pulumi/azure-native/compute";
import * as storage from "@pulumi/azure-native/storage";
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { AgentPackage } from "./agentPackage";
import { AppConfig } from "./config/contract";
import { ClusterDatabase } from "./database";
import { ClusterKeyVault } from "./keyVault";
import { NodeVm } from "./nodes";
import { Placement } from "./placement";
import { agentCommandLine, settingsFileName } from "./plan/agentCommand";
import { vaultSecretNames } from "./plan/keyVaultReference";
import { rolloutBatches, rolloutPredecessors } from "./plan/rollout";
import { renderNodeSettings } from "./plan/settings";
import { nodeUpdateTag } from "./plan/updateTag";
import { ClusterStorage } from "./storage";

export interface NodeAgentArgs {
    readonly placement: Placement;
    readonly nodes: readonly NodeVm[];
    readonly apps: readonly AppConfig[];
    readonly storage: ClusterStorage;
    readonly database: ClusterDatabase;
    /** Holds the secrets the settings blobs point at. */
    readonly keyVault: ClusterKeyVault;
    readonly agent: AgentPackage;
    /** Names of the nodes the last deployment of this stack had, to order the rollout by. */
    readonly deployedNodes: pulumi.Input<readonly string[]>;
    readonly maxUnavailable: number;
}

/** Storage Blob Data Reader, a built-in role. */
export const blobReaderRoleId = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1";
/** Key Vault Secrets User, a built-in role: reads secret values. */
export const secretReaderRoleId = "4633458b-17de-408a-b874-0445c86b69e6";

export interface NodeSettingsBlobs {
    readonly node: string;
    readonly blobNames: readonly string[];
}

/**
 * Gets each node configured with no one logging in: per node and app a settings blob (its secrets
 * as Key Vault references), the published agent as blobs, read rights for the node's identity on
 * the settings container and on the cluster's secrets, and one Custom Script Extension that
 * downloads both with that identity and runs the agent, which resolves the references with it.
 * The extension's update tag re-runs it when its inputs change.
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
        const blobUrl = (blobName: string) => pulumi.interpolate`${files.blobEndpoint}${files.settingsContainerName}/${blobName}`;

        const agentBlobs = args.agent.files.map((file) => new storage.Blob(`${name}-agent-${file}`, {
            ...containerScope,
            blobName: `agent/${file}`,
            type: "Block",
            contentType: "application/octet-stream",
            source: new pulumi.asset.FileAsset(path.join(args.agent.directory, file)),
        }, { parent: this }));

        const clientConfig = authorization.getClientConfigOutput({ parent: this });
        const blobReaderRole = pulumi.interpolate`/subscriptions/${clientConfig.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${blobReaderRoleId}`;

        const tags: Record<string, pulumi.Output<string>> = {};
        const extensions = new Map<string, compute.VirtualMachineExtension>();
        // Resolved once every extension below exists: each waits for the batch before its own.
        const plans = args.nodes.map((node) => node.plan);
        const predecessorsOf = (nodeName: string) => pulumi.output(args.deployedNodes).apply((deployed) => {
            const batches = rolloutBatches(plans, new Set(deployed), args.maxUnavailable);
            const node = plans.find((candidate) => candidate.name === nodeName);
            return node === undefined ? [] : rolloutPredecessors(batches, node).flatMap((predecessor) => extensions.get(predecessor.name) ?? []);
        });
        const secretReaderRole = pulumi.interpolate`/subscriptions/${clientConfig.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${secretReaderRoleId}`;
        const reference = (secretName: string) => args.keyVault.secrets[secretName]?.reference ?? pulumi.output("");
        this.settingsBlobs = args.nodes.map(({ plan: node, vm, principalId }) => {
            const documents = args.apps.map((app) => pulumi
                .all([
                    database.host, database.databaseNames[app.name] ?? app.name, files.accountName, files.filesContainerNames[app.name] ?? "",
                    reference(vaultSecretNames.sqlAdminPassword), reference(vaultSecretNames.storageAccountKey), reference(vaultSecretNames.license(app.name)),
                ])
                .apply(([host, databaseName, accountName, container, password, accountKey, licenseSecret]) => renderNodeSettings({
                    node,
                    appName: app.name,
                    database: { host, name: databaseName, userName: database.adminLogin, password },
                    storage: { accountName, accountKey, container },
                    appCustomSettings: app.customSettings,
                    license: app.license === undefined ? undefined : { ...app.license, subscriptionSecret: licenseSecret },
                })));

            const blobNames = args.apps.map((app) => placement.names.settingsBlob(node.name, app.name));
            const settingsBlobs = args.apps.map((app, index) => new storage.Blob(`${name}-${node.name}-${app.name}-settings`, {
                ...containerScope,
                blobName: blobNames[index] ?? "",
                type: "Block",
                contentType: "application/yaml",
                source: documents[index]?.apply((text) => new pulumi.asset.StringAsset(text)) ?? new pulumi.asset.StringAsset(""),
            }, { parent: this }));

            const readSettings = new authorization.RoleAssignment(`${name}-${node.name}-settings-reader`, {
                principalId,
                principalType: "ServicePrincipal",
                roleDefinitionId: blobReaderRole,
                scope: files.settingsContainerId,
            }, { parent: this });

            const readSecrets = Object.entries(args.keyVault.secrets).map(([secretName, secret]) =>
                new authorization.RoleAssignment(`${name}-${node.name}-${secretName}-reader`, {
                    principalId,
                    principalType: "ServicePrincipal",
                    roleDefinitionId: secretReaderRole,
                    scope: secret.id,
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
                settings: {
                    fileUris: [...args.agent.files.map((file) => blobUrl(`agent/${file}`)), ...blobNames.map(blobUrl)],
                    commandToExecute: agentCommandLine(args.apps.map((app) => settingsFileName(app.name))),
                },
                // The node downloads with its own managed identity: no key or SAS in any setting.
                protectedSettings: pulumi.secret({ managedIdentity: {} }),
            }, {
                parent: this,
                dependsOn: predecessorsOf(node.name).apply((predecessors) => [...agentBlobs, ...settingsBlobs, readSettings, ...readSecrets, ...predecessors]),
            });
            extensions.set(node.name, extension);

            return { node: node.name, blobNames };
        });
        this.updateTags = tags;
        this.registerOutputs({ settingsBlobs: this.settingsBlobs });
    }
}
