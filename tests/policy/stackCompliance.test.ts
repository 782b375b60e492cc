import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { before, describe, it } from "node:test";
import { writeMda } from "../harness/mdaArchive";
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
        const mda = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "compliance-")), "app.mda");
        writeMda(mda, "10.24.5.12345");
        runs["prod with every app on Mendix 10.10 or later"] = await runStack({ stack: "prod", config: { apps: [{ name: "app", mda }] } });
        runs["prod with an Entra admin and RDP"] = await runStack({
            stack: "prod",
            config: { rdpSourceCidrs: ["203.0.113.0/24"], sql: { tier: "BusinessCritical", sku: "BC_Gen5_4", maxSizeGb: 512, zoneRedundant: true, backupRetentionDays: 35, entraAdmin } },
        });
        runs["prod with a standby region"] = await runStack({ stack: "prod", config: { standby: { location: "northeurope", nodeCount: 2 } } });
    });

    for (const name of ["dev", "prod", "prod with every app on Mendix 10.10 or later", "prod with an Entra admin and RDP", "prod with a standby region"]) {
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

    it("leaves the SQL server of prod with every app on Mendix 10.10 or later no admin login, which is what checkov's CKV2_AZURE_27 asks", () => {
        const servers = runs["prod with every app on Mendix 10.10 or later"]?.resources.filter((resource) => resource.type === catalog.sqlServer.token) ?? [];
        assert.equal(servers.length, 1);
        assert.equal(servers[0]?.inputs["administratorLogin"], undefined);
        assert.equal(runs["prod"]?.resources.find((resource) => resource.type === catalog.sqlServer.token)?.inputs["administratorLogin"], "mendixsql");
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
