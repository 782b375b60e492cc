import { Block, blockSize, cidrProblem, parseBlock, widestPrefix } from "./cidr";

/**
 * Addresses the deployment runs from, as an Azure Storage firewall IP rule takes them: public IPv4
 * addresses or blocks only. Azure refuses private ranges and /31 or /32 blocks in such a rule.
 * Source: https://learn.microsoft.com/azure/storage/common/storage-network-security (IP network rules)
 */
export const deployerCidrRule =
    `a public IPv4 address such as 203.0.113.7 or block such as 198.51.100.0/24 that \`pulumi up\` runs from; no block wider than /${widestPrefix}, no private range, no /31`;

export const deployerCidrsRequiredRule =
    "at least one public IPv4 address or block that `pulumi up` runs from, such as " +
    "`pulumi config set --path 'deployerCidrs[0]' 203.0.113.7`: the storage account denies every other address " +
    "but the node subnet's, so the deployment could not write the node settings " +
    "(the address the internet sees for this machine: `curl -s https://api.ipify.org`)";

/** Blocks no deployer reaches Azure Storage from: RFC 1918 private ranges, "this network", loopback, link-local. */
const nonPublicBlocks: readonly { readonly block: string; readonly name: string }[] = [
    { block: "0.0.0.0/8", name: "\"this network\"" },
    { block: "10.0.0.0/8", name: "private" },
    { block: "127.0.0.0/8", name: "loopback" },
    { block: "169.254.0.0/16", name: "link-local" },
    { block: "172.16.0.0/12", name: "private" },
    { block: "192.168.0.0/16", name: "private" },
];

function overlaps(a: Block, b: Block): boolean {
    return a.address < b.address + blockSize(b.prefix) && b.address < a.address + blockSize(a.prefix);
}

/** Why `text` cannot be a deployer address, or undefined when it can. */
export function deployerCidrProblem(text: string): string | undefined {
    const block = parseBlock(text);
    if (block === undefined) {
        return "not an IPv4 address or CIDR block";
    }
    if (cidrProblem(text)) {
        return block.prefix === 0 ? "every address there is" : `a block wider than /${widestPrefix}`;
    }
    if (block.prefix === 31) {
        return "a /31 block, which Azure Storage IP rules do not take: list its two addresses instead";
    }
    if (block.address % blockSize(block.prefix) !== 0) {
        return "a block with host bits set: write its first address, such as 198.51.100.0/24";
    }
    const reserved = nonPublicBlocks.find((candidate) => overlaps(block, required(parseBlock(candidate.block), candidate.block)));
    if (reserved !== undefined) {
        return `overlaps the ${reserved.name} range ${reserved.block}: Azure Storage IP rules take public addresses only`;
    }
    return undefined;
}

function required(block: Block | undefined, text: string): Block {
    if (block === undefined) {
        throw new Error(`${text} is not a block`);
    }
    return block;
}
