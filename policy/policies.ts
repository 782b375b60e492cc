import type { PolicyConfigSchema, ResourceValidationPolicy } from "@pulumi/policy";
import { securityRules } from "./rules";
import { Props } from "./rules/props";
import { SecurityRule } from "./rules/securityRule";

/** What a rule's config is when the pipeline passes none: each property's default. */
export function defaultConfig(rule: SecurityRule): Props {
    return Object.fromEntries(Object.entries(rule.config?.properties ?? {}).map(([key, property]) => [key, property.default]));
}

function configSchema(rule: SecurityRule): PolicyConfigSchema | undefined {
    if (rule.config === undefined) {
        return undefined;
    }
    const properties = Object.fromEntries(Object.entries(rule.config.properties).map(([key, property]) => [key, { ...property }]));
    return { properties };
}

/** One mandatory resource policy per rule; it reports every violation its check finds. */
export function toPolicy(rule: SecurityRule): ResourceValidationPolicy {
    return {
        name: rule.name,
        description: rule.description,
        enforcementLevel: "mandatory",
        remediationSteps: rule.remediation,
        configSchema: configSchema(rule),
        validateResource: (args, reportViolation) => {
            const config = rule.config === undefined ? {} : { ...defaultConfig(rule), ...args.getConfig<Props>() };
            for (const violation of rule.check(args.type, args.props, config)) {
                reportViolation(violation);
            }
        },
    };
}

export const policies: readonly ResourceValidationPolicy[] = securityRules.map(toPolicy);
