import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Zone } from "../../components/config/contract";
import { clusterNames } from "../../components/plan/names";
import { planNodes } from "../../components/plan/nodes";

const names = clusterNames("prod");

describe("planNodes", () => {
    for (const count of [1, 2, 3, 5, 50]) {
        it(`makes node 0 the one leader of ${count} node(s)`, () => {
            const nodes = planNodes(count, ["1", "2", "3"], names);
            assert.equal(nodes.length, count);
            assert.deepEqual(nodes.filter((node) => node.leader).map((node) => node.name), ["node-0"]);
        });
    }

    it("puts node i in zones[i % zones.length]", () => {
        const zones: Zone[] = ["1", "2", "3"];
        assert.deepEqual(planNodes(5, zones, names).map((node) => node.zone), ["1", "2", "3", "1", "2"]);
        assert.deepEqual(planNodes(3, ["2", "3"], names).map((node) => node.zone), ["2", "3", "2"]);
        assert.deepEqual(planNodes(2, [], names).map((node) => node.zone), [undefined, undefined]);
    });

    it("never changes an existing node when nodes are added or removed", () => {
        const three = planNodes(3, ["1", "2", "3"], names);
        const four = planNodes(4, ["1", "2", "3"], names);
        assert.deepEqual(four.slice(0, 3), three);
        assert.deepEqual(planNodes(2, ["1", "2", "3"], names), three.slice(0, 2));
    });

    it("gives every node a distinct name and computer name", () => {
        const nodes = planNodes(50, ["1", "2", "3"], names);
        assert.equal(new Set(nodes.map((node) => node.name)).size, 50);
        assert.equal(new Set(nodes.map((node) => node.computerName)).size, 50);
    });
});
