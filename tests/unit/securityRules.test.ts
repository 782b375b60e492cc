import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { inboundRules } from "../../components/plan/securityRules";

describe("inboundRules", () => {
    it("lets in HTTP and HTTPS and no RDP by default", () => {
        const rules = inboundRules([]);
        assert.deepEqual(rules.map((rule) => rule.destinationPortRange), ["80", "443"]);
    });

    it("lets in RDP from the listed blocks only", () => {
        const rdp = inboundRules(["203.0.113.0/24", "198.51.100.7"]).find((rule) => rule.destinationPortRange === "3389");
        assert.deepEqual(rdp?.sourceAddressPrefixes, ["203.0.113.0/24", "198.51.100.7"]);
        assert.equal(rdp?.sourceAddressPrefix, undefined);
    });

    it("gives every rule a distinct priority in Azure's range", () => {
        const priorities = inboundRules(["203.0.113.0/24"]).map((rule) => rule.priority);
        assert.equal(new Set(priorities).size, priorities.length);
        assert.ok(priorities.every((priority) => priority >= 100 && priority <= 4096));
    });
});
