import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildPlanTree, PlanTreeNode } from "../../tools/planTree";
import { resource, urnOf } from "./fixtures";

function names(trees: readonly PlanTreeNode[]): unknown[] {
    return trees.map((tree) => (tree.children.length === 0 ? tree.resource.name : { [tree.resource.name]: names(tree.children) }));
}

describe("buildPlanTree", () => {
    it("nests resources under their parents, components first, then by type and name in natural order", () => {
        const cluster = resource("mendix:cluster:MendixCluster", "mendix");
        const nodes = resource("mendix:cluster:Nodes", "mendix-nodes", {}, { parentUrn: cluster.urn });
        const child = (type: string, name: string, parent = nodes) => resource(type, name, {}, { parentUrn: parent.urn });
        const tree = buildPlanTree([
            child("azure-native:compute:VirtualMachine", "node-10-vm"),
            child("azure-native:compute:VirtualMachine", "node-9-vm"),
            child("azure-native:compute:Disk", "node-0-data"),
            child("azure-native:resources:ResourceGroup", "mendix-rg", cluster),
            nodes,
            cluster,
        ]);
        assert.deepEqual(names(tree), [{ mendix: [{ "mendix-nodes": ["node-0-data", "node-9-vm", "node-10-vm"] }, "mendix-rg"] }]);
    });

    it("makes a resource whose parent is not among them a root", () => {
        const orphan = resource("azure-native:compute:Disk", "node-3-data", {}, { parentUrn: urnOf("mendix:cluster:Nodes", "elsewhere") });
        const other = resource("azure-native:compute:Disk", "node-4-data");
        assert.deepEqual(names(buildPlanTree([other, orphan])), ["node-3-data", "node-4-data"]);
    });
});
