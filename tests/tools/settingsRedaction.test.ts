import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { isSecretSettingName, redactSettings, secretShown } from "../../tools/settingsRedaction";
import { repositoryRoot } from "../../offline/stackConfig";

/** The cases every reader of the rule is tested on: the agent's log, the plan, the policy pack. */
const examples = (JSON.parse(fs.readFileSync(path.join(repositoryRoot, "docs", "secret-settings.json"), "utf8")) as {
    examples: { secret: string[]; plain: string[] };
}).examples;

describe("the secret-setting rule in the plan's rendering (docs/secret-settings.json)", () => {
    it("has the cases that decide the rule", () => {
        for (const name of ["DatabasePassword", "com.mendix.storage.azure.AccountKey", "License.SubscriptionSecret", "Payments.ApiToken"]) {
            assert.ok(examples.secret.includes(name), name);
        }
        for (const name of ["Payments.TokenTimeout", "SessionTimeout", "com.mendix.storage.azure.AccountName"]) {
            assert.ok(examples.plain.includes(name), name);
        }
    });

    it("shows every secret example as [secret] and every plain one as it is", () => {
        const settings = Object.fromEntries([...examples.secret, ...examples.plain].map((name) => [name, `value of ${name}`]));
        const shown = redactSettings(settings);
        for (const name of examples.secret) {
            assert.equal(shown[name], secretShown, name);
            assert.equal(isSecretSettingName(name), true, name);
        }
        for (const name of examples.plain) {
            assert.equal(shown[name], `value of ${name}`, name);
            assert.equal(isSecretSettingName(name), false, name);
        }
    });
});

describe("redactSettings", () => {
    it("hides secret values, keeps the rest and writes every value as a string", () => {
        assert.deepEqual(
            redactSettings({ DatabasePassword: "p@ss", DatabaseHost: "db:1433", SessionTimeout: 600000, "x.AccountKey": { nested: "key" }, Flag: true }),
            { DatabasePassword: secretShown, DatabaseHost: "db:1433", SessionTimeout: "600000", "x.AccountKey": secretShown, Flag: "true" },
        );
    });
});
