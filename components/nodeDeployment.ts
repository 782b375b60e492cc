import * as authorization from "@pulumi/azure-native/authorization";
import * as compute from "@pulumi/azure-native/compute";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as network from "@pulumi/azure-native/network";
import * as storage from "@pulumi/azure-native/storage";
import * as pulumi from "@pulumi/pulumi";
import { NodeImage } from "./config/delivery";
import { monitorNode } from "./nodeMonitoring";
import { Placement } from "./placement";
import { DatabaseUsersCommand } from "./plan/databaseUsers";
import { NodeGrant } from "./plan/grants";
import { dataDiskLun } from "./plan/nodeLayout";
import { NodePlan } from "./plan/nodes";
import { stopAppsScript } from "./plan/stopAppsScript";
import { imageReference } from "./plan/vmImage";

/** A component that held some of the node's resources before each node had one of its own. */
export interface FormerParent {
    /** Undefined: the resources never had another parent (a standby region's nodes). */
    readonly resource: pulumi.Resource | undefined;
    /** The prefix of the logical names it gave them. */
    readonly name: string;
}

/**
 * The alias that names the former parent, by its URN; none where there was no former parent. Given
 * the component itself, the SDK makes an output of the alias, and checking that output's value for
 * unknowns walks everything reachable from the component: its fields, its parent's, every node's
 * deployment. That walk, for every aliased resource of every node, made an evaluation grow with the
 * square of the node count.
 */
function formerParentAliases(former: FormerParent): pulumi.Alias[] {
    return former.resource === undefined ? [] : [{ parent: former.resource.urn }];
}

/** Where the node's resources were: their logical names stay, and aliases find them there. */
export interface FormerParents {
    /** The scale set's component: VM, data disk, NIC. */
    readonly machine: FormerParent;
    /** The agent's component: settings blobs, grants, the agent's extension, the stop command. */
    readonly agent: FormerParent;
    /** The cluster monitoring's component: the Azure Monitor agent extension, the data collection rule association. */
    readonly monitoring: FormerParent;
}

export interface NodeMachineSpec {
    readonly vmSize: string;
    readonly dataDiskSizeGb: number;
    readonly adminUsername: string;
    readonly adminPassword: pulumi.Input<string>;
    /** A prepared image; undefined: Windows Server 2022 Azure Edition, prerequisites installed by the agent. */
    readonly image: NodeImage | undefined;
    /** Needs the subscription feature Microsoft.Compute/EncryptionAtHost (the program checks it first). */
    readonly encryptionAtHost: boolean;
    readonly scaleSetId: pulumi.Input<string>;
    readonly subnetId: pulumi.Input<string>;
    readonly backendPoolId: pulumi.Input<string>;
}

/** One settings blob of the node: an app's settings document. */
export interface NodeSettingsBlob {
    readonly app: string;
    readonly blobName: string;
    readonly document: pulumi.Output<string>;
}

/** Apps a Run Command stops; `key` names the command after what it stops them for, so that it runs once. */
export interface AppsStop {
    readonly key: string;
    readonly apps: readonly string[];
}

/** A grant of the plan with the id of what it is on. */
export interface ResolvedGrant {
    readonly grant: NodeGrant;
    readonly scope: pulumi.Input<string>;
}

export interface NodeDeploymentArgs {
    readonly placement: Placement;
    readonly node: NodePlan;
    readonly machine: NodeMachineSpec;
    /** The settings container the node's blobs go to, with the storage account's resource group (which need not be the node's). */
    readonly settingsContainer: { readonly resourceGroupName: pulumi.Input<string>; readonly accountName: pulumi.Input<string>; readonly containerName: pulumi.Input<string> };
    /** What the node's agent reads and runs, from the client id of its identity (which the settings name). */
    readonly agentInputs: (identityClientId: pulumi.Output<string>) => NodeAgentInputs;
    readonly grants: readonly ResolvedGrant[];
    /** Identities the node's VM carries besides its own (`RuntimeIdentities`), and their grants, which the VM waits for. */
    readonly runtimeIdentities: { readonly ids: readonly pulumi.Input<string>[]; readonly grants: readonly pulumi.Resource[] };
    /** On the node that creates the apps' database users (`plan/databaseUsers.ts`): the Run Command that does. */
    readonly databaseUsers: DatabaseUsersSpec | undefined;
    /** The role definition id of a built-in role, in the deployment's subscription. */
    readonly roleDefinitionId: (roleId: string) => pulumi.Input<string>;
    /**
     * Run Commands that stop apps on this node: with `stopAll`, a follower's before the leader runs a
     * new model; for a restore, every app of every node before the databases and files go back.
     */
    readonly stops: readonly AppsStop[];
    /** What the node's settings and agent run wait for besides its own parts: a restore's databases and files. */
    readonly restored: readonly pulumi.Resource[];
    /** The cluster's data collection rule (`ClusterMonitoring.dataCollectionRuleId`) the node is associated with; undefined: not monitored. */
    readonly dataCollectionRuleId: pulumi.Input<string> | undefined;
    readonly formerParents: FormerParents;
}

