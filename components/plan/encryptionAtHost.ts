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
    "Azure changes it only on a deallocated VM.";
