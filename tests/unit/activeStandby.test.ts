import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ActiveStandbyInput, activeStandbyRefusals } from "../../components/plan/regions";

const deployed: ActiveStandbyInput["deployed"] = {
    nodes: ["mendix-nodes-node-0", "mendix-nodes-node-1"], standby: { active: true }, apps: ["crm"], models: { crm: "a".repeat(64) },
    vaultSecrets: ["license-crm", "sql-admin-password"],
};
const wanted: ActiveStandbyInput["wanted"] = {
    nodeCount: 2, nodes: ["mendix-nodes-node-1", "mendix-nodes-node-0"], apps: ["crm"], models: { crm: "a".repeat(64) },
    appSecrets: [{ key: "apps[0].license", vaultSecretName: "license-crm" }],
};
const standby = { location: "northeurope", nodeCount: 2, active: true };
const refusals = (overrides: Partial<ActiveStandbyInput> = {}) => activeStandbyRefusals({ standby, deployed, wanted, ...overrides });

describe("activeStandbyRefusals", () => {
    it("lets the deployed stack through as it is, in any order, and refuses nothing while the stack's own region serves", () => {
        assert.deepEqual(refusals(), []);
        assert.deepEqual(refusals({ standby: { ...standby, active: false }, wanted: { ...wanted, nodeCount: 5, nodes: [], apps: [] } }), []);
    });

    it("refuses an edit that would create or delete in the lost region, naming each key", () => {
        const issues = refusals({
            wanted: {
                ...wanted, nodeCount: 3, nodes: [...wanted.nodes, "mendix-nodes-node-2"], apps: ["crm", "hr"], models: { crm: "b".repeat(64) },
                appSecrets: [...wanted.appSecrets, { key: "apps[1].customSettings.Api.Key", vaultSecretName: "setting-hr-api-key" }],
            },
        });
        assert.deepEqual(issues.map((issue) => [issue.key, issue.value]), [
            ["nodeCount", "3"],
            ["apps", "[\"crm\",\"hr\"]"],
            ["apps[0].mda", `a model with SHA-256 ${"b".repeat(64)}`],
            ["apps[1].customSettings.Api.Key", "a new secret"],
        ]);
        assert.match(issues[3]?.allowed ?? "", /^nothing new while standby\.active is true: it would create the secret setting-hr-api-key in the lost region's vault/);
    });

    it("refuses the standby removed while it serves, and made active on a stack that had none", () => {
        assert.deepEqual(refusals({ standby: undefined }).map((issue) => issue.key), ["standby"]);
        assert.deepEqual(refusals({ deployed: { ...deployed, standby: undefined } }).map((issue) => issue.key), ["standby.active"]);
    });
});
