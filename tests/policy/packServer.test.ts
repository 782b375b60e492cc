import assert from "node:assert/strict";
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import { after, before, describe, it } from "node:test";
import { repositoryRoot } from "../../offline/stackConfig";
import { securityRules } from "../../policy/rules";

/**
 * The pack as the Pulumi CLI runs it for `--policy-pack policy`: a Node.js process in policy/ that
 * serves Pulumi's analyzer protocol over gRPC and prints its port. The client below speaks that
 * protocol with the generated stubs the SDK ships.
 */
const protoDirectory = path.dirname(require.resolve("@pulumi/pulumi/proto/analyzer_pb"));
const fromProto = (module: string) => require(require.resolve(module, { paths: [protoDirectory] }));
const grpc = fromProto("@grpc/grpc-js") as typeof import("@grpc/grpc-js");
const analyzerGrpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb") as typeof import("@pulumi/pulumi/proto/analyzer_grpc_pb");
const analyzer = require("@pulumi/pulumi/proto/analyzer_pb") as typeof import("@pulumi/pulumi/proto/analyzer_pb");
const { Struct } = fromProto("google-protobuf/google/protobuf/struct_pb") as typeof import("google-protobuf/google/protobuf/struct_pb");
const { Empty } = fromProto("google-protobuf/google/protobuf/empty_pb") as typeof import("google-protobuf/google/protobuf/empty_pb");

type Client = InstanceType<typeof analyzerGrpc.AnalyzerClient>;

function startPack(): Promise<{ process: ChildProcess; port: number }> {
    const child = spawn(process.execPath, ["--require", path.join(repositoryRoot, "tools", "loadTypeScript.cjs"), "index.ts"], { cwd: path.join(repositoryRoot, "policy"), stdio: ["ignore", "pipe", "pipe"] });
    return new Promise((resolve, reject) => {
        let output = "";
        let errors = "";
        const timer = setTimeout(() => reject(new Error(`the pack printed no port in 30 s: ${errors}`)), 30_000);
        child.stderr?.on("data", (chunk: Buffer) => { errors += chunk.toString(); });
        child.stdout?.on("data", (chunk: Buffer) => {
            output += chunk.toString();
            const port = /^(\d+)\s*$/m.exec(output)?.[1];
            if (port !== undefined) {
                clearTimeout(timer);
                resolve({ process: child, port: Number(port) });
            }
        });
        child.on("exit", (code) => { clearTimeout(timer); reject(new Error(`the pack exited with ${code}: ${errors}`)); });
    });
}

function analyze(client: Client, type: string, properties: Record<string, unknown>): Promise<{ policy: string; level: number; message: string }[]> {
    const request = new analyzer.AnalyzeRequest()
        .setType(type)
        .setName("files")
        .setUrn(`urn:pulumi:prod::mendix-cluster::${type}::files`)
        .setProperties(Struct.fromJavaScript(properties as Parameters<typeof Struct.fromJavaScript>[0]))
        .setOptions(new analyzer.AnalyzerResourceOptions());
    return new Promise((resolve, reject) => client.analyze(request, (error, response) => (error
        ? reject(error)
        : resolve(response.getDiagnosticsList().map((diagnostic) => ({ policy: diagnostic.getPolicyname(), level: diagnostic.getEnforcementlevel(), message: diagnostic.getMessage() }))))));
}

const compliantAccount = {
    enableHttpsTrafficOnly: true,
    minimumTlsVersion: "TLS1_2",
    allowBlobPublicAccess: false,
    encryption: { requireInfrastructureEncryption: true },
    networkRuleSet: { defaultAction: "Deny", bypass: "AzureServices", ipRules: [{ iPAddressOrRange: "203.0.113.7" }] },
    sku: { name: "Standard_GZRS" },
    tags: { "managed-by": "pulumi" },
};

describe("the policy pack served as the Pulumi CLI runs it", () => {
    let pack: ChildProcess | undefined;
    let client: Client;
    before(async () => {
        const started = await startPack();
        pack = started.process;
        client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${started.port}`, grpc.credentials.createInsecure());
    });
    after(() => {
        client?.close();
        pack?.kill();
    });

    it("announces every policy of the pack as mandatory", async () => {
        const info = await new Promise<import("@pulumi/pulumi/proto/analyzer_pb").AnalyzerInfo>((resolve, reject) =>
            client.getAnalyzerInfo(new Empty(), (error, response) => (error ? reject(error) : resolve(response))));
        assert.equal(info.getName(), "mendix-cluster-security");
        const policies = info.getPoliciesList();
        assert.deepEqual(policies.map((policy) => policy.getName()), securityRules.map((rule) => rule.name));
        assert.ok(policies.every((policy) => policy.getEnforcementlevel() === analyzer.EnforcementLevel.MANDATORY));
    });

    it("reports nothing on a compliant storage account", async () => {
        assert.deepEqual(await analyze(client, "azure-native:storage:StorageAccount", compliantAccount), []);
    });

    it("reports a mandatory violation per weakened setting", async () => {
        const diagnostics = await analyze(client, "azure-native:storage:StorageAccount", {
            ...compliantAccount, allowBlobPublicAccess: true, networkRuleSet: { defaultAction: "Allow", bypass: "AzureServices" },
        });
        assert.deepEqual(diagnostics.map((diagnostic) => diagnostic.policy).sort(), ["storage-network-deny-by-default", "storage-no-public-blob-access"]);
        assert.ok(diagnostics.every((diagnostic) => diagnostic.level === analyzer.EnforcementLevel.MANDATORY));
    });

    it("applies the backup retention minimum of 14 days when the pipeline configures none", async () => {
        const diagnostics = await analyze(client, "azure-native:sql:BackupShortTermRetentionPolicy", { retentionDays: 7 });
        assert.deepEqual(diagnostics.map((diagnostic) => diagnostic.policy), ["sql-backup-retention"]);
        assert.match(diagnostics[0]?.message ?? "", /at least 14/);
    });
});
