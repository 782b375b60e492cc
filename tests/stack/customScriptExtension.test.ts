import assert from "node:assert/strict";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { after, before, describe, it } from "node:test";
import { parse } from "yaml";
import { blobContent } from "../emulators/blobStorage";
import { dotnetAgentHost, downloadLocation, ExtensionRun, runCustomScriptExtension } from "../emulators/customScriptExtension";
import { writeMda } from "../harness/mdaArchive";
import { byType, runStack, StackRun } from "../harness/offThread";
import { repositoryRoot } from "../../offline/stackConfig";

/**
 * The stack's real extension, run as the Custom Script Extension would run it (tests/emulators), with the
 * agent's net10.0 build standing in for the net48 program it downloads. Only test switches are added:
 * file work only, a temporary apps root, and a file of the secrets the stack put in Key Vault.
 */
const agentDll = path.join(repositoryRoot, "agent", "publish", "net10.0", "mendix-node-agent.dll");

/** What Key Vault holds for each versioned secret URI the stack registered (its Key Vault references point at them). */
function vaultContents(run: StackRun): Record<string, string> {
    return Object.fromEntries(byType(run, "azure-native:keyvault:Secret").map((secret) => [
        String((secret.outputs["properties"] as { secretUriWithVersion: string }).secretUriWithVersion),
        String((secret.inputs["properties"] as { value: string }).value),
    ]));
}

function scalarValues(value: unknown): string[] {
    if (value !== null && typeof value === "object") {
        return Object.values(value).flatMap(scalarValues);
    }
    return [String(value)];
}

