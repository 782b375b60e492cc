import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Zone } from "../../components/config/contract";
import { clusterNames } from "../../components/plan/names";
import { planNodes } from "../../components/plan/nodes";
import { planNodeSubnets, subnetOfNode } from "../../components/plan/nodeSubnets";

const names = clusterNames("prod");
const subnetsOf = (nodeCount: number, zones: readonly Zone[]) => {
    const subnets = planNodeSubnets(zones);
    return Object.fromEntries(planNodes(nodeCount, zones, names).map((node) => [node.name, subnetOfNode(node, subnets).name]));
};

describe("the node subnets", () => {
    it("are one per zone, the first zone's keeping the single subnet's name and prefix", () => {
        assert.deepEqual(planNodeSubnets(["1", "2", "3"]), [
            { zone: "1", name: "nodes", addressPrefix: "10.42.1.0/24", key: "zone-1" },
            { zone: "2", name: "nodes-zone-2", addressPrefix: "10.42.2.0/24", key: "zone-2" },
            { zone: "3", name: "nodes-zone-3", addressPrefix: "10.42.3.0/24", key: "zone-3" },
        ]);
        assert.deepEqual(planNodeSubnets([]), [{ zone: undefined, name: "nodes", addressPrefix: "10.42.1.0/24", key: "regional" }]);
    });

    it("put each node in its zone's subnet", () => {
        assert.deepEqual(subnetsOf(4, ["1", "2", "3"]), { "node-0": "nodes", "node-1": "nodes-zone-2", "node-2": "nodes-zone-3", "node-3": "nodes" });
        assert.deepEqual(subnetsOf(2, []), { "node-0": "nodes", "node-1": "nodes" });
    });

    it("never move a node when the node count changes", () => {
        for (const zones of [["1", "2", "3"], ["2", "3"], []] as Zone[][]) {
            const many = subnetsOf(12, zones);
            for (let count = 1; count <= 12; count += 1) {
                for (const [node, subnet] of Object.entries(subnetsOf(count, zones))) {
                    assert.equal(subnet, many[node], `${node} of ${count} over [${zones.join(",")}]`);
                }
            }
        }
    });

    it("refuse a node in a zone that has no subnet", () => {
        assert.throws(() => subnetOfNode({ name: "node-5", zone: "3" }, planNodeSubnets(["1", "2"])), /no node subnet for node-5 in zone 3/);
    });
});
