/** A resource's inputs as the policy runtime (or a test) hands them over: plain JSON. */
export type Props = Readonly<Record<string, unknown>>;

export function record(value: unknown): Props {
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Props) : {};
}

export function list(value: unknown): readonly unknown[] {
    return Array.isArray(value) ? value : [];
}

/** `props.a.b.c` without throwing on a missing level. */
export function at(props: Props, path: string): unknown {
    return path.split(".").reduce<unknown>((value, key) => record(value)[key], props);
}
