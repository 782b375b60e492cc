/** An absolute https URL with a host: what the stack accepts for anything a node downloads or calls. */
export function isHttpsUrl(text: unknown): text is string {
    if (typeof text !== "string") {
        return false;
    }
    try {
        const url = new URL(text);
        return url.protocol === "https:" && url.hostname !== "";
    } catch {
        return false;
    }
}
