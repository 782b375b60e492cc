import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { securityRules } from "../../policy/rules";
import { catalog } from "../../components/catalog";
import { repositoryRoot } from "../../offline/stackConfig";
import { violationsOf } from "./runPolicy";

/** docs/secret-settings.json's cases, the same the plan's rendering and the agent's log are tested on. */
const examples = (JSON.parse(fs.readFileSync(path.join(repositoryRoot, "docs", "secret-settings.json"), "utf8")) as {
    examples: { secret: string[]; plain: string[] };
}).examples;

const rule = (name: string) => securityRules.find((candidate) => candidate.name === name) ?? assert.fail(`no rule ${name}`);

describe("the secret-setting rule in the policy pack (docs/secret-settings.json)", () => {
    for (const policy of ["vm-extension-settings-carry-no-credentials", "tags-carry-no-credentials"]) {
        it(`${policy}: refuses every secret example as a key, and passes every plain one`, () => {
            const key = policy.startsWith("tags") ? "tags" : "settings";
            const resource = (name: string) => ({ type: catalog.virtualMachineExtension.token, props: { [key]: { [name]: "x" } } });
            for (const name of examples.secret) {
                assert.deepEqual(violationsOf(rule(policy), resource(name)).map((violation) => violation.split(":")[0]),
                    [`${key}.${name} is a credential setting`], name);
            }
            for (const name of examples.plain) {
                assert.deepEqual(violationsOf(rule(policy), resource(name)), [], name);
            }
        });
    }
});
