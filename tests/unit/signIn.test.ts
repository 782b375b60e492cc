import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { clusterSignIn, storageKeyRenewalWarning } from "../../components/plan/signIn";

const version = { major: 10, minor: 12, patch: 4, text: "10.12.4.41735" };
const identityOnly = clusterSignIn([{ name: "app", signIn: { kind: "identity", version } }]);
const withOlderApp = clusterSignIn([{ name: "app", signIn: { kind: "identity", version } }, { name: "hr", signIn: { kind: "secrets", version: undefined } }]);

describe("storageKeyRenewalWarning", () => {
    it("asks for the renewal on the deployment after which no node uses the key", () => {
        assert.match(storageKeyRenewalWarning(identityOnly, { storageKeyInUse: true, deployedBefore: true }) ?? "", /^No node uses the storage account key after this deployment/);
        // A stack deployed before the output existed may still have the key in use on its nodes.
        assert.match(storageKeyRenewalWarning(identityOnly, { storageKeyInUse: undefined, deployedBefore: true }) ?? "", /This step is required/);
    });

    it("says nothing while a node needs the key, once it was said, or on a first deployment", () => {
        assert.equal(storageKeyRenewalWarning(withOlderApp, { storageKeyInUse: true, deployedBefore: true }), undefined);
        assert.equal(storageKeyRenewalWarning(identityOnly, { storageKeyInUse: false, deployedBefore: true }), undefined);
        assert.equal(storageKeyRenewalWarning(identityOnly, { storageKeyInUse: undefined, deployedBefore: false }), undefined);
    });
});
