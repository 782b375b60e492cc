import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { repositoryRoot } from "../../offline/stackConfig";

/** Node's own handler of an extension, as a process started without any loader has it. */
function plainHandler(extension: string): string {
    return execFileSync(process.execPath, ["-p", `String(require("node:module")._extensions[${JSON.stringify(extension)}])`], { encoding: "utf8" }).trim();
}

describe("tools/loadTypeScript.cjs, which the test command and npm run plan start node with", () => {
    const extensions = require("node:module")._extensions as Record<string, ((...args: unknown[]) => unknown) | undefined>;

    it("is what both scripts start node with", () => {
        const scripts = (JSON.parse(fs.readFileSync(path.join(repositoryRoot, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
        for (const name of ["test:stack", "plan"]) {
            assert.match(scripts[name] ?? "", /^node (--\S+ )*--require \.\/tools\/loadTypeScript\.cjs /, name);
        }
    });

    it("leaves .js files to Node's own loader", () => {
        assert.equal(String(extensions[".js"]), plainHandler(".js"));
    });

    it("loads .ts files through tsx, which Node alone does not", () => {
        assert.equal(plainHandler(".ts"), "undefined");
        assert.notEqual(extensions[".ts"], undefined);
    });
});
