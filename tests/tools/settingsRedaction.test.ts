import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isSecretSettingName, redactSettings, secretShown } from "../../tools/settingsRedaction";

describe("isSecretSettingName", () => {
    it("marks the database password and every name with AccountKey, Password, Secret or SharedAccessSignature", () => {
        for (const name of [
            "DatabasePassword",
            "com.mendix.storage.azure.AccountKey",
            "com.mendix.storage.azure.SharedAccessSignature",
            "MyModule.ClientSecret",
            "smtp.password",
            "ADMINPASSWORD",
        ]) {
            assert.equal(isSecretSettingName(name), true, name);
        }
    });

    it("leaves plain settings plain", () => {
        for (const name of ["DatabaseHost", "DatabaseUserName", "com.mendix.storage.azure.AccountName", "SessionTimeout", "com.mendix.core.isClusterSlave"]) {
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
