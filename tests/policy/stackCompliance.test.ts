import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { securityRules } from "../../policy/rules";
import { catalog } from "../../components/catalog";
import { runStack, StackRun } from "../harness/offThread";
import { violationsOf } from "./runPolicy";

const entraAdmin = { login: "dba-group", objectId: "6f2c8d0e-1b3a-4c5d-9e8f-0a1b2c3d4e5f" };

/** Every violation any policy reports on any resource of a run, as `policy: resource: message`. */
function violations(run: StackRun): string[] {
    return run.resources.flatMap((resource) => securityRules.flatMap((rule) =>
        violationsOf(rule, { type: resource.type, props: resource.inputs }).map((message) => `${rule.name}: ${resource.type} ${resource.name}: ${message}`)));
}

describe("the stack under the policy pack", () => {
    const runs: Record<string, StackRun> = {};
    before(async () => {
        runs["dev"] = await runStack({ stack: "dev" });
        runs["prod"] = await runStack({ stack: "prod" });
        runs["prod with an Entra admin and RDP"] = await runStack({
            stack: "prod",
            config: { rdpSourceCidrs: ["203.0.113.0/24"], sql: { tier: "BusinessCritical", sku: "BC_Gen5_4", maxSizeGb: 512, zoneRedundant: true, backupRetentionDays: 35, entraAdmin } },
        });
        runs["prod with a standby region"] = await runStack({ stack: "prod", config: { standby: { location: "northeurope", nodeCount: 2 } } });
    });

    for (const name of ["dev", "prod", "prod with an Entra admin and RDP", "prod with a standby region"]) {
        it(`passes every policy on ${name}`, () => {
            const run = runs[name];
            assert.ok(run && run.resources.length > 0);
            assert.deepEqual(violations(run), []);
        });
    }

    it("gives every policy something to check in the stack (it is not vacuous), but the firewall guard", () => {
        const registered = new Set(Object.values(runs).flatMap((run) => run.resources.map((resource) => resource.type)));
        const vacuous = securityRules
            .filter((rule) => rule.resourceTypes !== "every" && !rule.resourceTypes.some((type) => registered.has(type)))
            .map((rule) => rule.name);
        // The stack has no SQL firewall rule at all: that policy stands guard against someone adding one.
        assert.deepEqual(vacuous, ["sql-no-open-firewall"]);
        assert.ok(!registered.has(catalog.sqlFirewallRule.token));
    });

    it("refuses the stack once a secure default is undone", () => {
        const run = runs["prod"];
        assert.ok(run);
        const weakened = run.resources.map((resource) => resource.type === catalog.storageAccount.token
            ? { ...resource, inputs: { ...resource.inputs, networkRuleSet: { defaultAction: "Allow" }, allowBlobPublicAccess: true } }
            : resource);
        const found = violations({ ...run, resources: weakened });
        assert.ok(found.some((violation) => violation.startsWith("storage-network-deny-by-default:")), JSON.stringify(found));
        assert.ok(found.some((violation) => violation.startsWith("storage-no-public-blob-access:")), JSON.stringify(found));
    });
});
