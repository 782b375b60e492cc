/** An IPv4 address or CIDR block, as an NSG rule's source prefix takes it. */

/** The widest block a setting that lets addresses in may name: a /8 is already 16.7 million addresses. */
export const widestPrefix = 8;

export const cidrRule =
    `IPv4 CIDR blocks no wider than /${widestPrefix}, such as 203.0.113.0/24, or single addresses such as 203.0.113.7; never 0.0.0.0/0 or *`;

export interface Block {
    /** The address as written, as a number: the block's first address unless host bits are set. */
    readonly address: number;
    readonly prefix: number;
}

/** The block `text` names, or undefined when it is not an IPv4 address or CIDR block. */
export function parseBlock(text: string): Block | undefined {
    const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(text);
    if (!match) {
        return undefined;
    }
    const octets = match.slice(1, 5).map(Number);
    const prefix = match[5] === undefined ? 32 : Number(match[5]);
    if (octets.some((octet) => octet > 255) || prefix > 32) {
        return undefined;
    }
    return { address: octets.reduce((value, octet) => value * 256 + octet, 0), prefix };
}

export function blockSize(prefix: number): number {
    return 2 ** (32 - prefix);
}

/** Not a block, or one wider than a /8 (0.0.0.0/0, the whole internet, among them). */
export function cidrProblem(text: string): boolean {
    const block = parseBlock(text);
    return block === undefined || block.prefix < widestPrefix;
}

const internetSize = blockSize(0);

/**
 * The blocks together leave no IPv4 address out: the whole internet, written as several blocks
 * (`0.0.0.0/1` and `128.0.0.0/1`, or 256 /8s).
 */
export function coversTheInternet(texts: readonly string[]): boolean {
    const ranges = texts.flatMap((text) => parseBlock(text) ?? [])
        .map((block) => ({ first: block.address - (block.address % blockSize(block.prefix)), size: blockSize(block.prefix) }))
        .sort((a, b) => a.first - b.first);
    let coveredUpTo = 0;
    for (const range of ranges) {
        if (range.first > coveredUpTo) {
            return false;
        }
        coveredUpTo = Math.max(coveredUpTo, range.first + range.size);
    }
    return coveredUpTo >= internetSize;
}
