import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { settingVaultSecretName, vaultedSettings } from "../../components/plan/vaultedSettings";

describe("vaultedSettings", () => {
    it("takes the settings whose names mark them secrets, with their vault names, and leaves the others", () => {
        assert.deepEqual(vaultedSettings({ name: "crm", customSettings: { "MyModule.ApiPassword": "hunter2", "Payments.TokenTimeout": "30", SessionTimeout: "1" } }), [
            { setting: "MyModule.ApiPassword", vaultSecretName: "setting-crm-mymodule-apipassword-374f7b66", value: "hunter2" },
        ]);
    });

    it("names each secret as Key Vault takes a name, distinct for names that differ only in case or punctuation", () => {
        const names = ["A.Token", "A_token", "a.token", `Module.${"Very".repeat(40)}LongSecret`].map((setting) => settingVaultSecretName("crm", setting));
        assert.equal(new Set(names.map((name) => name.toLowerCase())).size, names.length, names.join(", "));
        for (const name of names) {
            assert.match(name, /^[A-Za-z0-9-]{1,127}$/, name);
        }
    });
});
