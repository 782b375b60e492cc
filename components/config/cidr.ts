/** An IPv4 address or CIDR block, as an NSG rule's source prefix takes it. */
export const cidrRule = "IPv4 CIDR blocks such as 203.0.113.0/24 or single addresses such as 203.0.113.7; never 0.0.0.0/0 or *";

export function cidrProblem(text: string): boolean {
    const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(text);
    if (!match) {
        return true;
    }
    const octets = match.slice(1, 5).map(Number);
    const prefix = match[5] === undefined ? 32 : Number(match[5]);
    // RDP open to the whole internet is exactly what this setting exists to prevent.
    return octets.some((octet) => octet > 255) || prefix > 32 || prefix === 0;
}
