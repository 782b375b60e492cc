import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { dependencyClosure } from "../../tools/dependencyGraph";
import { RegisteredResource, runStack, StackRun } from "../harness/offThread";

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


    it("holds up no node of a first deployment", async () => {
        const run = await runStack({ stack: "prod", config: { nodeCount: 4 } });
        assert.deepEqual(waitsFor(run), { "node-0": [], "node-1": [], "node-2": [], "node-3": [] });
    });

    it("holds up no new node, and no deployed node waits for a new one", async () => {
        const run = await runStack({ stack: "prod", config: { nodeCount: 5 }, lastOutputs: deployedNodes(3) });
        assert.deepEqual(waitsFor(run), { "node-0": ["node-2"], "node-1": [], "node-2": ["node-1"], "node-3": [], "node-4": [] });
    });
});

/** The batches the waits make: first the nodes that wait for no one, then those that wait for exactly the batch before. */
function batchesOf(waits: Readonly<Record<string, readonly string[]>>): string[][] {
    const batches: string[][] = [];
    let previous: string[] = [];
    for (let remaining = Object.keys(waits); remaining.length > 0;) {
        const batch = remaining.filter((node) => JSON.stringify(waits[node]) === JSON.stringify(previous)).sort();
        if (batch.length === 0) {
            throw new Error(`no node waits for exactly ${JSON.stringify(previous)}: ${JSON.stringify(waits)}`);
        }
        batches.push(batch);
        remaining = remaining.filter((node) => !batch.includes(node));
        previous = batch;
    }
    return batches;
}

describe("a settings edit on five deployed nodes, rollout.maxUnavailable 2", () => {
    let run: StackRun;
    before(async () => {
        run = await runStack({ stack: "prod", config: { nodeCount: 5, rollout: { maxUnavailable: 2 } }, lastOutputs: deployedNodes(5) });
    });

    it("runs the followers two at a time, then the leader alone", () => {
        assert.deepEqual(batchesOf(waitsFor(run)), [["node-1", "node-2"], ["node-3", "node-4"], ["node-0"]]);
    });

    it("makes every agent run of a batch wait for every run of the batch before", () => {
        assert.deepEqual(waitsFor(run), {
            "node-0": ["node-3", "node-4"], "node-1": [], "node-2": [], "node-3": ["node-1", "node-2"], "node-4": ["node-1", "node-2"],
        });
    });

    it("starts the leader's run only after every follower's", () => {
        const extensions = run.resources.filter((resource) => resource.type === extensionType);
        const leader = extensions.find((extension) => extension.name.endsWith("-node-0-agent"));
        assert.ok(leader !== undefined);
        const waitedFor = dependencyClosure(run.resources, leader.urn);
        assert.deepEqual(extensions.filter((extension) => waitedFor.has(extension.urn)).map((extension) => extension.name).sort(), [
            "mendix-agent-node-1-agent", "mendix-agent-node-2-agent", "mendix-agent-node-3-agent", "mendix-agent-node-4-agent",
        ]);
    });
});
