import { Props } from "./props";

/** Messages, one per violation; empty when the resource complies or the rule does not apply to it. */
export type Violations = readonly string[];

/** A check: pure, so that it runs the same under the policy runtime and in a unit test. */
export type Check = (type: string, props: Props, config: Props) => Violations;

/** One rule of the stack's security posture, with what it matches in checkov and the benchmark. */
export interface SecurityRule {
    /** The policy's name: lower-case words joined by hyphens. */
    readonly name: string;
    readonly description: string;
    /** The resource types it looks at, or "every" for a rule on all resources. */
    readonly resourceTypes: readonly string[] | "every";
    readonly check: Check;
    /** Checkov check ids that test the same property. */
    readonly checkov: readonly string[];
    /** Microsoft cloud security benchmark v1 (Azure Security Benchmark v3) control ids. */
    readonly benchmark: readonly string[];
    readonly remediation: string;
    /** Settings a pipeline may pass with `--policy-pack-config`, with their defaults. */
    readonly config?: {
        readonly properties: Readonly<Record<string, { readonly type: "integer"; readonly default: number; readonly minimum: number; readonly maximum: number; readonly description: string }>>;
    };
}

/** Runs `check` only on the listed types. */
export function forTypes(types: readonly string[], check: (props: Props, config: Props) => Violations): Check {
    return (type, props, config) => (types.includes(type) ? check(props, config) : []);
}
