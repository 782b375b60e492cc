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
import { offlineSecrets } from "../../offline/azureMocks";
import { databaseUsersScriptFile } from "../../components/databaseUsersScript";

const type = {
    identity: "azure-native:managedidentity:UserAssignedIdentity",
    grant: "azure-native:authorization:RoleAssignment",
    vm: "azure-native:compute:VirtualMachine",
    extension: "azure-native:compute:VirtualMachineExtension",
    runCommand: "azure-native:compute:VirtualMachineRunCommandByVirtualMachine",
    server: "azure-native:sql:Server",
    database: "azure-native:sql:Database",
    entraAdmin: "azure-native:sql:ServerAzureADAdministrator",
    entraOnly: "azure-native:sql:ServerAzureADOnlyAuthentication",
    password: "random:index/randomPassword:RandomPassword",
    secret: "azure-native:keyvault:Secret",
    container: "azure-native:storage:BlobContainer",
} as const;
const blobContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";

function writeModel(directory: string, name: string, runtimeVersion: string): { path: string; sha256: string } {
    const file = path.join(directory, name);
    writeMda(file, runtimeVersion);
    return { path: file, sha256: createHash("sha256").update(fs.readFileSync(file)).digest("hex") };
}

interface Settings {
    app: { identityClientId?: string };
    runtimeSettings: Record<string, string>;
    customSettings: Record<string, string>;
}

function settingsOf(run: StackRun, node: string, app: string): Settings {
    const blob = run.resources.find((resource) => resource.inputs["blobName"] === `nodes/${node}/${app}.yaml`);
    assert.ok(blob, `settings of ${node}/${app}`);
    return parse(String((blob.inputs["source"] as { text: string }).text)) as Settings;
}

const named = (run: StackRun, resourceType: string, name: string): RegisteredResource => {
    const found = byType(run, resourceType).find((resource) => resource.name === name);
    assert.ok(found, `${resourceType} ${name}; have ${byType(run, resourceType).map((resource) => resource.name).join(", ")}`);
    return found;
};
const identityNamed = (run: StackRun, resourceName: string) => {
    const found = byType(run, type.identity).find((identity) => identity.inputs["resourceName"] === resourceName);
    assert.ok(found, resourceName);
    return found;
};
const vmIdentities = (vm: RegisteredResource) => (vm.inputs["identity"] as { userAssignedIdentities: string[] }).userAssignedIdentities;
const agentRuns = (run: StackRun) => byType(run, type.extension).filter((extension) => extension.inputs["type"] === "CustomScriptExtension");
const agentRunOf = (run: StackRun, node: string) => {
    const found = agentRuns(run).find((extension) => extension.name.endsWith(`-${node}-agent`));
    assert.ok(found, `the agent run of ${node}`);
    return found;
};
const secretProperties = (run: StackRun, secretName: string) => {
    const secret = byType(run, type.secret).find((candidate) => candidate.inputs["secretName"] === secretName);
    assert.ok(secret, secretName);
    const properties = secret.inputs["properties"] as { value: unknown; attributes: { enabled: boolean } };
    return { value: properties.value, enabled: properties.attributes.enabled };
};
const secretNames = (run: StackRun) => byType(run, type.secret).map((secret) => secret.inputs["secretName"]).sort();