/** The Run Command that creates the apps' database users: `agent/scripts/database-users.ps1` and its parameters. */
export interface DatabaseUsersSpec {
    readonly script: string;
    readonly command: pulumi.Output<DatabaseUsersCommand>;
    /** How long the script waits for the server to let the Entra admin in (`rollout.databaseWaitSeconds`). */
    readonly waitSeconds: number;
    /** The server, its Entra admin, its private endpoint and the databases. */
    readonly after: readonly pulumi.Resource[];
}

/** A node's settings documents, one per app, and its agent run's settings. */
export interface NodeAgentInputs {
    readonly settings: readonly NodeSettingsBlob[];
    /** The extension's public settings: what it downloads, the command it runs. */
    readonly extensionSettings: pulumi.Output<{ readonly fileUris: string[]; readonly commandToExecute: string }>;
    /** Changes whenever the agent or one of the node's settings documents does: the run repeats. */
    readonly updateTag: pulumi.Output<string>;
}

/** What must be done before the node's agent run starts. */
export interface AgentRunSpec {
    /** Shared blobs the run downloads (agent, models). */
    readonly downloads: readonly pulumi.Resource[];
    /** Agent runs of the nodes this one waits for, and the followers' stop commands for the leader. */
    readonly after: readonly pulumi.Resource[];
}

/**
 * One node of the cluster, every resource it has of its own: a user-assigned identity and its
 * grants, the VM (a member of the cluster's scale set, with no public IP, created once the grants
 * exist), its data disk (which outlives the VM), its NIC in the load balancer's pool, its settings
 * blobs, its Azure Monitor agent and data collection rule association, the Run Commands that stop
 * its apps before a new model (stopAll) or a restore, and the Custom Script
 * Extension that runs the node agent. The agent run is added by `runAgent`, once the runs it waits
 * for exist. A new resource every node has belongs here.
 */
export class NodeDeployment extends pulumi.ComponentResource {
    readonly node: NodePlan;
    readonly vm: compute.VirtualMachine;
    /** The client id of the node's identity: the agent and its extension sign in with it. */
    readonly identityClientId: pulumi.Output<string>;
    readonly settingsBlobNames: readonly string[];
    readonly updateTag: pulumi.Output<string>;
    /** The node's stop commands, by key. */
    readonly stops: ReadonlyMap<string, compute.VirtualMachineRunCommandByVirtualMachine>;
    /** The command that creates the apps' database users, on the one node that runs it. */
    readonly databaseUsers: compute.VirtualMachineRunCommandByVirtualMachine | undefined;
    private readonly ready: readonly pulumi.Resource[];
    private readonly extensionSettings: NodeAgentInputs["extensionSettings"];
    private agentRun: compute.VirtualMachineExtension | undefined;
    private readonly args: NodeDeploymentArgs;

