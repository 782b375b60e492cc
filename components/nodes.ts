import * as compute from "@pulumi/azure-native/compute";
import * as pulumi from "@pulumi/pulumi";
import { Zone } from "./config/contract";
import { DeliveryConfig } from "./config/delivery";
import { ClusterMonitoring } from "./monitoring";
import { AgentSite, NodeAgent } from "./nodeAgent";
import { AppsStop, DatabaseUsersSpec, NodeDeployment, NodeMachineSpec, ResolvedGrant } from "./nodeDeployment";
import { Placement } from "./placement";
import { databaseUsersNode } from "./plan/databaseUsers";
import { GrantScope, nodeGrants } from "./plan/grants";
import { NodePlan } from "./plan/nodes";
import { RolloutPlan } from "./plan/rollout";
import { required } from "./required";
import { builtInRoleDefinitionId } from "./roleDefinition";
import { RuntimeIdentities } from "./runtimeIdentities";
import { ClusterStorage } from "./storage";

export interface NodesArgs {
    readonly placement: Placement;
    readonly nodes: readonly NodePlan[];
    readonly zones: readonly Zone[];
    readonly machine: Omit<NodeMachineSpec, "scaleSetId" | "subnetId"> & {
        /** The subnet of a node's NIC: the one of its zone. */
        readonly subnetIdOf: (node: NodePlan) => pulumi.Input<string>;
    };
    readonly agent: NodeAgent;
    /** The region the nodes are in, as their settings name it. */
    readonly site: AgentSite;
    readonly storage: ClusterStorage;
    /** The apps' identities, which every VM carries, and the SQL admin's, which the node that creates the database users carries. */
    readonly runtimeIdentities: RuntimeIdentities;
    /** The Run Command that creates the apps' database users; undefined when no app signs in with its identity, and in a standby region. */
    readonly databaseUsers: DatabaseUsersSpec | undefined;
    readonly delivery: DeliveryConfig;
    readonly rollout: RolloutPlan;
    /**
     * The cluster's monitoring, and the prefix of the logical names it gave the nodes' monitoring
     * resources; undefined for a standby region's nodes (the operations workspace is the stack
     * region's, docs/losing-a-region.md).
     */
    readonly monitoring: { readonly component: ClusterMonitoring; readonly nodeNamePrefix: string } | undefined;
    /** Whether the nodes' resources once had other parents (the stack's own region's did): aliases find them there. */
    readonly formerParentsAliased: boolean;
    /**
     * The latest restore: the apps it stops on the nodes it names (in the deployment that performs
     * it alone), and what it restored (databases, files), which every node's settings and agent run wait for.
     */
    readonly restore: { readonly stop: (AppsStop & { readonly nodes: readonly string[] }) | undefined; readonly restored: readonly pulumi.Resource[] } | undefined;
    /** What every agent run waits for before the nodes reach SQL: a new failover group, whose listener the settings name. */
    readonly databaseReady: readonly pulumi.Resource[];
}

/**
 * The cluster's Windows servers: one scale set in Flexible orchestration, spread over the zones,
 * and one `NodeDeployment` per node. Their agent runs are wired in the rollout's order: each waits
 * for the runs the rollout plan names, and the leader's for every stop command (`stopAll`, a restore).
 */
export class ClusterNodes extends pulumi.ComponentResource {
    readonly deployments: readonly NodeDeployment[];
    readonly updateTags: Readonly<Record<string, pulumi.Output<string>>>;
    /** The commands that stopped every app for the latest restore, on every node it names. */
    readonly restoreStops: readonly pulumi.Resource[];
    /** Every node's agent run: what comes after the rollout waits for them. */
    readonly agentRuns: readonly compute.VirtualMachineExtension[];

