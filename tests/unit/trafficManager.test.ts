import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { detectionSeconds, entryEndpoints, entryMoveSeconds, trafficManagerMonitor, trafficManagerTtlSeconds } from "../../components/plan/trafficManager";
import { planRegions } from "../../components/plan/regions";

describe("the public entry's Traffic Manager settings", () => {
    it("detect a lost region within 35 s and move every client within 65 s", () => {
        assert.equal(detectionSeconds(trafficManagerMonitor), 35);
        assert.equal(entryMoveSeconds(trafficManagerMonitor, trafficManagerTtlSeconds), 65);
    });

    it("reproduce Microsoft's own timeline: 30 s probes, 3 tolerated failures, 10 s timeout degrade an endpoint within 130 s", () => {
        // articles/traffic-manager/traffic-manager-monitoring.md, "Endpoint failover and recovery": four failures, 30 s apart, each waiting 10 s.
        assert.equal(detectionSeconds({ intervalInSeconds: 30, toleratedNumberOfFailures: 3, timeoutInSeconds: 10 }), 130);
    });

    it("stay within what Traffic Manager takes: fast probing's 10 s interval, a 5-9 s timeout, 0-9 tolerated failures", () => {
        assert.equal(trafficManagerMonitor.intervalInSeconds, 10);
        assert.ok(trafficManagerMonitor.timeoutInSeconds >= 5 && trafficManagerMonitor.timeoutInSeconds <= 9);
        assert.ok(trafficManagerMonitor.toleratedNumberOfFailures >= 0 && trafficManagerMonitor.toleratedNumberOfFailures <= 9);
    });

    it("put the stack's region first, and disable it once the standby is active", () => {
        assert.deepEqual(entryEndpoints(false).map((endpoint) => [endpoint.name, endpoint.priority, endpoint.status]), [["primary", 1, "Enabled"], ["standby", 2, "Enabled"]]);
        assert.deepEqual(entryEndpoints(true).map((endpoint) => endpoint.status), ["Disabled", "Enabled"]);
    });
});

describe("planRegions", () => {
    it("freezes the stack's region only once the standby is active", () => {
        assert.deepEqual(planRegions("westeurope", undefined), { primaryLocation: "westeurope", standby: undefined, serving: "primary", frozen: undefined });
        const standby = { location: "northeurope", nodeCount: 2, active: false };
        assert.equal(planRegions("westeurope", standby).frozen, undefined);
        assert.deepEqual(planRegions("westeurope", { ...standby, active: true }), { primaryLocation: "westeurope", standby: { ...standby, active: true }, serving: "standby", frozen: "primary" });
    });
});
