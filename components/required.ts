/**
 * A value the program itself must have supplied: its absence is a wiring bug, never a user's
 * mistake, so it stops the run naming what is missing rather than rendering an empty value.
 */
export function required<T>(value: T | undefined | null, what: string): T {
    if (value === undefined || value === null) {
        throw new Error(`${what} is missing: the program wired it wrong`);
    }
    return value;
}
