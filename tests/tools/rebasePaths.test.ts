import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { rebasePaths } from "../../tools/rebasePaths";

describe("rebasePaths", () => {
    it("rewrites a directory in every string of a value, and leaves other values alone", () => {
        const value = { source: { path: "/tmp/x/tree/agent/publish/net48/a.exe" }, list: ["/tmp/x/tree", 3, null, true], other: "westeurope" };
        assert.deepEqual(rebasePaths(value, "/tmp/x/tree", "/repo"), {
            source: { path: "/repo/agent/publish/net48/a.exe" }, list: ["/repo", 3, null, true], other: "westeurope",
        });
    });

    it("does nothing for an empty prefix", () => {
        assert.deepEqual(rebasePaths({ a: "abc" }, "", "/repo"), { a: "abc" });
    });
});
