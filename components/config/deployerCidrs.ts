import { cidrProblem } from "./cidr";

/**
 * Addresses the deployment runs from, as an Azure Storage firewall IP rule takes them: public IPv4
 * addresses or blocks only. Azure refuses private ranges and /31 or /32 blocks in such a rule.
 * Source: https://learn.microsoft.com/azure/storage/common/storage-network-security (IP network rules)
 */
export const deployerCidrRule =
    "a public IPv4 address such as 203.0.113.7 or block such as 198.51.100.0/24 that `pulumi up` runs from; never 0.0.0.0/0, no private range, no /31";

export const deployerCidrsRequiredRule =
    "at least one public IPv4 address or block that `pulumi up` runs from, such as " +
    "`pulumi config set --path 'deployerCidrs[0]' 203.0.113.7`: the storage account denies every other address " +
    "but the node subnet's, so the deployment could not write the node settings " +
    "(the address the internet sees for this machine: `curl -s https://api.ipify.org`)";

/** Blocks no deployer reaches Azure Storage from: RFC 1918 private ranges, "this network", loopback, link-local. */
const nonPublicBlocks: readonly { readonly base: string; readonly prefix: number; readonly name: string }[] = [
    { base: "0.0.0.0", prefix: 8, name: "\"this network\"" },
    { base: "10.0.0.0", prefix: 8, name: "private" },
    { base: "127.0.0.0", prefix: 8, name: "loopback" },
    { base: "169.254.0.0", prefix: 16, name: "link-local" },
    { base: "172.16.0.0", prefix: 12, name: "private" },
    { base: "192.168.0.0", prefix: 16, name: "private" },
];

function addressValue(address: string): number {
    return address.split(".").reduce((value, octet) => value * 256 + Number(octet), 0);
}

function blockOf(text: string): { first: number; prefix: number } {
    const [address = "", prefixText] = text.split("/");
    return { first: addressValue(address), prefix: prefixText === undefined ? 32 : Number(prefixText) };
}

function blockSize(prefix: number): number {
    return 2 ** (32 - prefix);
}

function overlaps(a: { first: number; prefix: number }, b: { first: number; prefix: number }): boolean {
    return a.first < b.first + blockSize(b.prefix) && b.first < a.first + blockSize(a.prefix);
}

/** Why `text` cannot be a deployer address, or undefined when it can. */
export function deployerCidrProblem(text: string): string | undefined {
    if (cidrProblem(text)) {
        return "not an IPv4 address or CIDR block (0.0.0.0/0 is never allowed)";
    }
    const block = blockOf(text);
    if (block.prefix === 31) {
        return "a /31 block, which Azure Storage IP rules do not take: list its two addresses instead";
    }
    if (block.first % blockSize(block.prefix) !== 0) {
        return "a block with host bits set: write its first address, such as 198.51.100.0/24";
    }
    const reserved = nonPublicBlocks.find((candidate) => overlaps(block, { first: addressValue(candidate.base), prefix: candidate.prefix }));
    if (reserved !== undefined) {
        return `overlaps the ${reserved.name} range ${reserved.base}/${reserved.prefix}: Azure Storage IP rules take public addresses only`;
    }
    return undefined;
}
