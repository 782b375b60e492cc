import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planStandIns } from "../../tools/planStandIns";

const values = { deployerCidrs: ["198.51.100.7"], installers: { urlRewrite: { sha256: "1".repeat(64) } } };
const known = { deployerCidrs: true, installers: true };

describe("planStandIns", () => {
    it("stands in for both keys when the stack file sets neither, and says so", () => {
        const standIns = planStandIns("Pulumi.dev.yaml", { "mendix-cluster:nodeCount": 2 }, known, values);
        assert.deepEqual(standIns.config, values);
        assert.deepEqual(standIns.notes, [
            "Pulumi.dev.yaml sets no deployerCidrs, the public address `pulumi up` runs from (docs/first-deployment.md, step 7): `pulumi up` refuses the stack file " +
                "without it; this local plan uses 198.51.100.7 in its place (a plan with --strict, as the pull-request workflow runs it, refuses it too).",
            "Pulumi.dev.yaml sets no installers and no image, so no Service Console to install (docs/first-deployment.md, step 7): `pulumi up` refuses the stack file " +
                "without it; this local plan uses a placeholder Service Console URL and hash in its place (a plan with --strict, as the pull-request workflow runs it, refuses it too).",
        ]);
        assert.deepEqual(standIns.withheld, []);
    });

    it("puts in nothing when strict, naming the keys it withheld for the program to refuse", () => {
        const strict = planStandIns("Pulumi.dev.yaml", { "mendix-cluster:nodeCount": 2 }, known, values, true);
        assert.deepEqual(strict, { config: { deployerCidrs: undefined, installers: undefined }, notes: [], withheld: ["deployerCidrs", "installers"] });
        const set = planStandIns("Pulumi.dev.yaml", { "mendix-cluster:deployerCidrs": ["203.0.113.7"], "mendix-cluster:image": { id: "x" } }, known, values, true);
        assert.deepEqual(set, { config: { deployerCidrs: ["203.0.113.7"], installers: undefined }, notes: [], withheld: [] });
    });

    it("uses what the file sets as written, even a value the program refuses or a partial one", () => {
        const file = { "mendix-cluster:deployerCidrs": ["0.0.0.0/0"], "mendix-cluster:installers": { urlRewrite: { sha256: "not-a-hash" } } };
        const standIns = planStandIns("Pulumi.prod.yaml", file, known, values);
        assert.deepEqual(standIns.config, { deployerCidrs: ["0.0.0.0/0"], installers: { urlRewrite: { sha256: "not-a-hash" } } });
        assert.deepEqual(standIns.notes, []);
        assert.deepEqual(standIns.withheld, []);
    });

    it("puts in no installers next to an image, and nothing a revision's program does not know", () => {
        assert.deepEqual(planStandIns("Pulumi.dev.yaml", { "mendix-cluster:image": { id: "x" } }, known, values).config,
            { deployerCidrs: ["198.51.100.7"], installers: undefined });
        assert.deepEqual(planStandIns("Pulumi.dev.yaml", { "mendix-cluster:deployerCidrs": ["203.0.113.7"] }, { deployerCidrs: false, installers: false }, values),
            { config: { deployerCidrs: undefined, installers: undefined }, notes: [], withheld: [] });
    });
});
