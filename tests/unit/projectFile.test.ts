import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { describe, it } from "node:test";
import { defaults, projectName } from "../../components/config/contract";
import { configKeys, optionalConfigKeys, secretConfigKeys } from "../../components/config/parseClusterConfig";
import { projectConfigDeclarations, repositoryRoot, stackFileConfig } from "../../offline/stackConfig";
import { parse } from "yaml";
import { guideSection } from "../harness/guides";

const declarations = projectConfigDeclarations();

/** The configuration reference: rows of `| key | type | default | description |`. */
function readmeConfigTable(): Map<string, { type: string; default: string }> {
    const section = guideSection("docs/configuration.md", "# Configuration reference");
    const rows = new Map<string, { type: string; default: string }>();
    for (const line of section.split("\n")) {
        const cells = line.split("|").map((cell) => cell.trim());
        const key = /^`([A-Za-z]+)`$/.exec(cells[1] ?? "")?.[1];
        if (key !== undefined) {
            rows.set(key, { type: cells[2] ?? "", default: (cells[3] ?? "").replace(/^`|`$/g, "") });
        }
    }
    return rows;
}

describe("Pulumi.yaml", () => {
    it("is the mendix-cluster project on the Node.js runtime with TypeScript", () => {
        const project = parse(fs.readFileSync(path.join(repositoryRoot, "Pulumi.yaml"), "utf8"));
        assert.equal(project.name, projectName);
        assert.equal(project.runtime.name, "nodejs");
        assert.equal(project.runtime.options.typescript, true);
    });

    it("declares every config key but the secret and optional ones, each with a description and the program's default", () => {
        assert.deepEqual(Object.keys(declarations).sort(), configKeys.filter((key) => !secretConfigKeys.includes(key) && !optionalConfigKeys.includes(key)).sort());
        for (const [key, declaration] of Object.entries(declarations)) {
            assert.ok(declaration.description, `${key} has a description`);
            assert.deepEqual(declaration.default, (defaults as Record<string, unknown>)[key], `${key}'s default`);
        }
    });

    it("types every key Pulumi's project schema can type, and no other", () => {
        for (const [key, declaration] of Object.entries(declarations)) {
            const mapping = ["sql", "apps", "rollout", "secrets", "rotation", "alerts"].includes(key);
            assert.equal(declaration.type === undefined, mapping, `${key} ${mapping ? "has no" : "has a"} type`);
        }
    });

    for (const stack of ["dev", "prod"]) {
        it(`has a ${stack} stack file whose keys are all known`, () => {
            const keys = Object.keys(stackFileConfig(stack));
            assert.ok(keys.includes("azure-native:location"));
            for (const key of keys.filter((candidate) => candidate.startsWith(`${projectName}:`))) {
                assert.ok((configKeys as readonly string[]).includes(key.slice(projectName.length + 1)), key);
            }
        });
    }
});

describe("the configuration reference (docs/configuration.md)", () => {
    it("lists every config key with Pulumi.yaml's type and default", () => {
        const table = readmeConfigTable();
        assert.deepEqual([...table.keys()].sort(), [...configKeys].sort());
        for (const [key, declaration] of Object.entries(declarations)) {
            const row = table.get(key);
            assert.ok(row, key);
            assert.equal(row.type, declaration.type === "array" ? "list of string" : declaration.type ?? "mapping", `${key}'s type`);
            assert.deepEqual(parse(row.default), declaration.default, `${key}'s default`);
        }
    });
});
