import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { repositoryRoot } from "../../offline/stackConfig";
import { allTestFiles, filesOf, Group, groupOf, runsAlone } from "../groups/partition";
import { importedFiles } from "../harness/sourceImports";

const groups: readonly Group[] = ["stackEven", "stackOdd", "checks"];

/** The files the test command names, as the shell expands its patterns. */
function testCommandFiles(): string[] {
    const scripts = (JSON.parse(fs.readFileSync(path.join(repositoryRoot, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    const words = (scripts["test:stack"] ?? assert.fail("package.json has no test:stack script")).split(" ").filter((word) => word.endsWith(".test.ts"));
    return words.flatMap((word) => {
        const folder = path.dirname(word);
        const pattern = new RegExp(`^${path.basename(word).replace(/\./g, "\\.").replace(/\*/g, ".*")}$`);
        return fs.readdirSync(path.join(repositoryRoot, folder)).filter((file) => pattern.test(file)).sort().map((file) => `${folder}/${file}`);
    });
}

describe("the test command's processes", () => {
    it("deal the files that evaluate stacks alternately and keep the plan CLI's tests apart", () => {
        const stackFiles = ["tests/stack/a.test.ts", "tests/stack/b.test.ts", "tests/stack/c.test.ts"];
        assert.deepEqual(stackFiles.map((file) => groupOf(file, stackFiles)), ["stackEven", "stackOdd", "stackEven"]);
        assert.equal(groupOf("tests/unit/names.test.ts", stackFiles), "checks");
        assert.equal(groupOf("tests/tools/planCliEdits.test.ts", stackFiles), undefined);
        assert.equal(runsAlone("tests/tools/planVerdict.test.ts"), false);
        const evaluating = [...filesOf("stackEven", repositoryRoot), ...filesOf("stackOdd", repositoryRoot)];
        assert.ok(evaluating.includes("tests/tools/catalogCoverage.test.ts") && evaluating.includes("tests/stack/cluster.test.ts"), evaluating.join(", "));
        assert.ok(!evaluating.includes("tests/unit/names.test.ts"));
    });

    it("run every test file exactly once", () => {
        const grouped = groups.flatMap((group) => filesOf(group, repositoryRoot));
        const alone = allTestFiles(repositoryRoot).filter(runsAlone);
        assert.ok(alone.length >= 3, "the plan CLI's test files");
        assert.deepEqual([...grouped, ...alone].sort(), allTestFiles(repositoryRoot).sort());
        assert.deepEqual(testCommandFiles().sort(), [...alone, ...groups.map((group) => `tests/groups/${group}.test.ts`)].sort());
    });

    it("evaluate stacks on the worker thread only", () => {
        const harness = new Set(["tests/harness/evaluationWorker.ts"]);
        const direct = fs.readdirSync(path.join(repositoryRoot, "tests"), { withFileTypes: true, recursive: true })
            .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
            .map((entry) => path.relative(repositoryRoot, path.join(entry.parentPath, entry.name)))
            .filter((file) => !harness.has(file))
            .filter((file) => {
                const text = fs.readFileSync(path.join(repositoryRoot, file), "utf8");
                return importedFiles(file, text).includes("offline/evaluate") && !/^import type [^;]+ from "[./]+offline\/evaluate";$/m.test(text);
            });
        assert.deepEqual(direct, []);
    });
});
