/**
 * Inbound rules of the nodes' NSG: web traffic from anywhere (the load balancer keeps the client's
 * address), RDP only from the listed blocks. Azure's default rules deny everything else inbound and
 * let the load balancer's probes in.
 */
export interface SecurityRule {
    readonly name: string;
    readonly priority: number;
    readonly direction: "Inbound";
    readonly access: "Allow";
    readonly protocol: "Tcp";
    readonly sourceAddressPrefix?: string;
    readonly sourceAddressPrefixes?: string[];
    readonly sourcePortRange: "*";
    readonly destinationAddressPrefix: "*";
    readonly destinationPortRange: string;
}

export function inboundRules(rdpSourceCidrs: readonly string[]): SecurityRule[] {
    const allow = (name: string, priority: number, port: number, source: Pick<SecurityRule, "sourceAddressPrefix" | "sourceAddressPrefixes">): SecurityRule => ({
        name, priority, direction: "Inbound", access: "Allow", protocol: "Tcp", ...source,
        sourcePortRange: "*", destinationAddressPrefix: "*", destinationPortRange: String(port),
    });
    return [
        allow("allow-http", 100, 80, { sourceAddressPrefix: "*" }),
        allow("allow-https", 110, 443, { sourceAddressPrefix: "*" }),
        ...(rdpSourceCidrs.length > 0 ? [allow("allow-rdp", 200, 3389, { sourceAddressPrefixes: [...rdpSourceCidrs] })] : []),
    ];
}
