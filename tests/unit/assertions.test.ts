import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { assertExcludes, distinct, escapeRegExp } from "../harness/assertions";

describe("the test assertions", () => {
    it("find a secret whose characters a pattern would read as operators", () => {
        // As a pattern, "Pw+(77)$" never matches its own text, so a pattern-based check would miss the leak.
        assert.doesNotMatch("password=Pw+(77)$", new RegExp("Pw+(77)$"));
        assert.throws(() => assertExcludes("password=Pw+(77)$", "Pw+(77)$", "the log"), /the log: found "Pw\+\(77\)\$"/);
        assert.throws(() => assertExcludes("C:\\Temp\\models-1a\\app.mda", "C:\\Temp\\models-1a"));
        assertExcludes("password=[secret]", "Pw+(77)$");
    });

    it("refuse to prove the absence of nothing", () => {
        assert.throws(() => assertExcludes("anything", ""), /empty/);
    });

    it("escape every pattern operator", () => {
        const text = "a.b*c+d?e^f$g{h}i(j)k|l[m]n\\o/p";
        assert.match(`x${text}y`, new RegExp(`x${escapeRegExp(text)}y`));
        assert.doesNotMatch("aXb", new RegExp(escapeRegExp("a.b")));
    });

    it("list each value once, and no value for an empty list", () => {
        assert.deepEqual(distinct([true, true]), [true]);
        assert.deepEqual(distinct([true, false, true]), [true, false]);
        assert.deepEqual(distinct([]), []);
    });
});
