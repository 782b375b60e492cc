import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { clusterNames } from "../../components/plan/names";
import { planNodes } from "../../components/plan/nodes";
import { planRollout, rolloutBatches, rolloutPredecessors } from "../../components/plan/rollout";

const nodes = planNodes(5, ["1", "2", "3"], clusterNames("prod"));
const all = new Set(nodes.map((node) => node.name));
const batchNames = (batches: { name: string }[][]) => batches.map((batch) => batch.map((node) => node.name));

describe("rolloutBatches", () => {
    it("rolls followers one at a time by default and the leader last", () => {
        assert.deepEqual(batchNames(rolloutBatches(nodes, all, 1)), [["node-1"], ["node-2"], ["node-3"], ["node-4"], ["node-0"]]);
    });

    it("rolls maxUnavailable followers at a time", () => {
        assert.deepEqual(batchNames(rolloutBatches(nodes, all, 2)), [["node-1", "node-2"], ["node-3", "node-4"], ["node-0"]]);
        assert.deepEqual(batchNames(rolloutBatches(nodes, all, 10)), [["node-1", "node-2", "node-3", "node-4"], ["node-0"]]);
    });

    it("leaves out nodes not deployed before, so their first deployment waits for no one", () => {
        const deployed = new Set(["node-0", "node-1", "node-2"]);
        assert.deepEqual(batchNames(rolloutBatches(nodes, deployed, 1)), [["node-1"], ["node-2"], ["node-0"]]);
        assert.deepEqual(batchNames(rolloutBatches(nodes, new Set(), 1)), []);
    });

    it("names the batch before a node's own as what it waits for", () => {
        const batches = rolloutBatches(nodes, all, 2);
        const [leader, first, , third] = nodes;
        assert.ok(leader && first && third);
        assert.deepEqual(rolloutPredecessors(batches, first), []);
        assert.deepEqual(rolloutPredecessors(batches, third).map((node) => node.name), ["node-1", "node-2"]);
        assert.deepEqual(rolloutPredecessors(batches, leader).map((node) => node.name), ["node-3", "node-4"]);
    });
});

describe("planRollout on a first deployment", () => {
    const firstDeployment = { nodes: nodes.slice(0, 3), deployedNodes: [], deployedModels: {}, maxUnavailable: 1, modelChange: "rolling" as const };

    it("has every follower wait for the leader when the leader brings a model", () => {
        const plan = planRollout({ ...firstDeployment, models: { app: "a".repeat(64) } });
        assert.deepEqual(plan.waitsFor, { "node-0": [], "node-1": ["node-0"], "node-2": ["node-0"] });
        assert.deepEqual(plan.sequence, ["node-0", "node-1", "node-2"]);
    });

    it("lets every node prepare at once when no model is deployed", () => {
        const plan = planRollout({ ...firstDeployment, models: {} });
        assert.deepEqual(plan.waitsFor, { "node-0": [], "node-1": [], "node-2": [] });
    });

    it("has a new node wait for the leader while the leader brings a new model, and not once the model runs", () => {
        const deployed = { ...firstDeployment, deployedNodes: ["node-0", "node-1"], models: { app: "b".repeat(64) } };
        assert.deepEqual(planRollout({ ...deployed, deployedModels: { app: "a".repeat(64) } }).waitsFor["node-2"], ["node-0"]);
        assert.deepEqual(planRollout({ ...deployed, deployedModels: { app: "b".repeat(64) } }).waitsFor["node-2"], []);
    });
});