describe("the Custom Script Extension running the node agent", () => {
    let scratch: string;
    before(() => {
        assert.ok(fs.existsSync(agentDll), `${agentDll} is missing: run \`npm run build\``);
        scratch = fs.mkdtempSync(path.join(os.tmpdir(), "custom-script-"));
    });
    after(() => fs.rmSync(scratch, { recursive: true, force: true }));

    function runOnNode(run: StackRun, node: string): { result: ExtensionRun; appsRoot: string } {
        const extension = byType(run, "azure-native:compute:VirtualMachineExtension").find((candidate) => candidate.name.endsWith(`-${node}-agent`));
        assert.ok(extension, `the extension of ${node}`);
        const root = fs.mkdtempSync(path.join(scratch, `${node}-`));
        const appsRoot = path.join(root, "Apps");
        const secrets = path.join(root, "test-secrets.yaml");
        fs.writeFileSync(secrets, Object.entries(vaultContents(run)).map(([uri, value]) => `${JSON.stringify(uri)}: ${JSON.stringify(value)}`).join("\n"));
        const host = dotnetAgentHost((uri) => blobContent(run, uri), agentDll, ["--no-system", "--apps-root", appsRoot, "--test-secrets", secrets]);
        const result = runCustomScriptExtension(extension, path.join(root, "Plugins"), host);
        assert.equal(result.exitCode, 0, `the agent failed on ${node}:\n${result.stdout}\n${result.stderr}`);
        return { result, appsRoot };
    }

    const appFolders = (appsRoot: string) => fs.readdirSync(appsRoot).filter((entry) => fs.existsSync(path.join(appsRoot, entry, "Settings.yaml"))).sort();

    it("deploys a one-app stack's model on every node from where the extension put it, signed in as the app's identity", async () => {
        const mda = path.join(scratch, "app.mda");
        writeMda(mda, "10.12.4.41735");
        const run = await runStack({ stack: "dev", config: { apps: [{ name: "app", mda }] } });
        assert.deepEqual(Object.keys(vaultContents(run)).filter((uri) => /\/secrets\/(sql-admin-password|storage-account-key)\//.test(uri)), []);
        for (const node of ["node-0", "node-1"]) {
            const { result, appsRoot } = runOnNode(run, node);
            const model = result.downloaded.find((file) => file.startsWith("models/app/") && file.endsWith(".mda"));
            assert.ok(model, `${node} downloads the model under models/app/`);
            assert.ok(result.stdout.includes(`model ${path.join(result.downloadFolder, ...model.split("/"))} verified`), result.stdout);
            const settings = parse(fs.readFileSync(path.join(appsRoot, "app", "Settings.yaml"), "utf8")) as { Database: Record<string, unknown>; Runtime: Record<string, unknown> };
            assert.deepEqual(Object.keys(settings.Database).sort(), ["DatabaseHost", "DatabaseName", "DatabaseType"]);
            assert.match(String(settings.Runtime["DatabaseJdbcUrl"]), /;authentication=ActiveDirectoryManagedIdentity;msiClientId=[0-9a-f-]{36}$/);
            assert.match(String(settings.Runtime["OtherVMArguments"]), /^-DAZURE_CLIENT_ID=[0-9a-f-]{36}$/);
        }
    });

    it("deploys an app older than Mendix 10.10 with the SQL password read through its Key Vault reference", async () => {
        const mda = path.join(scratch, "older.mda");
        writeMda(mda, "9.24.22.12345");
        const run = await runStack({ stack: "dev", config: { apps: [{ name: "app", mda }] } });
        const sqlPassword = vaultContents(run)[Object.keys(vaultContents(run)).find((uri) => uri.includes("/secrets/sql-admin-password/")) ?? "?"];
        assert.ok(sqlPassword, "the stack keeps the SQL password in Key Vault");
        for (const node of ["node-0", "node-1"]) {
            const { result, appsRoot } = runOnNode(run, node);
            const model = result.downloaded.find((file) => file.startsWith("models/app/") && file.endsWith(".mda"));
            assert.ok(model, `${node} downloads the model under models/app/`);
            assert.ok(result.downloaded.includes(`nodes/${node}/app.yaml`));
            assert.ok(result.downloaded.includes("agent/mendix-node-agent.exe"));
            assert.ok(result.stdout.includes(`model ${path.join(result.downloadFolder, ...model.split("/"))} verified`), result.stdout);
            assert.deepEqual(appFolders(appsRoot), ["app"]);
            const settings = parse(fs.readFileSync(path.join(appsRoot, "app", "Settings.yaml"), "utf8")) as unknown;
            assert.ok(scalarValues(settings).includes(sqlPassword), `${node}'s Settings.yaml holds the SQL password read through its Key Vault reference`);
        }
    });

    it("writes one Settings.yaml per app of a two-app stack", async () => {
        const run = await runStack({ stack: "dev", config: { apps: [{ name: "app" }, { name: "crm", hostName: "crm.example.com" }] } });
        const { result, appsRoot } = runOnNode(run, "node-1");
        assert.deepEqual(result.downloaded.filter((file) => file.startsWith("nodes/")), ["nodes/node-1/app.yaml", "nodes/node-1/crm.yaml"]);
        assert.deepEqual(appFolders(appsRoot), ["app", "crm"]);
        assert.doesNotMatch(result.stdout, /model .* verified/, "no app has a model");
    });

    it("puts an uploaded Service Console where the settings' URL for it points, with the hash the settings state", async () => {
        const run = await runStack({ stack: "dev", config: { installers: { serviceConsole: { file: "tests/fixtures/service-console-stand-in.msi" } } } });
        const { result } = runOnNode(run, "node-0");
        const settings = parse(fs.readFileSync(path.join(result.downloadFolder, "nodes", "node-0", "app.yaml"), "utf8")) as
            { prerequisites: { installers: { serviceConsole: { url: string; sha256: string } } } };
        const { url, sha256 } = settings.prerequisites.installers.serviceConsole;
        const local = downloadLocation(url);
        assert.equal(local, "installers/serviceConsole-443bdd7d9461.msi");
        assert.ok(result.downloaded.includes(local), `the extension downloads ${local}`);
        const bytes = fs.readFileSync(path.join(result.downloadFolder, ...local.split("/")));
        assert.equal(createHash("sha256").update(bytes).digest("hex"), sha256);
        assert.equal(sha256, "443bdd7d94614d6181d9cacfedaaed619ca5d2f63eb76282721f82250a975b3e");
    });
});

describe("the Custom Script Extension emulator", () => {
    it("keeps each blob's path after the container, as the documentation's examples do", async () => {
        assert.equal(downloadLocation("https://someAcct.blob.core.windows.net/aContainer/scripts/myscript.ps1"), "scripts/myscript.ps1");
        assert.equal(downloadLocation("https://someAcct.blob.core.windows.net/aContainer/topLevel.ps1"), "topLevel.ps1");
    });

    it("cannot run a program the command names where the extension did not put it", async () => {
        const run = await runStack({ stack: "dev" });
        const extension = byType(run, "azure-native:compute:VirtualMachineExtension").find((candidate) => candidate.inputs["type"] === "CustomScriptExtension");
        assert.ok(extension);
        const flat = { ...extension, inputs: { ...extension.inputs, settings: { ...(extension.inputs["settings"] as object), commandToExecute: "mendix-node-agent.exe apply --settings app.yaml" } } };
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "custom-script-"));
        try {
            assert.throws(() => runCustomScriptExtension(flat, root, dotnetAgentHost((uri) => blobContent(run, uri), agentDll, [])), /'mendix-node-agent\.exe' is not recognized/);
        } finally {
            fs.rmSync(root, { recursive: true, force: true });
        }
    });
});
