import assert from "node:assert/strict";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { before, describe, it } from "node:test";
import { parse } from "yaml";
import { assertExcludes } from "../harness/assertions";
import { writeMda } from "../harness/mdaArchive";
import { byType, RegisteredResource, runStack, runStackExpectingFailure, StackRun } from "../harness/offThread";

const extensionType = "azure-native:compute:VirtualMachineExtension";
const runCommandType = "azure-native:compute:VirtualMachineRunCommandByVirtualMachine";
/** A follower's stop before a new model; the other Run Command creates the apps' database users. */
const isStop = (resource: RegisteredResource) => resource.type === runCommandType && /-stop-/.test(resource.name);
const stopsOf = (run: StackRun) => run.resources.filter(isStop);

/** A small MDA: the stack reads its Mendix version, uploads and hashes it; the node agent reads it. */
function writeModel(directory: string, name: string, runtimeVersion: string): { path: string; sha256: string } {
    const file = path.join(directory, name);
    writeMda(file, runtimeVersion);
    return { path: file, sha256: createHash("sha256").update(fs.readFileSync(file)).digest("hex") };
}

function settingsOf(run: StackRun, node: string, app = "app"): { app: Record<string, unknown>; prerequisites: Record<string, unknown>; site: Record<string, unknown> } {
    const blob = run.resources.find((resource) => resource.inputs["blobName"] === `nodes/${node}/${app}.yaml`);
    assert.ok(blob, `settings of ${node}/${app}`);
    return parse(String((blob.inputs["source"] as { text: string }).text));
}

function waitsFor(run: StackRun): Record<string, string[]> {
    const nodeOf = (resource: RegisteredResource) => /-(node-\d+)-(?:agent|stop-.*)$/.exec(resource.name)?.[1] ?? "?";
    const waited = run.resources.filter((resource) => (resource.type === extensionType && resource.inputs["type"] === "CustomScriptExtension") || isStop(resource));
    const byUrn = new Map(waited.map((resource) => [resource.urn, `${resource.type === runCommandType ? "stop " : ""}${nodeOf(resource)}`]));
    return Object.fromEntries(run.resources.filter((resource) => (resource.type === extensionType && resource.inputs["type"] === "CustomScriptExtension")).map((extension) => [
        nodeOf(extension), extension.dependencies.flatMap((urn) => byUrn.get(urn) ?? []).sort(),
    ]));
}

