/**
 * A public IP's DNS name label, as Azure takes it (`dnsSettings.domainNameLabel`; Azure refuses
 * any other with "must conform to the following regular expression: ^[a-z][a-z0-9-]{1,61}[a-z0-9]$"):
 * 3-63 characters, lower-case letters, digits and hyphens, a letter first, a letter or digit last.
 * Source: https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules
 * (Microsoft.Network, publicIPAddresses); Microsoft's PSRule.Rules.Azure `Azure.PublicIP.DNSLabel`.
 */
export const dnsLabelPattern = /^[a-z][a-z0-9-]{1,61}[a-z0-9]$/;

export const dnsLabelRule =
    "3-63 lower-case letters, digits and hyphens, starting with a letter and ending with a letter or digit " +
    "(the cluster is then <label>.<location>.cloudapp.azure.com, so the label must be free in that region)";

/** `<label>.<location>.cloudapp.azure.com`: the name Azure gives a public IP with that label. */
export function azureDnsName(label: string, location: string): string {
    return `${label}.${location}.cloudapp.azure.com`;
}
