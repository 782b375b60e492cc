import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { describeNodes, leaderOf } from "../../tools/clusterNodes";
import { clusterResources, settingsBlob, vm } from "./fixtures";

describe("describeNodes", () => {
    it("joins each node's settings blobs to its VM by computer name, in node order", () => {
        const resources = [...clusterResources(3)].reverse();
        const nodes = describeNodes(resources);
        assert.deepEqual(nodes.map((node) => [node.name, node.leader, node.zone, node.vmSize]), [
            ["node-0", true, "1", "Standard_D4s_v5"],
            ["node-1", false, "2", "Standard_D4s_v5"],
            ["node-2", false, "3", "Standard_D4s_v5"],
        ]);
        assert.equal(nodes[1]?.vmUrn, vm(1, "2").urn);
    });

    it("lists a node's apps by name and orders node-10 after node-9", () => {
        const resources = [
            settingsBlob({ name: "node-10", index: 10, leader: false }, "hr"),
            settingsBlob({ name: "node-9", index: 9, leader: false }, "hr"),
            settingsBlob({ name: "node-9", index: 9, leader: false }, "crm"),
        ];
        const nodes = describeNodes(resources);
        assert.deepEqual(nodes.map((node) => node.name), ["node-9", "node-10"]);
        assert.deepEqual(nodes[0]?.apps.map((app) => app.app), ["crm", "hr"]);
        assert.equal(nodes[0]?.vmUrn, undefined, "no VM registered");
    });
});

describe("leaderOf", () => {
    const nodes = describeNodes(clusterResources(2));

    it("takes the stack's leader output", () => {
        assert.equal(leaderOf({ leader: "node-1" }, nodes), "node-1");
    });

    it("falls back on the node whose settings say it leads, and finds none without nodes", () => {
        assert.equal(leaderOf({}, nodes), "node-0");
        assert.equal(leaderOf({ leader: "" }, []), undefined);
    });
});
