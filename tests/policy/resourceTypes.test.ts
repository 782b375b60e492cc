import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { securityRules } from "../../policy/rules";
import { azureTypes } from "../../policy/rules/resourceTypes";
import { repositoryRoot } from "../../offline/stackConfig";

/** The class `@pulumi/azure-native` v3 registers `type` with, or undefined. */
function sdkClassOf(type: string): { __pulumiType?: string } | undefined {
    const [, module, resource] = type.split(":");
    // The SDK's modules are loaded by name here, as the type names them.
    const loaded = require(`@pulumi/azure-native/${module}`) as Record<string, { __pulumiType?: string } | undefined>;
    return resource === undefined ? undefined : loaded[resource];
}

const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(repositoryRoot, file), "utf8")) as {
    version?: string; dependencies?: Record<string, string>; devDependencies?: Record<string, string>;
};

describe("the policy pack's resource types", () => {
    it("are the tokens azure-native v3 registers its resources with", () => {
        for (const type of Object.values(azureTypes)) {
            assert.equal(sdkClassOf(type)?.__pulumiType, type, type);
        }
    });

    it("are the only types the rules name", () => {
        const known = new Set<string>(Object.values(azureTypes));
        for (const rule of securityRules) {
            for (const type of rule.resourceTypes === "every" ? [] : rule.resourceTypes) {
                assert.ok(known.has(type), `${rule.name} names ${type}`);
            }
        }
    });
});

describe("the policy pack's project files", () => {
    it("are a Node.js policy pack named as in index.ts, versioned as @pulumi/policy requires", () => {
        const project = parse(fs.readFileSync(path.join(repositoryRoot, "policy", "PulumiPolicy.yaml"), "utf8")) as Record<string, unknown>;
        assert.equal(project["runtime"], "nodejs");
        assert.equal(project["name"], "mendix-cluster-security");
        assert.match(fs.readFileSync(path.join(repositoryRoot, "policy", "index.ts"), "utf8"), /new PolicyPack\("mendix-cluster-security"/);
        assert.ok(readJson("policy/package.json").version);
    });

    it("pin the versions the repository root tests it with", () => {
        const root = readJson("package.json");
        const pack = readJson("policy/package.json");
        const rootVersions = { ...root.dependencies, ...root.devDependencies };
        for (const [name, version] of Object.entries({ ...pack.dependencies, ...pack.devDependencies })) {
            assert.equal(version, rootVersions[name], name);
        }
        assert.equal(pack.dependencies?.["@pulumi/policy"], "1.21.0");
    });
});
