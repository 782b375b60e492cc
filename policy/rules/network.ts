import { list, Props, record } from "./props";
import { catalog } from "../../components/catalog";
import { SecurityRule, Violations } from "./securityRule";

/** Remote management and file sharing: RDP, WinRM over HTTP and HTTPS, SMB, SSH. */
export const managementPorts: Readonly<Record<number, string>> = { 3389: "RDP", 5985: "WinRM", 5986: "WinRM over HTTPS", 445: "SMB", 22: "SSH" };

const internetSources = new Set(["*", "0.0.0.0", "0.0.0.0/0", "internet", "any", "::/0"]);

/** Does an NSG port spec ("*", "3389", "3000-4000") take `port`? */
function portSpecCovers(spec: string, port: number): boolean {
    const text = spec.trim();
    if (text === "*") {
        return true;
    }
    const [low, high = low] = text.split("-").map((part) => Number(part.trim()));
    return low !== undefined && high !== undefined && port >= low && port <= high;
}

function ruleViolations(rule: Props, where: string): Violations {
    if (String(rule["direction"] ?? "").toLowerCase() !== "inbound" || String(rule["access"] ?? "").toLowerCase() !== "allow") {
        return [];
    }
    if (String(rule["protocol"] ?? "*").toLowerCase() === "icmp") {
        return [];
    }
    const sources = [rule["sourceAddressPrefix"], ...list(rule["sourceAddressPrefixes"])].filter((source): source is string => typeof source === "string");
    if (!sources.some((source) => internetSources.has(source.trim().toLowerCase()))) {
        return [];
    }
    const portSpecs = [rule["destinationPortRange"], ...list(rule["destinationPortRanges"])].filter((spec): spec is string | number => typeof spec === "string" || typeof spec === "number");
    return Object.entries(managementPorts)
        .filter(([port]) => portSpecs.some((spec) => portSpecCovers(String(spec), Number(port))))
        .map(([port, service]) => `${where} lets ${service} (${port}) in from the internet; allow it from listed address blocks only`);
}

export function checkNoManagementPortsFromInternet(type: string, props: Props): Violations {
    if (type === catalog.networkSecurityGroup.token) {
        return list(props["securityRules"]).map(record).flatMap((rule) => ruleViolations(rule, `security rule ${JSON.stringify(rule["name"] ?? "")}`));
    }
    return type === catalog.securityRule.token ? ruleViolations(props, "the security rule") : [];
}

/** A NAT gateway or Standard public IP without zones is put in one zone Azure chooses: one zone's loss can take it. */
export function checkOutboundZones(type: string, props: Props): Violations {
    const zones = list(props["zones"]);
    if (type === catalog.natGateway.token) {
        return zones.length > 0 ? [] : ["zones must name the NAT gateway's zone (one NAT gateway per zone in use); without it Azure picks a zone, whose loss cuts every node's outbound traffic"];
    }
    if (type === catalog.publicIpAddress.token && String(record(props["sku"])["name"] ?? "").toLowerCase() === "standard") {
        return zones.length > 0 ? [] : ["zones must name the public IP's zone (zonal) or zones (zone-redundant); without it Azure picks one"];
    }
    return [];
}

export const networkRules: readonly SecurityRule[] = [
    {
        name: "nsg-no-management-ports-from-internet",
        description: "No NSG rule lets RDP (3389), WinRM (5985, 5986), SMB (445) or SSH (22) in from the internet.",
        resourceTypes: [catalog.networkSecurityGroup.token, catalog.securityRule.token],
        check: checkNoManagementPortsFromInternet,
        checkov: ["CKV_AZURE_9", "CKV_AZURE_10"],
        benchmark: ["NS-1"],
        remediation: "Allow these ports from listed address blocks only (rdpSourceCidrs), never from *, Internet or 0.0.0.0/0.",
    },
    {
        name: "network-zonal-outbound",
        description: "NAT gateways and Standard public IPs name their zones (a NAT gateway and its IP per zone, a zone-redundant IP for the load balancer): Azure puts one without zones in a zone of its choice.",
        resourceTypes: [catalog.natGateway.token, catalog.publicIpAddress.token],
        check: checkOutboundZones,
        checkov: [],
        benchmark: [],
        remediation: "Give each zone a NAT gateway and public IP with zones: [<zone>] and its own node subnet; give a load balancer's public IP zones: [1, 2, 3].",
    },
];