    constructor(name: string, args: NodesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mendix:cluster:Nodes", name, {}, opts);
        const { placement, rollout } = args;

        const scaleSet = new compute.VirtualMachineScaleSet(`${name}-vmss`, {
            resourceGroupName: placement.resourceGroupName,
            location: placement.location,
            tags: placement.tags,
            vmScaleSetName: placement.names.scaleSet,
            orchestrationMode: "Flexible",
            // One fault domain per zone, or "max spreading" across fault domains without zones.
            platformFaultDomainCount: 1,
            zones: args.zones.length > 0 ? [...args.zones] : undefined,
        }, { parent: this });

        const roleDefinitionId = builtInRoleDefinitionId(this);
        const grants: ResolvedGrant[] = nodeGrants(Object.keys(args.site.keyVault.secrets), args.delivery.certificate)
            .map((grant) => ({ grant, scope: scopeId(grant.scope, args) }));

        const databaseUsersOn = args.databaseUsers === undefined ? undefined : databaseUsersNode(args.nodes).name;
        this.deployments = args.nodes.map((node) => new NodeDeployment(`${name}-${node.name}`, {
            placement,
            node,
            machine: { ...args.machine, scaleSetId: scaleSet.id, subnetId: args.machine.subnetIdOf(node) },
            settingsContainer: args.site.delivery.container.scope,
            agentInputs: (identityClientId) => args.agent.inputsFor(node, identityClientId, args.site),
            grants,
            runtimeIdentities: { ids: args.runtimeIdentities.vmIdentityIds(node.name === databaseUsersOn), grants: args.runtimeIdentities.grants },
            databaseUsers: node.name === databaseUsersOn ? args.databaseUsers : undefined,
            roleDefinitionId,
            stops: [rollout.stop, args.restore?.stop].flatMap((stop): AppsStop[] => (stop?.nodes.includes(node.name) ? [{ key: stop.key, apps: stop.apps }] : [])),
            restored: args.restore?.restored ?? [],
            dataCollectionRuleId: args.monitoring?.component.dataCollectionRuleId,
            formerParents: {
                machine: { resource: args.formerParentsAliased ? this : undefined, name },
                agent: { resource: args.formerParentsAliased ? args.agent : undefined, name: args.formerParentsAliased ? args.agent.logicalName : `${name}-agent` },
                monitoring: { resource: args.formerParentsAliased ? args.monitoring?.component : undefined, name: args.monitoring?.nodeNamePrefix ?? `${name}-monitor` },
            },
        }, { parent: this }));

        const byName = new Map(this.deployments.map((deployment) => [deployment.node.name, deployment]));
        const runs = new Map<string, compute.VirtualMachineExtension>();
        const stops = this.deployments.flatMap((deployment) => [...deployment.stops.values()]);
        const restoreKey = args.restore?.stop?.key;
        this.restoreStops = restoreKey === undefined ? [] : this.deployments.flatMap((deployment) => deployment.stops.get(restoreKey) ?? []);
        for (const nodeName of rollout.sequence) {
            const deployment = required(byName.get(nodeName), `the deployment of ${nodeName}`);
            const after = (rollout.waitsFor[nodeName] ?? []).map((predecessor) => required(runs.get(predecessor), `the agent run of ${predecessor}, which ${nodeName} waits for`));
            runs.set(nodeName, deployment.runAgent({
                downloads: args.site.delivery.downloads,
                after: [...after, ...(deployment.node.leader ? stops : []), ...args.databaseReady],
            }));
        }
        this.agentRuns = [...runs.values()];
        this.updateTags = Object.fromEntries(this.deployments.map((deployment) => [deployment.node.name, deployment.updateTag]));
        this.registerOutputs({ vmNames: this.deployments.map((deployment) => deployment.vm.name) });
    }
}

function scopeId(scope: GrantScope, args: NodesArgs): pulumi.Input<string> {
    switch (scope.kind) {
        case "settingsContainer":
            return args.site.delivery.container.containerId;
        case "filesContainer":
            return required(args.storage.filesContainerIds[scope.app], `the files container of app ${scope.app}`);
        case "vaultSecret":
            return required(args.site.keyVault.secrets[scope.secretName], `the Key Vault secret ${scope.secretName}`).id;
        case "resource":
            return scope.id;
    }
}