describe("apps on Mendix 10.10 or later sign in with identities of their own", () => {
    let directory: string;
    let current: { path: string; sha256: string };
    let older: { path: string; sha256: string };
    before(() => {
        directory = fs.mkdtempSync(path.join(os.tmpdir(), "identity-models-"));
        current = writeModel(directory, "app-10.mda", "10.12.4.41735");
        older = writeModel(directory, "hr-9.mda", "9.24.22.12345");
    });

    describe("a new prod stack whose one app runs 10.12", () => {
        let run: StackRun;
        before(async () => {
            run = await runStack({ stack: "prod", config: { apps: [{ name: "app", mda: current.path }] } });
        });

        it("gives the app an identity with Storage Blob Data Contributor on its own files container only", () => {
            const app = identityNamed(run, "mx-prod-app-app-id");
            const grants = byType(run, type.grant).filter((grant) => grant.inputs["principalId"] === app.outputs["principalId"]);
            assert.equal(grants.length, 1);
            const container = byType(run, type.container).find((candidate) => candidate.inputs["containerName"] === "files-app");
            assert.equal(grants[0]?.inputs["scope"], container?.id);
            assert.match(String(grants[0]?.inputs["roleDefinitionId"]), new RegExp(`/roleDefinitions/${blobContributor}$`));
            assert.equal(grants[0]?.inputs["principalType"], "ServicePrincipal");
        });

        it("gives every VM the app's identity after its grant, and the SQL admin identity to node-1 alone", () => {
            const app = identityNamed(run, "mx-prod-app-app-id");
            const admin = identityNamed(run, "mx-prod-sql-admin-id");
            const grant = byType(run, type.grant).find((candidate) => candidate.inputs["principalId"] === app.outputs["principalId"]);
            for (const vm of byType(run, type.vm)) {
                assert.ok(vmIdentities(vm).includes(app.id), vm.name);
                assert.equal(vmIdentities(vm).includes(admin.id), vm.name.endsWith("-node-1-vm"), vm.name);
                assert.ok(vm.dependencies.includes(grant?.urn ?? ""), `${vm.name} waits for the app's grant`);
            }
        });

        it("hands the nodes no password and no key: the settings name the identity, the vault holds neither secret", () => {
            const app = identityNamed(run, "mx-prod-app-app-id");
            for (const node of ["node-0", "node-1", "node-2"]) {
                const settings = settingsOf(run, node, "app");
                assert.equal(settings.app.identityClientId, app.outputs["clientId"]);
                assert.deepEqual(Object.keys(settings.runtimeSettings), ["DatabaseType", "DatabaseHost", "DatabaseName"]);
                assert.match(settings.customSettings["DatabaseJdbcUrl"] ?? "", new RegExp(`;authentication=ActiveDirectoryManagedIdentity;msiClientId=${String(app.outputs["clientId"])}$`));
                assert.equal(settings.customSettings["com.mendix.storage.azure.UseDefaultAzureCredential"], "true");
                assert.match(settings.customSettings["com.mendix.storage.azure.BlobEndpoint"] ?? "", /^https:\/\/mxprod[a-z0-9]+\.blob\.core\.windows\.net\/$/);
            }
            assert.deepEqual(secretNames(run), ["node-admin-password"]);
            assert.deepEqual(byType(run, type.password).map((password) => password.name), ["mendix-admin-password"]);
            assertExcludes(JSON.stringify(run.resources.map((resource) => resource.inputs)), offlineSecrets.storageKey, "any input");
        });

        it("creates the SQL server Entra-only, with no SQL login, its Entra admin the stack's identity by client id", () => {
            const admin = identityNamed(run, "mx-prod-sql-admin-id");
            const server = byType(run, type.server)[0];
            assert.ok(server);
            assert.equal(server.inputs["administratorLogin"], undefined);
            assert.equal(server.inputs["administratorLoginPassword"], undefined);
            assert.deepEqual(server.inputs["administrators"], {
                administratorType: "ActiveDirectory",
                principalType: "Application",
                login: "mx-prod-sql-admin-id",
                sid: admin.outputs["clientId"],
                tenantId: admin.outputs["tenantId"],
                azureADOnlyAuthentication: true,
            });
            assert.equal(byType(run, type.entraAdmin).length, 0);
            assert.equal(byType(run, type.entraOnly).length, 0);
            assert.equal(run.outputs["sqlAdminLogin"], "");
        });

        it("creates the app's database user from node-1, once the server, its endpoint and the database exist, before node-1's agent runs", () => {
            const command = named(run, type.runCommand, "mendix-agent-node-1-database-users");
            const app = identityNamed(run, "mx-prod-app-app-id");
            const admin = identityNamed(run, "mx-prod-sql-admin-id");
            const server = byType(run, type.server)[0];
            const parameters = Object.fromEntries((command.inputs["parameters"] as { name: string; value: string }[]).map(({ name, value }) => [name, value]));
            assert.equal(parameters["AdminClientId"], admin.outputs["clientId"]);
            assert.equal(parameters["Server"], server?.outputs["fullyQualifiedDomainName"]);
            assert.deepEqual(JSON.parse(Buffer.from(parameters["UsersBase64"] ?? "", "base64").toString("utf8")), [{ database: "app", user: "mx-prod-app-app-id", clientId: app.outputs["clientId"] }]);
            // What cmd.exe leaves alone on the command line Run Command builds (Azure/azure-powershell#29880): no " & | < > ^ %.
            assert.deepEqual(Object.values(parameters).filter((value) => !/^[A-Za-z0-9+/=.:-]*$/.test(value)), []);
            assert.equal(parameters["WaitSeconds"], "1800");
            assert.equal((command.inputs["source"] as { script: string }).script, fs.readFileSync(databaseUsersScriptFile, "utf8"));
            assert.match(String(command.inputs["runCommandName"]), /^mendix-database-users-[0-9a-f]{8}$/);
            assert.equal(command.inputs["treatFailureAsDeploymentFailure"], true);
            const database = byType(run, type.database)[0];
            for (const waited of [server, database]) {
                assert.ok(command.dependencies.includes(waited?.urn ?? ""), `waits for ${waited?.name}`);
            }
            assert.ok(agentRunOf(run, "node-1").dependencies.includes(command.urn));
            assert.ok(!agentRunOf(run, "node-0").dependencies.includes(command.urn), "the leader prepares meanwhile and waits for its database instead");
            assert.equal(byType(run, type.runCommand).filter((candidate) => /database-users/.test(candidate.name)).length, 1);
        });
    });

    describe("a new prod stack with a standby region, its one app on 10.12", () => {
        let run: StackRun;
        before(async () => {
            run = await runStack({ stack: "prod", config: { apps: [{ name: "app", mda: current.path }], standby: { location: "northeurope", nodeCount: 2 } } });
        });

        it("creates the partner server as the primary: no SQL login, the same Entra admin, Entra sign-ins only", () => {
            const servers = byType(run, type.server);
            assert.equal(servers.length, 2);
            assert.deepEqual(servers[1]?.inputs["administrators"], servers[0]?.inputs["administrators"]);
            assert.ok(servers.every((server) => server.inputs["administratorLogin"] === undefined && server.inputs["administratorLoginPassword"] === undefined));
        });

        it("gives the standby's VMs the app's identity, its settings the identity's sign-in, and none of them the SQL admin identity", () => {
            const app = identityNamed(run, "mx-prod-app-app-id");
            const admin = identityNamed(run, "mx-prod-sql-admin-id");
            const standbyVms = byType(run, type.vm).filter((vm) => /-standby-/.test(vm.name));
            assert.equal(standbyVms.length, 2);
            for (const vm of standbyVms) {
                assert.ok(vmIdentities(vm).includes(app.id), vm.name);
                assert.ok(!vmIdentities(vm).includes(admin.id), vm.name);
            }
            const standbyBlob = run.resources.find((resource) => resource.inputs["blobName"] === "standby/nodes/node-1/app.yaml");
            assert.ok(standbyBlob);
            const settings = parse(String((standbyBlob.inputs["source"] as { text: string }).text)) as Settings;
            assert.equal(settings.app.identityClientId, app.outputs["clientId"]);
            assert.deepEqual(byType(run, type.runCommand).filter((command) => /database-users/.test(command.name)).map((command) => command.name), ["mendix-agent-node-1-database-users"]);
        });
    });

    describe("a new cluster that mixes a 10.12 app with a 9.24 one", () => {
        let run: StackRun;
        before(async () => {
            run = await runStack({ stack: "dev", config: { apps: [{ name: "app", mda: current.path }, { name: "hr", mda: older.path, hostName: "hr.example.com" }] } });
        });

        it("keeps the password and the key for the 9.24 app only, and warns naming it, its version and 10.10", () => {
            assert.equal(settingsOf(run, "node-1", "hr").runtimeSettings["DatabaseUserName"], "mendixsql");
            assert.match(settingsOf(run, "node-1", "hr").runtimeSettings["DatabasePassword"] ?? "", /^@Microsoft\.KeyVault\(SecretUri=https:\/\/[^)]+\/secrets\/sql-admin-password\//);
            assert.match(settingsOf(run, "node-1", "hr").customSettings["com.mendix.storage.azure.AccountKey"] ?? "", /\/secrets\/storage-account-key\//);
            assert.equal(settingsOf(run, "node-1", "app").runtimeSettings["DatabasePassword"], undefined);
            assert.deepEqual(secretNames(run), ["node-admin-password", "sql-admin-password", "storage-account-key"]);
            const warnings = run.warnings.filter((warning) => /signs in to SQL with the SQL admin password/.test(warning));
            assert.equal(warnings.length, 1);
            assert.match(warnings[0] ?? "", /^apps\[hr\] runs Mendix 9\.24\.22\.12345, older than 10\.10/);
            assert.equal(run.outputs["storageKeyInUse"], true);
            assert.deepEqual(run.warnings.filter((warning) => /renew both keys/.test(warning)), []);
        });

        it("keeps the SQL login and password sign-ins, with the stack's identity as the Entra admin", () => {
            const admin = identityNamed(run, "mx-dev-sql-admin-id");
            const server = byType(run, type.server)[0];
            assert.equal(server?.inputs["administratorLogin"], "mendixsql");
            assert.equal(server?.inputs["administrators"], undefined);
            const entraAdmin = byType(run, type.entraAdmin)[0];
            assert.equal(entraAdmin?.inputs["sid"], admin.outputs["clientId"]);
            assert.equal(entraAdmin?.inputs["login"], "mx-dev-sql-admin-id");
            const entraOnly = byType(run, type.entraOnly);
            assert.deepEqual(entraOnly.map((resource) => resource.inputs["azureADOnlyAuthentication"]), [false]);
            assert.equal(run.outputs["sqlAdminLogin"], "mendixsql");
        });
    });

    describe("moving a running cluster to identities", () => {
        let run: StackRun;
        before(async () => {
            // Deployed before this stack knew identities: its outputs record no SQL admin login.
            run = await runStack({
                stack: "prod",
                config: { apps: [{ name: "app", mda: current.path }] },
                lastOutputs: { nodes: [0, 1, 2].map((index) => ({ name: `node-${index}` })), deployedModels: { app: current.sha256 } },
            });
        });

        it("rolls the new settings out like any settings change: followers first, the leader last", () => {
            const urnOf = (node: string) => agentRunOf(run, node).urn;
            assert.ok(agentRunOf(run, "node-2").dependencies.includes(urnOf("node-1")));
            assert.ok(agentRunOf(run, "node-0").dependencies.includes(urnOf("node-2")));
            assert.ok(!agentRunOf(run, "node-1").dependencies.includes(urnOf("node-0")));
        });

        it("keeps the server's login, which Azure cannot take away, but no password, and takes Entra sign-ins only once every agent has run", () => {
            const server = byType(run, type.server)[0];
            assert.equal(server?.inputs["administratorLogin"], "mendixsql");
            assert.equal(server?.inputs["administratorLoginPassword"], undefined);
            assert.equal(byType(run, type.password).filter((password) => password.name === "mendix-sql-admin-password").length, 0);
            const entraOnly = byType(run, type.entraOnly);
            assert.deepEqual(entraOnly.map((resource) => resource.inputs["azureADOnlyAuthentication"]), [true]);
            for (const node of ["node-0", "node-1", "node-2"]) {
                assert.ok(entraOnly[0]?.dependencies.includes(agentRunOf(run, node).urn), `after ${node}`);
            }
            assert.equal(run.outputs["sqlAdminLogin"], "mendixsql");
        });

        it("grants no node either secret, and retires both: still declared, disabled, holding no password and no key", () => {
            assert.deepEqual(secretNames(run), ["node-admin-password", "sql-admin-password", "storage-account-key"]);
            for (const name of ["sql-admin-password", "storage-account-key"]) {
                assert.deepEqual(secretProperties(run, name), { value: "retired: no node reads this secret", enabled: false });
            }
            const grantKeys = byType(run, type.grant).map((grant) => grant.name).filter((name) => /sql-admin-password|storage-account-key/.test(name));
            assert.deepEqual(grantKeys, []);
            assert.deepEqual(run.outputs["vaultSecrets"], ["sql-admin-password", "storage-account-key"]);
        });

        it("says that renewing both storage account keys is the required next step, and records that no node uses the key", () => {
            const renewal = run.warnings.filter((warning) => /renew both keys/.test(warning));
            assert.equal(renewal.length, 1, JSON.stringify(run.warnings));
            assert.match(renewal[0] ?? "", /^No node uses the storage account key after this deployment: .*az storage account keys renew --account-name <account> --key key1, then --key key2\)\. This step is required/);
            assert.equal(run.outputs["storageKeyInUse"], false);
        });
    });

    it("moving a running cluster with a standby to identities, takes Entra sign-ins only on each server after its Entra admin exists", async () => {
        const run = await runStack({
            stack: "prod",
            config: { apps: [{ name: "app", mda: current.path }], standby: { location: "northeurope", nodeCount: 0 } },
            lastOutputs: { nodes: [0, 1, 2].map((index) => ({ name: `node-${index}` })), deployedModels: { app: current.sha256 } },
        });
        const admins = byType(run, type.entraAdmin);
        const entraOnly = byType(run, type.entraOnly);
        assert.equal(entraOnly.length, 2);
        for (const only of entraOnly) {
            const admin = admins.find((candidate) => candidate.inputs["serverName"] === only.inputs["serverName"]);
            assert.ok(admin, String(only.inputs["serverName"]));
            assert.ok(only.dependencies.includes(admin.urn), `${only.name} after ${admin.name}`);
        }
    });

    describe("an app older than 10.10 joining a cluster whose apps all sign in with identities", () => {
        let run: StackRun;
        before(async () => {
            run = await runStack({
                stack: "prod",
                config: { apps: [{ name: "app", mda: current.path }, { name: "hr", mda: older.path, hostName: "hr.example.com" }] },
                lastOutputs: {
                    nodes: [0, 1, 2].map((index) => ({ name: `node-${index}` })), deployedModels: { app: current.sha256 },
                    sqlAdminLogin: "mendixsql", storageKeyInUse: false, vaultSecrets: ["sql-admin-password", "storage-account-key"],
                },
            });
        });

        it("brings both retired secrets back as the same resources, enabled again and holding a real value", () => {
            for (const name of ["sql-admin-password", "storage-account-key"]) {
                const secrets = byType(run, type.secret).filter((secret) => secret.inputs["secretName"] === name);
                assert.deepEqual(secrets.map((secret) => secret.name), [`mendix-kv-${name}`]);
                const properties = secretProperties(run, name);
                assert.equal(properties.enabled, true, name);
                assert.notEqual(properties.value, "retired: no node reads this secret", name);
            }
            assert.ok(byType(run, type.grant).some((grant) => /sql-admin-password/.test(grant.name)));
            assert.deepEqual(run.outputs["vaultSecrets"], ["sql-admin-password", "storage-account-key"]);
        });
    });

    it("refuses an Entra admin of the config's beside an app that signs in with its identity", async () => {
        const { message, registered } = await runStackExpectingFailure({
            stack: "dev",
            config: { apps: [{ name: "app", mda: current.path }], sql: { tier: "Premium", sku: "P1", entraAdmin: { login: "dba-group", objectId: "6f2c8d0e-1b3a-4c5d-9e8f-0a1b2c3d4e5f" } } },
        });
        assert.match(message, /^sql\.entraAdmin: got \{"login":"dba-group","objectId":"6f2c8d0e-1b3a-4c5d-9e8f-0a1b2c3d4e5f"\}; allowed: no Entra admin of your own while an app signs in with its managed identity \(apps\[app\] runs Mendix 10\.10 or later\)/);
        assert.equal(registered, 0);
    });

    it("refuses an app older than 10.10 on a server that was created without a SQL login", async () => {
        const { message } = await runStackExpectingFailure({
            stack: "dev",
            config: { apps: [{ name: "app", mda: current.path }, { name: "hr", mda: older.path, hostName: "hr.example.com" }] },
            lastOutputs: { nodes: [{ name: "node-0" }, { name: "node-1" }], deployedModels: { app: current.sha256 }, sqlAdminLogin: "" },
        });
        assert.match(message, /^apps\[hr\]: signs in to SQL with a password .* this stack's SQL server was created without a SQL admin login/);
    });

    it("keeps the secrets for an app without an MDA, whose version is unknown, and says how to change that", async () => {
        const run = await runStack({ stack: "dev" });
        assert.equal(byType(run, type.identity).filter((identity) => /-app-|sql-admin/.test(String(identity.inputs["resourceName"]))).length, 0);
        assert.equal(settingsOf(run, "node-0", "app").runtimeSettings["DatabaseUserName"], "mendixsql");
        assert.ok(run.warnings.some((warning) => /^apps\[app\] has no MDA \(apps\[app\]\.mda\), so its Mendix version is unknown/.test(warning)), JSON.stringify(run.warnings));
    });
});