    constructor(name: string, args: NodeDeploymentArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mendix:cluster:NodeDeployment", name, {}, opts);
        this.args = args;
        this.node = args.node;
        const { placement, node, machine } = args;
        const common = { resourceGroupName: placement.resourceGroupName, location: placement.location, tags: placement.tags };
        const zones = node.zone === undefined ? undefined : [node.zone];
        // Logical names as they were, aliased to their former parents: existing nodes keep their resources.
        const movedFrom = (former: FormerParent): pulumi.CustomResourceOptions => ({ parent: this, aliases: formerParentAliases(former) });
        const machineName = `${args.formerParents.machine.name}-${node.name}`;
        const agentName = `${args.formerParents.agent.name}-${node.name}`;

        // Created and granted before the VM: a grant can take up to 10 minutes to take effect
        // (Microsoft Learn, "Troubleshoot Azure RBAC"), and the VM's first agent run reads with it at
        // once. A system-assigned identity exists only once its VM does, so its grants would be younger.
        const identity = new managedidentity.UserAssignedIdentity(`${machineName}-identity`, {
            ...common,
            resourceName: placement.names.nodeIdentity(node.index),
        }, { parent: this });
        this.identityClientId = identity.clientId;
        const grants = args.grants.map(({ grant, scope }) => new authorization.RoleAssignment(`${machineName}-${grant.key}`, {
            principalId: identity.principalId,
            principalType: "ServicePrincipal",
            roleDefinitionId: args.roleDefinitionId(grant.roleId),
            scope,
        }, { parent: this }));

        const disk = new compute.Disk(`${machineName}-data`, {
            ...common,
            diskName: placement.names.dataDisk(node.index),
            sku: { name: "Premium_LRS" },
            diskSizeGB: machine.dataDiskSizeGb,
            creationData: { createOption: "Empty" },
            // Azure's default, stated: an in-place update, not a replacement (DiskProperties.encryption is updatable).
            encryption: { type: "EncryptionAtRestWithPlatformKey" },
            zones,
        }, movedFrom(args.formerParents.machine));

        const nic = new network.NetworkInterface(`${machineName}-nic`, {
            ...common,
            networkInterfaceName: placement.names.networkInterface(node.index),
            ipConfigurations: [{
                name: "primary",
                primary: true,
                subnet: { id: machine.subnetId },
                privateIPAllocationMethod: "Dynamic",
                loadBalancerBackendAddressPools: [{ id: machine.backendPoolId }],
            }],
        }, movedFrom(args.formerParents.machine));

        this.vm = new compute.VirtualMachine(`${machineName}-vm`, {
            ...common,
            vmName: placement.names.vm(node.index),
            zones,
            virtualMachineScaleSet: { id: machine.scaleSetId },
            hardwareProfile: { vmSize: machine.vmSize },
            identity: { type: "UserAssigned", userAssignedIdentities: [identity.id, ...args.runtimeIdentities.ids] },
            storageProfile: {
                imageReference: imageReference(machine.image),
                osDisk: {
                    createOption: "FromImage",
                    caching: "ReadWrite",
                    managedDisk: { storageAccountType: "Premium_LRS" },
                    deleteOption: "Delete",
                },
                dataDisks: [{
                    lun: dataDiskLun,
                    createOption: "Attach",
                    caching: "ReadOnly",
                    managedDisk: { id: disk.id },
                    // The disk outlives the VM: a replaced VM finds its apps again.
                    deleteOption: "Detach",
                }],
            },
            osProfile: {
                computerName: node.computerName,
                adminUsername: machine.adminUsername,
                adminPassword: machine.adminPassword,
                windowsConfiguration: {
                    provisionVMAgent: true,
                    enableAutomaticUpdates: true,
                    patchSettings: { patchMode: "AutomaticByPlatform", assessmentMode: "AutomaticByPlatform" },
                },
            },
            networkProfile: { networkInterfaces: [{ id: nic.id, primary: true, deleteOption: "Detach" }] },
            securityProfile: {
                securityType: "TrustedLaunch",
                uefiSettings: { secureBootEnabled: true, vTpmEnabled: true },
                // Temp disk and disk caches encrypted on the host too.
                encryptionAtHost: machine.encryptionAtHost,
            },
            diagnosticsProfile: { bootDiagnostics: { enabled: true } },
        }, { ...movedFrom(args.formerParents.machine), dependsOn: [...grants, ...args.runtimeIdentities.grants] });

        if (args.dataCollectionRuleId !== undefined) {
            monitorNode(`${args.formerParents.monitoring.name}-${node.name}`, {
                placement, vm: this.vm, identityClientId: this.identityClientId, dataCollectionRuleId: args.dataCollectionRuleId,
            }, movedFrom(args.formerParents.monitoring));
        }

        const agentInputs = args.agentInputs(this.identityClientId);
        this.updateTag = agentInputs.updateTag;
        this.extensionSettings = agentInputs.extensionSettings;
        const settings = agentInputs.settings;
        const settingsBlobs = settings.map((settings) => new storage.Blob(`${agentName}-${settings.app}-settings`, {
            ...args.settingsContainer,
            blobName: settings.blobName,
            type: "Block",
            contentType: "application/yaml",
            source: settings.document.apply((text) => new pulumi.asset.StringAsset(text)),
        }, { ...movedFrom(args.formerParents.agent), dependsOn: [...args.restored] }));
        this.settingsBlobNames = settings.map((entry) => entry.blobName);

        this.stops = new Map(args.stops.map((stop) => [stop.key, new compute.VirtualMachineRunCommandByVirtualMachine(
            `${agentName}-stop-${stop.key}`, {
                resourceGroupName: placement.resourceGroupName,
                location: placement.location,
                vmName: this.vm.name,
                runCommandName: `mendix-stop-${stop.key}`,
                source: { script: stopAppsScript(stop.apps, { by: `mendix-stop-${stop.key}`, until: "next-run" }) },
                asyncExecution: false,
                timeoutInSeconds: 600,
                treatFailureAsDeploymentFailure: true,
            }, movedFrom(args.formerParents.agent))]));

        this.databaseUsers = args.databaseUsers === undefined ? undefined : this.createDatabaseUsers(agentName, args.databaseUsers);
        this.ready = settingsBlobs;
    }

