import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RegisteredResource, runStack, StackRun } from "../../offline/evaluate";

const extensionType = "azure-native:compute:VirtualMachineExtension";

/** For each node, the nodes whose agent extension its own extension waits for. */
function waitsFor(run: StackRun): Record<string, string[]> {
    const extensions = run.resources.filter((resource) => (resource.type === extensionType && resource.inputs["type"] === "CustomScriptExtension"));
    const nodeOf = (resource: RegisteredResource) => /-(node-\d+)-agent$/.exec(resource.name)?.[1] ?? "?";
    const byUrn = new Map(extensions.map((extension) => [extension.urn, nodeOf(extension)]));
    return Object.fromEntries(extensions.map((extension) => [
        nodeOf(extension),
        extension.dependencies.flatMap((urn) => byUrn.get(urn) ?? []).sort(),
    ]));
}

const deployedNodes = (count: number) => ({ nodes: Array.from({ length: count }, (_, index) => ({ name: `node-${index}` })) });

describe("the rolling rollout of the node agent", () => {
    it("runs the agents of a deployed cluster one node at a time, followers first, the leader last", async () => {
        const run = await runStack({ stack: "prod", config: { nodeCount: 4 }, lastOutputs: deployedNodes(4) });
        assert.deepEqual(waitsFor(run), { "node-0": ["node-3"], "node-1": [], "node-2": ["node-1"], "node-3": ["node-2"] });
    });

    it("runs rollout.maxUnavailable nodes at a time", async () => {
        const run = await runStack({ stack: "prod", config: { nodeCount: 5, rollout: { maxUnavailable: 2 } }, lastOutputs: deployedNodes(5) });
        assert.deepEqual(waitsFor(run), {
            "node-0": ["node-3", "node-4"], "node-1": [], "node-2": [], "node-3": ["node-1", "node-2"], "node-4": ["node-1", "node-2"],
        });
    });

    it("holds up no node of a first deployment", async () => {
        const run = await runStack({ stack: "prod", config: { nodeCount: 4 } });
        assert.deepEqual(waitsFor(run), { "node-0": [], "node-1": [], "node-2": [], "node-3": [] });
    });

    it("holds up no new node, and no deployed node waits for a new one", async () => {
        const run = await runStack({ stack: "prod", config: { nodeCount: 5 }, lastOutputs: deployedNodes(3) });
        assert.deepEqual(waitsFor(run), { "node-0": ["node-2"], "node-1": [], "node-2": ["node-1"], "node-3": [], "node-4": [] });
    });
});
