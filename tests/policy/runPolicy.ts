import type { ResourceValidationArgs } from "@pulumi/policy";
import { toPolicy } from "../../policy/policies";
import { SecurityRule } from "../../policy/rules/securityRule";
import { PolicyResource } from "./cases";

/**
 * Runs a rule as the policy runtime would: through its ResourceValidationPolicy, with the pack's
 * config for that policy (if any), collecting what it reports.
 */
export function violationsOf(rule: SecurityRule, resource: PolicyResource): string[] {
    const policy = toPolicy(rule);
    const reported: string[] = [];
    // Only what the policy reads is filled in; the runtime passes more.
    const args = {
        type: resource.type,
        props: resource.props,
        urn: `urn:pulumi:test::project::${resource.type}::resource`,
        name: "resource",
        getConfig: <T extends object>() => (resource.config ?? {}) as T,
    } as unknown as ResourceValidationArgs;
    const validations = policy.validateResource === undefined ? [] : [policy.validateResource].flat();
    for (const validate of validations) {
        void validate(args, (message) => reported.push(message));
    }
    return reported;
}