describe("app delivery", () => {
    let directory: string;
    let model: { path: string; sha256: string };
    let newModel: { path: string; sha256: string };
    before(() => {
        directory = fs.mkdtempSync(path.join(os.tmpdir(), "models-"));
        model = writeModel(directory, "app-1.mda", "10.12.4.41735");
        newModel = writeModel(directory, "app-2.mda", "10.18.1.50123");
    });
    const withModel = (file: string) => ({ apps: [{ name: "app", mda: file }] });
    const deployedWith = (sha256: string, nodes = 3) => ({
        nodes: Array.from({ length: nodes }, (_, index) => ({ name: `node-${index}` })),
        deployedModels: { app: sha256 },
    });

    it("uploads the MDA once and has every node download it and check its hash", async () => {
        const run = await runStack({ stack: "prod", config: withModel(model.path) });
        const file = `models/app/app-${model.sha256.slice(0, 12)}.mda`;
        const blobs = byType(run, "azure-native:storage:Blob").filter((blob) => String(blob.inputs["blobName"]).startsWith("models/"));
        assert.deepEqual(blobs.map((blob) => blob.inputs["blobName"]), [file]);
        for (const extension of byType(run, extensionType).filter((extension) => extension.inputs["type"] === "CustomScriptExtension")) {
            assert.ok((extension.inputs["settings"] as { fileUris: string[] }).fileUris.some((uri) => uri.endsWith(`/node-settings/${file}`)));
        }
        assert.deepEqual(settingsOf(run, "node-1").app["model"], { file, sha256: model.sha256 });
        const settingsTexts = byType(run, "azure-native:storage:Blob").filter((blob) => String(blob.inputs["blobName"]).startsWith("nodes/"))
            .map((blob) => String((blob.inputs["source"] as { text: string }).text));
        assertExcludes(settingsTexts.join("\n"), directory, "no local path reaches a node");
        assert.deepEqual(run.outputs["deployedModels"], { app: model.sha256 });
    });

    it("re-runs every node's agent for a new model", async () => {
        const tags = (run: StackRun) => byType(run, extensionType).filter((extension) => extension.inputs["type"] === "CustomScriptExtension").map((extension) => extension.inputs["forceUpdateTag"]);
        const before = tags(await runStack({ stack: "prod", config: withModel(model.path) }));
        const after = tags(await runStack({ stack: "prod", config: withModel(newModel.path) }));
        assert.ok(before.every((tag, index) => tag !== after[index]));
    });

    it("starts a new model on the leader first, then the followers one at a time (rolling)", async () => {
        const run = await runStack({ stack: "prod", config: withModel(newModel.path), lastOutputs: deployedWith(model.sha256) });
        assert.deepEqual(waitsFor(run), { "node-0": [], "node-1": ["node-0"], "node-2": ["node-1"] });
        assert.deepEqual(stopsOf(run), []);
    });

    it("stops every follower before the leader starts a new model, then starts all followers (stopAll)", async () => {
        const config = { ...withModel(newModel.path), rollout: { maxUnavailable: 1, modelChange: "stopAll" } };
        const run = await runStack({ stack: "prod", config, lastOutputs: deployedWith(model.sha256) });
        assert.deepEqual(waitsFor(run), { "node-0": ["stop node-1", "stop node-2"], "node-1": ["node-0"], "node-2": ["node-0"] });
        const stops = stopsOf(run);
        assert.deepEqual(stops.map((stop) => stop.inputs["vmName"]).sort(), ["mx-prod-node-1", "mx-prod-node-2"]);
        for (const stop of stops) {
            assert.match(String((stop.inputs["source"] as { script: string }).script), /^Stop-MxAppSettled 'app'$/m);
            assert.equal(stop.inputs["runCommandName"], `mendix-stop-${newModel.sha256.slice(0, 8)}`);
        }
    });

    it("keeps the followers-first order, and stops nothing, when the model is the deployed one", async () => {
        const config = { ...withModel(model.path), rollout: { maxUnavailable: 1, modelChange: "stopAll" } };
        const run = await runStack({ stack: "prod", config, lastOutputs: deployedWith(model.sha256) });
        assert.deepEqual(waitsFor(run), { "node-0": ["node-2"], "node-1": [], "node-2": ["node-1"] });
        assert.deepEqual(stopsOf(run), []);
    });

    it("stops before registering anything when an MDA is missing", async () => {
        const failure = await runStackExpectingFailure({ stack: "prod", config: withModel(path.join(directory, "missing.mda")) });
        assert.match(failure.message, /apps\[app\]\.mda: got ".*missing\.mda"; allowed: the path of an existing MDA file/);
        assert.equal(failure.registered, 0);
    });

    it("stops before registering anything when a file named as an MDA is not one", async () => {
        const notAnArchive = path.join(directory, "notes.mda");
        fs.writeFileSync(notAnArchive, "not a zip");
        const failure = await runStackExpectingFailure({ stack: "prod", config: withModel(notAnArchive) });
        assert.match(failure.message, /apps\[app\]\.mda: got ".*notes\.mda", but it is not a zip archive \(no end of central directory record\); allowed: a Mendix deployment archive/);
        assert.equal(failure.registered, 0);
    });

    it("probes a path that IIS proxies to the runtime, on HTTP and HTTPS", async () => {
        const run = await runStack({ stack: "dev" });
        const [lb] = byType(run, "azure-native:network:LoadBalancer");
        const probes = lb?.inputs["probes"] as { port: number; requestPath: string; intervalInSeconds: number; probeThreshold: number }[];
        assert.deepEqual(probes.map((probe) => [probe.port, probe.requestPath]), [[80, "/mendix-health"], [443, "/mendix-health"]]);
        // Two failed probes 5 seconds apart take a node out of the pool (docs/first-deployment.md, "The health probe").
        assert.ok(probes.every((probe) => probe.intervalInSeconds === 5 && probe.probeThreshold === 2));
        assert.equal(settingsOf(run, "node-0").site["healthPath"], "/mendix-health");
        assert.equal(run.outputs["healthProbePath"], "/mendix-health");
    });

    it("tells each node what to install, and says plainly that the certificate is self-signed", async () => {
        const run = await runStack({ stack: "dev" });
        const prerequisites = settingsOf(run, "node-0").prerequisites as { mode: string; installers: Record<string, unknown> };
        assert.equal(prerequisites.mode, "install");
        assert.deepEqual(Object.keys(prerequisites.installers).sort(), ["applicationRequestRouting", "java", "serviceConsole", "urlRewrite"]);
        assert.deepEqual(settingsOf(run, "node-0").site["certificate"], { source: "selfSigned" });
        assert.match(String(run.outputs["httpsCertificate"]), /self-signed/);
    });

    it("builds the nodes from a prepared image and only checks the prerequisites there", async () => {
        const image = { publisher: "contoso", offer: "mendix-windows", sku: "2022", version: "1.0.0" };
        const run = await runStack({ stack: "dev", config: { installers: undefined, image } });
        for (const vm of byType(run, "azure-native:compute:VirtualMachine")) {
            assert.deepEqual((vm.inputs["storageProfile"] as { imageReference: unknown }).imageReference, image);
        }
        assert.equal((settingsOf(run, "node-1").prerequisites as { mode: string }).mode, "verify");
    });

    it("reads the HTTPS certificate from the user's Key Vault with each node's identity", async () => {
        const keyVaultId = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-certs/providers/Microsoft.KeyVault/vaults/corp-certs";
        const run = await runStack({ stack: "dev", config: { certificate: { keyVaultId, certificateName: "www" } } });
        assert.deepEqual(settingsOf(run, "node-0").site["certificate"], { source: "keyVault", secretUri: "https://corp-certs.vault.azure.net/secrets/www" });
        const readers = byType(run, "azure-native:authorization:RoleAssignment").filter((assignment) => assignment.inputs["scope"] === `${keyVaultId}/secrets/www`);
        assert.equal(readers.length, 2);
        assert.match(String(run.outputs["httpsCertificate"]), /www from Key Vault corp-certs/);
    });

    it("binds each extra app to its host name, gives it ports of its own and its public URL", async () => {
        const run = await runStack({ stack: "dev", config: { apps: [{ name: "app" }, { name: "crm", hostName: "crm.example.com" }] } });
        // dev has no DNS label: the app without a host name is reached at the load balancer's public IP.
        assert.deepEqual(settingsOf(run, "node-0", "app").app, { name: "app", runtimePort: 8080, adminPort: 8090, applicationRootUrl: "http://20.50.60.70/" });
        assert.deepEqual(settingsOf(run, "node-0", "crm").app, { name: "crm", hostName: "crm.example.com", runtimePort: 8180, adminPort: 8190, applicationRootUrl: "http://crm.example.com/" });
    });
});
