import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { policies } from "../../policy/policies";
import { securityRules } from "../../policy/rules";
import { Props } from "../../policy/rules/props";
import { policyCases } from "./cases";
import { violationsOf } from "./runPolicy";

describe("the policy pack", () => {
    it("has one mandatory policy per rule, each with a unique name and a description", () => {
        assert.equal(policies.length, securityRules.length);
        assert.equal(new Set(policies.map((policy) => policy.name)).size, policies.length);
        for (const policy of policies) {
            assert.equal(policy.enforcementLevel, "mandatory", policy.name);
            assert.match(policy.name, /^[a-z0-9]+(-[a-z0-9]+)*$/);
            assert.ok(policy.description.length > 0, policy.name);
            assert.ok(policy.validateResource, policy.name);
        }
    });

    it("has a compliant and a violating test resource for every policy", () => {
        assert.deepEqual(Object.keys(policyCases).sort(), securityRules.map((rule) => rule.name).sort());
        for (const [name, testCase] of Object.entries(policyCases)) {
            assert.ok(testCase.compliant.length > 0 && testCase.violating.length > 0, name);
        }
    });

    it("declares the backup retention minimum as policy config, 14 days unless configured", () => {
        const policy = policies.find((candidate) => candidate.name === "sql-backup-retention");
        assert.deepEqual(policy?.configSchema?.properties["minimumDays"]?.default, 14);
        assert.equal(policies.filter((candidate) => candidate.configSchema !== undefined).length, 1);
    });
});

for (const rule of securityRules) {
    const testCase = policyCases[rule.name];
    describe(`policy ${rule.name}`, () => {
        for (const [index, resource] of (testCase?.compliant ?? []).entries()) {
            it(`lets compliant resource ${index + 1} (${resource.type}) pass`, () => {
                assert.deepEqual(violationsOf(rule, resource), []);
                assert.deepEqual(rule.check(resource.type, resource.props, { minimumDays: 14, ...resource.config }), []);
            });
        }
        for (const [index, resource] of (testCase?.violating ?? []).entries()) {
            it(`refuses violating resource ${index + 1} (${resource.type}): ${resource.why.source}`, () => {
                const reported = violationsOf(rule, resource);
                assert.ok(reported.length > 0, "no violation was reported");
                assert.ok(reported.some((message) => resource.why.test(message)), `no message matches ${resource.why}: ${JSON.stringify(reported)}`);
            });
        }
        if (rule.resourceTypes !== "every") {
            it("ignores resources of other types", () => {
                const other: Props = (testCase?.violating[0]?.props) ?? {};
                assert.deepEqual(rule.check("azure-native:resources:ResourceGroup", other, {}), []);
            });
        }
    });
}
