import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { catalogEntry } from "../../components/catalog";
import { runStack } from "../harness/offThread";

/** Components and the stack itself are the program's own: only what reaches a provider needs a row. */
function providerTypes(types: Iterable<string>): string[] {
    return [...new Set(types)].filter((type) => !type.startsWith("mendix:") && !type.startsWith("pulumi:")).sort();
}

describe("the catalogue of resource types", () => {
    for (const stack of ["dev", "prod"]) {
        it(`has a row for every type ${stack} registers, and none of them is guarded only`, async () => {
            const run = await runStack({ stack });
            const types = providerTypes(run.resources.map((resource) => resource.type));
            assert.ok(types.includes("azure-native:compute:VirtualMachine"), `${stack} registers its VMs: ${types.join(", ")}`);
            assert.deepEqual(types.filter((type) => catalogEntry(type) === undefined), [], "types the catalogue lacks");
            assert.deepEqual(types.filter((type) => catalogEntry(type)?.guardedOnly === true), [], "types the catalogue says the stack never registers");
        });
    }

    it("would notice a type it lacks", () => {
        assert.deepEqual(providerTypes(["azure-native:cache:Redis", "mendix:cluster:Nodes", "pulumi:pulumi:Stack"]).filter((type) => catalogEntry(type) === undefined), ["azure-native:cache:Redis"]);
    });
});
