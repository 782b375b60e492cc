/**
 * Which blobs a restore of the files takes back: every app's files container, and nothing else
 * (not the settings container, which each deployment writes anew).
 *
 * Restore Blob Ranges takes lexicographical ranges of `container/blob` names, "the start of the
 * range is inclusive, and the end of the range is exclusive", "up to 10 lexicographical ranges are
 * supported per restore operation", and the container part of a range needs at least three
 * characters (Microsoft Learn, "Perform a point-in-time restore on block blob data"; REST spec
 * `BlobRestoreRange`). A container `c` is the range [`c`, `c0`): `/` sorts before `0`, so it holds
 * every blob of `c`, and a container whose name starts `c` and goes on would need a next character
 * below `0`, a hyphen, which no app's container name has (app names are letters and digits).
 */

export interface BlobRestoreRange {
    readonly startRange: string;
    readonly endRange: string;
}

/** What one Restore Blob Ranges request may hold. */
export const maxRangesPerRestore = 10;

export function containerRange(container: string): BlobRestoreRange {
    if (container.length < 3) {
        throw new Error(`container ${container}: a restore range needs a container name of at least three characters`);
    }
    return { startRange: container, endRange: `${container}0` };
}

/** One range per container, in name order. */
export function blobRestoreRanges(containers: readonly string[]): BlobRestoreRange[] {
    return [...new Set(containers)].sort().map(containerRange);
}

/** The ranges as consecutive requests of at most ten each: Azure runs one restore of an account at a time. */
export function restoreBatches(ranges: readonly BlobRestoreRange[]): BlobRestoreRange[][] {
    const batches: BlobRestoreRange[][] = [];
    for (let start = 0; start < ranges.length; start += maxRangesPerRestore) {
        batches.push(ranges.slice(start, start + maxRangesPerRestore));
    }
    return batches;
}
