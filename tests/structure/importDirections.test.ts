import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { describe, it } from "node:test";
import { programEntry, programFolder, secretSettingRule } from "../../offline/programSource";
import { repositoryRoot } from "../../offline/stackConfig";
import { importedFiles } from "../harness/sourceImports";

/** Every TypeScript file under `folder` (relative to the repository), recursively. */
function sourceFiles(folder: string): string[] {
    const root = path.join(repositoryRoot, folder);
    return fs.readdirSync(root, { withFileTypes: true, recursive: true })
        .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
        .map((entry) => path.relative(repositoryRoot, path.join(entry.parentPath, entry.name)));
}

function violations(folder: string, forbidden: readonly string[]): string[] {
    return sourceFiles(folder).flatMap((file) => importedFiles(file)
        .filter((target) => forbidden.some((root) => target === root || target.startsWith(`${root}/`)))
        .map((target) => `${file} imports ${target}`));
}

describe("import directions", () => {
    it("finds every kind of import in a file's text", () => {
        const text = [
            'import { a } from "../plan/names";',
            'export { b } from "./reader";',
            'const c = require("../../tests/harness/azureIds");',
            'import "../offline/standIns";',
            'const d = await import("../tools/plan");',
            'import * as pulumi from "@pulumi/pulumi";',
        ].join("\n");
        assert.deepEqual(importedFiles("components/config/x.ts", text), [
            "components/plan/names", "components/config/reader", "tests/harness/azureIds", "components/offline/standIns", "components/tools/plan",
        ]);
    });

    it("config/ imports nothing from plan/, the components or anything else of the program", () => {
        const config = sourceFiles("components/config");
        assert.ok(config.length > 5);
        const outside = config.flatMap((file) => importedFiles(file)
            .filter((target) => !target.startsWith("components/config/") && target !== "components/inputError" && target !== secretSettingRule)
            .map((target) => `${file} imports ${target}`));
        assert.deepEqual(outside, []);
    });

    it("plan/ imports only config/ and plan/: no component, no Pulumi resource", () => {
        const outside = sourceFiles("components/plan").flatMap((file) => importedFiles(file)
            .filter((target) => !target.startsWith("components/plan/") && !target.startsWith("components/config/"))
            .map((target) => `${file} imports ${target}`));
        assert.deepEqual(outside, []);
        const pulumi = sourceFiles("components/plan").filter((file) => /from "@pulumi\//.test(fs.readFileSync(path.join(repositoryRoot, file), "utf8")));
        assert.deepEqual(pulumi, []);
    });

    it("the program, the offline evaluation and the plan tool import nothing from tests/", () => {
        assert.deepEqual([...violations("components", ["tests"]), ...violations("offline", ["tests", "tools"]), ...violations("tools", ["tests"]), ...violations("policy", ["tests"])], []);
        assert.deepEqual(importedFiles("index.ts").filter((target) => target.startsWith("tests")), []);
    });

    it("the program imports nothing from the offline evaluation or the plan tool", () => {
        assert.deepEqual(violations("components", ["offline", "tools"]), []);
    });

    it("the program is made of its folder and the secret-setting rule: nothing under it imports another repository file outside it", () => {
        const files = sourceFiles(programFolder);
        assert.ok(files.includes(programEntry), `${programEntry} is under ${programFolder}/`);
        const outside = files.flatMap((file) => importedFiles(file)
            .filter((target) => !target.startsWith(`${programFolder}/`) && target !== secretSettingRule)
            .map((target) => `${file} imports ${target}`));
        assert.deepEqual(outside, []);
    });

    it("the catalogue imports nothing, so the policy pack loads nothing of the program with it", () => {
        assert.doesNotMatch(fs.readFileSync(path.join(repositoryRoot, "components", "catalog.ts"), "utf8"), /^\s*import\s/m);
    });
});
