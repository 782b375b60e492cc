import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { securityRules } from "../../policy/rules";
import { filesRestoreModule, filesRestoreTypeName } from "../../components/blobRestore/provider";
import { catalog } from "../../components/catalog";
import { repositoryRoot } from "../../offline/stackConfig";

/** The class `@pulumi/azure-native` v3 (or `@pulumi/random`, or the program's dynamic provider) registers `type` with, or undefined. */
function sdkClassOf(type: string): { __pulumiType?: string } | undefined {
    if (type === `pulumi-nodejs:dynamic/${filesRestoreModule}:${filesRestoreTypeName}`) {
        // A dynamic resource's type is `pulumi-nodejs:dynamic/<module>:<type>`, as @pulumi/pulumi's dynamic.Resource builds it.
        return { __pulumiType: type };
    }
    const [provider, module, resource] = type.split(":");
    if (resource === undefined) {
        return undefined;
    }
    if (provider === "random") {
        // random's tokens are `random:index/<module>:<Class>`; the package exports every class at its root.
        return (require("@pulumi/random") as Record<string, { __pulumiType?: string } | undefined>)[resource];
    }
    // The SDK's modules are loaded by name here, as the type names them.
    const loaded = require(`@pulumi/azure-native/${module}`) as Record<string, { __pulumiType?: string } | undefined>;
    return loaded[resource];
}

const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(repositoryRoot, file), "utf8")) as {
    version?: string; dependencies?: Record<string, string>; devDependencies?: Record<string, string>;
};

describe("the resource types of the catalogue (components/catalog.ts), which the policy pack reads", () => {
    it("are the tokens azure-native v3, random and the program's dynamic provider register their resources with", () => {
        const tokens = Object.values(catalog).map((entry) => entry.token);
        assert.ok(tokens.length > 40, "the catalogue's rows");
        for (const type of tokens) {
            assert.equal(sdkClassOf(type)?.__pulumiType, type, type);
        }
    });

    it("hold every type a rule names", () => {
        const known = new Set<string>(Object.values(catalog).map((entry) => entry.token));
        const named = securityRules.flatMap((rule) => (rule.resourceTypes === "every" ? [] : rule.resourceTypes));
        assert.ok(named.length > 20, "the types the rules name");
        assert.deepEqual(named.filter((type) => !known.has(type)), []);
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
