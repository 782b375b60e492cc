/**
 * Rewrites a directory prefix in every string of a value: a revision evaluated in a temporary
 * directory registers file assets under that directory, which is no change to the stack.
 */
export function rebasePaths<T>(value: T, from: string, to: string): T {
    const rebase = (item: unknown): unknown => {
        if (typeof item === "string" && from !== "") {
            return item.split(from).join(to);
        }
        if (Array.isArray(item)) {
            return item.map(rebase);
        }
        if (typeof item === "object" && item !== null) {
            return Object.fromEntries(Object.entries(item).map(([key, entry]) => [key, rebase(entry)]));
        }
        return item;
    };
    return rebase(value) as T;
}
