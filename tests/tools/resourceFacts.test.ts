import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { describeNodes } from "../../tools/clusterNodes";
import { resourceFacts } from "../../tools/resourceFacts";
import { clusterResources, resource } from "./fixtures";

describe("resourceFacts", () => {
    const resources = clusterResources(2);
    const nodes = describeNodes(resources);

    it("names a VM's node, role, apps, zone and size", () => {
        assert.deepEqual(resourceFacts(resources[0]!, nodes), ["node-0 leader", "apps app", "zone 1", "size Standard_D4s_v5"]);
        assert.deepEqual(resourceFacts(resources[2]!, nodes), ["node-1 follower", "apps app", "zone 2", "size Standard_D4s_v5"]);
    });

    it("says whose settings a settings blob holds", () => {
        assert.deepEqual(resourceFacts(resources[3]!, nodes), ["settings of node-1 (follower) for app app"]);
    });

    it("gives a database's sku, tier, capacity and size, and what keeps it", () => {
        const database = resource("azure-native:sql:Database", "mendix-sql-app", {
            sku: { name: "BC_Gen5", tier: "BusinessCritical", capacity: 4, family: "Gen5" },
            maxSizeBytes: 512 * 2 ** 30,
            zoneRedundant: true,
        }, { protect: true, retainOnDelete: true });
        assert.deepEqual(resourceFacts(database, nodes), [
            "sku BC_Gen5 (BusinessCritical, capacity 4)", "max 512 GB", "zone-redundant", "protected", "retained on delete",
        ]);
    });

    it("gives zones, a disk's size, and nothing for a resource without telling inputs", () => {
        assert.deepEqual(resourceFacts(resource("azure-native:compute:Disk", "d", { zones: ["2"], sku: { name: "Premium_LRS" }, diskSizeGB: 128 }), nodes), ["zone 2", "sku Premium_LRS", "128 GB"]);
        assert.deepEqual(resourceFacts(resource("azure-native:network:PublicIPAddress", "ip", { zones: ["1", "2", "3"], sku: { name: "Standard", tier: "Regional" } }), nodes), ["zones 1, 2, 3", "sku Standard"]);
        assert.deepEqual(resourceFacts(resource("azure-native:network:Subnet", "s", { addressPrefix: "10.0.0.0/24" }), nodes), []);
    });
});
