import * as compute from "@pulumi/azure-native/compute";
import * as network from "@pulumi/azure-native/network";
import * as pulumi from "@pulumi/pulumi";
import { Zone } from "./config/contract";
import { NodeImage } from "./config/delivery";
import { NodeIdentity } from "./nodeIdentities";
import { Placement } from "./placement";
import { dataDiskLun } from "./plan/nodeLayout";
import { NodePlan } from "./plan/nodes";
import { imageReference } from "./plan/vmImage";

export interface NodesArgs {
    readonly placement: Placement;
    readonly nodes: readonly NodePlan[];
    readonly zones: readonly Zone[];
    readonly vmSize: string;
    readonly dataDiskSizeGb: number;
    readonly adminUsername: string;
    readonly adminPassword: pulumi.Input<string>;
    /** The subnet of a node's NIC: the one of its zone. */
    readonly subnetIdOf: (node: NodePlan) => pulumi.Input<string>;
    readonly backendPoolId: pulumi.Input<string>;
    /** A prepared image; undefined: Windows Server 2022 Azure Edition, prerequisites installed by the agent. */
    readonly image: NodeImage | undefined;
    /** Needs the subscription feature Microsoft.Compute/EncryptionAtHost (the program checks it first). */
    readonly encryptionAtHost: boolean;
    /** Each node's identity, by node name: attached to its VM, whose creation waits for its grants. */
    readonly identities: Readonly<Record<string, NodeIdentity>>;
}

/** A node's VM as the other parts of the cluster need it. */
export interface NodeVm {
    readonly plan: NodePlan;
    readonly vm: compute.VirtualMachine;
    /** The client id of the node's user-assigned identity, which the agent and its extension use. */
    readonly identityClientId: pulumi.Output<string>;
}

/**
 * The cluster's Windows servers: members of one scale set in Flexible orchestration, spread over
 * the zones, each with a NIC in the load balancer's pool (no public IP) and a data disk of its own
 * that holds the Mendix apps and server files. Every resource of node i is named after i alone.
 */
export class ClusterNodes extends pulumi.ComponentResource {
    readonly vms: readonly NodeVm[];

    constructor(name: string, args: NodesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mendix:cluster:Nodes", name, {}, opts);
        const { placement } = args;
        const common = { resourceGroupName: placement.resourceGroupName, location: placement.location, tags: placement.tags };
        const zonesOf = (zone: Zone | undefined) => (zone === undefined ? undefined : [zone]);

        const scaleSet = new compute.VirtualMachineScaleSet(`${name}-vmss`, {
            ...common,
            vmScaleSetName: placement.names.scaleSet,
            orchestrationMode: "Flexible",
            // One fault domain per zone, or "max spreading" across fault domains without zones.
            platformFaultDomainCount: 1,
            zones: args.zones.length > 0 ? [...args.zones] : undefined,
        }, { parent: this });

        this.vms = args.nodes.map((node) => {
            const identity = args.identities[node.name];
            if (identity === undefined) {
                throw new Error(`no managed identity was planned for ${node.name}`);
            }
            const disk = new compute.Disk(`${name}-${node.name}-data`, {
                ...common,
                diskName: placement.names.dataDisk(node.index),
                sku: { name: "Premium_LRS" },
                diskSizeGB: args.dataDiskSizeGb,
                creationData: { createOption: "Empty" },
                zones: zonesOf(node.zone),
            }, { parent: this });

            const nic = new network.NetworkInterface(`${name}-${node.name}-nic`, {
                ...common,
                networkInterfaceName: placement.names.networkInterface(node.index),
                ipConfigurations: [{
                    name: "primary",
                    primary: true,
                    subnet: { id: args.subnetIdOf(node) },
                    privateIPAllocationMethod: "Dynamic",
                    loadBalancerBackendAddressPools: [{ id: args.backendPoolId }],
                }],
            }, { parent: this });

            const vm = new compute.VirtualMachine(`${name}-${node.name}-vm`, {
                ...common,
                vmName: placement.names.vm(node.index),
                zones: zonesOf(node.zone),
                virtualMachineScaleSet: { id: scaleSet.id },
                hardwareProfile: { vmSize: args.vmSize },
                identity: { type: "UserAssigned", userAssignedIdentities: [identity.id] },
                storageProfile: {
                    imageReference: imageReference(args.image),
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
                    adminUsername: args.adminUsername,
                    adminPassword: args.adminPassword,
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
                    encryptionAtHost: args.encryptionAtHost,
                },
                diagnosticsProfile: { bootDiagnostics: { enabled: true } },
            }, { parent: this, dependsOn: [...identity.grants] });

            return { plan: node, vm, identityClientId: identity.clientId };
        });

        this.registerOutputs({ vmNames: this.vms.map((node) => node.vm.name) });
    }
}
