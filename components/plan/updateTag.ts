import { createHash } from "crypto";

/**
 * The extension's forceUpdateTag: a hash of the agent, of the node's settings documents and of its
 * data disk's size, so a change re-runs the agent on exactly the nodes whose inputs changed. A disk
 * made larger re-runs it too: Azure grows the disk, and the agent grows the volume on it.
 */
export function nodeUpdateTag(agentHash: string, settingsDocuments: readonly string[], dataDiskSizeGb: number): string {
    const hash = createHash("sha256").update(agentHash).update(`\0disk:${dataDiskSizeGb}`);
    for (const document of settingsDocuments) {
        hash.update("\0").update(document);
    }
    return hash.digest("hex").slice(0, 32);
}
