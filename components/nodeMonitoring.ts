import * as compute from "@pulumi/azure-native/compute";
import * as monitor from "@pulumi/azure-native/monitor";
import * as pulumi from "@pulumi/pulumi";
import { Placement } from "./placement";

export interface NodeMonitoringArgs {
    readonly placement: Placement;
    readonly vm: compute.VirtualMachine;
    /** The client id of the node's user-assigned identity: the agent signs in with it. */
    readonly identityClientId: pulumi.Input<string>;
    /** The cluster's data collection rule (`ClusterMonitoring.dataCollectionRuleId`). */
    readonly dataCollectionRuleId: pulumi.Input<string>;
}

/** The association's name on every VM: one rule per node, so one name. */
export const dataCollectionAssociationName = "mendix-cluster";

/**
 * What one node adds to the cluster's monitoring, and all it adds: the Azure Monitor Agent
 * extension and the VM's association with the cluster's data collection rule. The VM has a
 * user-assigned identity only, so the extension's settings name it
 * (`authentication.managedIdentity` with `identifier-name` `client_id`: "Manage Azure Monitor
 * Agent", learn.microsoft.com/azure/azure-monitor/agents/azure-monitor-agent-manage).
 */
export function monitorNode(name: string, args: NodeMonitoringArgs, opts: pulumi.CustomResourceOptions): void {
    const { placement } = args;
    new compute.VirtualMachineExtension(`${name}-ama`, {
        resourceGroupName: placement.resourceGroupName,
        location: placement.location,
        tags: placement.tags,
        vmName: args.vm.name,
        vmExtensionName: "AzureMonitorWindowsAgent",
        publisher: "Microsoft.Azure.Monitor",
        type: "AzureMonitorWindowsAgent",
        typeHandlerVersion: "1.0",
        autoUpgradeMinorVersion: true,
        enableAutomaticUpgrade: true,
        settings: { authentication: { managedIdentity: { "identifier-name": "client_id", "identifier-value": args.identityClientId } } },
    }, opts);
    new monitor.DataCollectionRuleAssociation(`${name}-dcr`, {
        resourceUri: args.vm.id,
        associationName: dataCollectionAssociationName,
        dataCollectionRuleId: args.dataCollectionRuleId,
        description: "The node's Windows events, performance counters, Mendix runtime and node agent logs",
    }, opts);
}
