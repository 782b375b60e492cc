import { ConfigIssue } from "../config/configError";

/**
 * Encryption at host needs the subscription feature Microsoft.Compute/EncryptionAtHost registered;
 * without it Azure refuses every node, late in the first `pulumi up`. The program reads the
 * registration first (azure-native `features.getSubscriptionFeatureRegistration`) and refuses with
 * the commands that register it. Source: Microsoft Learn, "Use the Azure CLI to enable end-to-end
 * encryption using encryption at host" (register the feature, wait for Registered, re-register
 * the provider).
 */
export const encryptionAtHostFeature = { providerNamespace: "Microsoft.Compute", featureName: "EncryptionAtHost" } as const;

export const registerEncryptionAtHostCommands: readonly string[] = [
    "az feature register --namespace Microsoft.Compute --name EncryptionAtHost",
    "az feature show --namespace Microsoft.Compute --name EncryptionAtHost --query properties.state --output tsv   # repeat until it prints Registered",
    "az provider register --namespace Microsoft.Compute",
];

const wayOut = "A subscription that cannot register it: `pulumi config set encryptionAtHost false` (temp disks and disk caches are then not encrypted on the host).";

function refusal(finding: string): string {
    return [
        `${finding}; every node uses encryption at host, so no resource was registered. Register the feature once per subscription (it takes a few minutes):`,
        ...registerEncryptionAtHostCommands.map((command) => `  ${command}`),
        wayOut,
    ].join("\n");
}

/** Why the program must stop, or undefined when the feature is registered. */
export function encryptionAtHostRefusal(state: string | undefined): string | undefined {
    return state === "Registered"
        ? undefined
        : refusal(`The subscription feature Microsoft.Compute/EncryptionAtHost is ${state ?? "in no known state"}, not Registered`);
}

/** The feature's registration could not be read (no registration yet, or no right to read it). */
export function encryptionAtHostUnreadable(reason: string): string {
    return refusal(`The subscription feature Microsoft.Compute/EncryptionAtHost could not be read (${reason}), so it is taken as not registered`);
}

export const encryptionAtHostOffWarning =
    "encryptionAtHost is false: the nodes' temp disks and disk caches are not encrypted on the host " +
    "(policy vm-encryption-at-host refuses this stack). Register Microsoft.Compute/EncryptionAtHost and remove the key to turn it on; " +
    "Azure changes it only on a deallocated VM, so a deployed stack's nodes are deallocated and changed by hand first (pulumi up says how).";

/**
 * Azure changes encryption at host only on a deallocated VM: "You must deallocate your VM before you
 * can disable encryption at host", and its PowerShell steps stop the VM before enabling it too
 * (Microsoft Learn, "Use the Azure CLI / Azure PowerShell to enable end-to-end encryption using
 * encryption at host", azure-compute-docs disks-enable-host-based-encryption-cli.md and -powershell.md).
 * `pulumi up` never deallocates a node, so a deployed stack's nodes are changed by hand (or
 * deallocated while it runs), and the program reads each node from Azure (`compute.getVirtualMachine`
 * with its instance view) before it goes on.
 */

/** One deployed node's VM as Azure names it, and what Azure reports of it (undefined: it could not be read). */
export interface DeployedVmEncryption {
    readonly resourceGroupName: string;
    readonly vmName: string;
    readonly encryptionAtHost: boolean | undefined;
    /** Azure changes encryption at host of a deallocated VM (instance view status `PowerState/deallocated`). */
    readonly deallocated: boolean;
}

/** Whether the nodes must be read: the stack is deployed and the config asks for other than the last deployment recorded. */
export function encryptionAtHostChanges(recorded: boolean | undefined, wanted: boolean, deployedNodes: number): boolean {
    return deployedNodes > 0 && recorded !== undefined && recorded !== wanted;
}

/** What `compute.getVirtualMachine` (expand: instanceView) answers, as far as read here. */
export interface ReportedVm {
    readonly securityProfile?: { readonly encryptionAtHost?: boolean };
    readonly instanceView?: { readonly statuses?: readonly { readonly code?: string }[] };
}

/** A VM's setting as Azure reports it, which leaves it out where it is off, and whether the VM is deallocated. */
export function reportedVm(vm: ReportedVm): Pick<DeployedVmEncryption, "encryptionAtHost" | "deallocated"> {
    return {
        encryptionAtHost: vm.securityProfile?.encryptionAtHost === true,
        deallocated: (vm.instanceView?.statuses ?? []).some((status) => status.code === "PowerState/deallocated"),
    };
}

/** The commands that change the nodes by hand, one node at a time so that the others keep serving. */
export function encryptionAtHostCommands(wanted: boolean, vms: readonly Pick<DeployedVmEncryption, "resourceGroupName" | "vmName">[]): string[] {
    const groups = [...new Set(vms.map((vm) => vm.resourceGroupName))];
    return groups.map((group) => {
        const names = vms.filter((vm) => vm.resourceGroupName === group).map((vm) => vm.vmName).join(" ");
        return `for vm in ${names}; do az vm deallocate -g ${group} -n "$vm" && ` +
            `az vm update -g ${group} -n "$vm" --set securityProfile.encryptionAtHost=${String(wanted)} && az vm start -g ${group} -n "$vm" || break; done`;
    });
}

/**
 * The config issue when a deployed node still runs with the other setting: Azure would refuse to
 * change it on the running VM. Nodes that could not be read are not refused here (Azure refuses
 * the update itself if one still differs); `encryptionAtHostUnreadWarning` says so.
 */
export function encryptionAtHostChangeIssue(wanted: boolean, vms: readonly DeployedVmEncryption[]): ConfigIssue | undefined {
    const differing = vms.filter((vm) => vm.encryptionAtHost !== undefined && vm.encryptionAtHost !== wanted && !vm.deallocated);
    if (differing.length === 0) {
        return undefined;
    }
    return {
        key: "encryptionAtHost",
        value: String(wanted),
        allowed: `${String(!wanted)}, what ${differing.map((vm) => vm.vmName).join(", ")} run with: Azure changes encryption at host only on a deallocated VM ` +
            "(\"You must deallocate your VM before you can disable encryption at host\"), and pulumi up deallocates no node. " +
            `To change it, deallocate, update and start each node by hand, one at a time so that the others keep serving (its apps start again at boot): ` +
            `${encryptionAtHostCommands(wanted, differing).join("; ")}; then run pulumi up with this value, which reads each node from Azure and goes on once every node has it ` +
            "(or deallocate every node, run pulumi up, and start them: the apps are down meanwhile)",
    };
}

/** What `pulumi up` says of nodes whose setting could not be read before it changes the config's value. */
export function encryptionAtHostUnreadWarning(wanted: boolean, vms: readonly DeployedVmEncryption[]): string | undefined {
    const unread = vms.filter((vm) => vm.encryptionAtHost === undefined);
    return unread.length === 0
        ? undefined
        : `encryptionAtHost changes to ${String(wanted)}, and the setting of ${unread.map((vm) => vm.vmName).join(", ")} could not be read from Azure: ` +
            "Azure refuses the change on a node that still runs with the other setting (deallocate, update and start it by hand first: " +
            `${encryptionAtHostCommands(wanted, unread).join("; ")})`;
}