    /**
     * Runs `database-users.ps1` on this node, signed in as the SQL server's Entra admin (an identity of
     * this VM alone), once the server, its admin, private endpoint and databases exist. Named after
     * the users it creates, so that a new set is a new command, which Azure runs once; a failure
     * fails the deployment with the script's error.
     */
    private createDatabaseUsers(agentName: string, spec: DatabaseUsersSpec): compute.VirtualMachineRunCommandByVirtualMachine {
        const { placement } = this.args;
        return new compute.VirtualMachineRunCommandByVirtualMachine(`${agentName}-database-users`, {
            resourceGroupName: placement.resourceGroupName,
            location: placement.location,
            vmName: this.vm.name,
            runCommandName: spec.command.apply((command) => `mendix-database-users-${command.key}`),
            source: { script: spec.script },
            parameters: spec.command.apply((command) => command.parameters.map(({ name, value }) => ({ name, value }))),
            asyncExecution: false,
            timeoutInSeconds: spec.waitSeconds + 300,
            treatFailureAsDeploymentFailure: true,
        }, { parent: this, dependsOn: [...spec.after] });
    }

    /** Registers the node's agent run: the Custom Script Extension that downloads with the node's identity and runs the agent. */
    runAgent(spec: AgentRunSpec): compute.VirtualMachineExtension {
        if (this.agentRun !== undefined) {
            throw new Error(`the agent run of ${this.node.name} is registered twice`);
        }
        const { placement, formerParents } = this.args;
        this.agentRun = new compute.VirtualMachineExtension(`${formerParents.agent.name}-${this.node.name}-agent`, {
            resourceGroupName: placement.resourceGroupName,
            location: placement.location,
            tags: placement.tags,
            vmName: this.vm.name,
            vmExtensionName: "mendix-node-agent",
            publisher: "Microsoft.Compute",
            type: "CustomScriptExtension",
            typeHandlerVersion: "1.10",
            autoUpgradeMinorVersion: true,
            forceUpdateTag: this.updateTag,
            settings: this.extensionSettings,
            // The node downloads with its own user-assigned identity: no key or SAS in any setting.
            protectedSettings: pulumi.secret(this.identityClientId.apply((clientId) => ({ managedIdentity: { clientId } }))),
        }, {
            parent: this,
            aliases: formerParentAliases(formerParents.agent),
            dependsOn: [...spec.downloads, ...this.ready, ...this.args.restored, ...spec.after, ...(this.databaseUsers === undefined ? [] : [this.databaseUsers])],
        });
        this.registerOutputs({ vmName: this.vm.name, settingsBlobNames: this.settingsBlobNames });
        return this.agentRun;
    }
}
