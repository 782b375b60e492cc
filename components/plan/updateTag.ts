import { createHash } from "crypto";

/**
 * The extension's forceUpdateTag: a hash of the agent and of the node's settings documents, so a
 * change re-runs the agent on exactly the nodes whose inputs changed.
 */
export function nodeUpdateTag(agentHash: string, settingsDocuments: readonly string[]): string {
    const hash = createHash("sha256").update(agentHash);
    for (const document of settingsDocuments) {
        hash.update("\0").update(document);
    }
    return hash.digest("hex").slice(0, 32);
}
