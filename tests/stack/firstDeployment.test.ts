import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import { parse } from "yaml";
import { distinct, escapeRegExp } from "../harness/assertions";
import { byType, RegisteredResource, runStack, runStackExpectingFailure, StackRun } from "../harness/offThread";
import { offlineDeployerObjectId } from "../../offline/azureIds";
import { offlinePublicIp, offlineSecrets } from "../../offline/azureMocks";
import { repositoryRoot } from "../../offline/stackConfig";

/** The Service Console as a new user gives it: an MSI in the project (a stand-in here), relative to the project. */
const consoleFile = "tests/fixtures/service-console-stand-in.msi";
/** `sha256sum tests/fixtures/service-console-stand-in.msi`: an empty compound file (a header, its FAT sector and its root entry), which is what an MSI is made of. */
const consoleFileSha256 = "443bdd7d94614d6181d9cacfedaaed619ca5d2f63eb76282721f82250a975b3e";
const consoleBlob = `installers/serviceConsole-${consoleFileSha256.slice(0, 12)}.msi`;
const deployer = "203.0.113.7";
/** Exactly what a new user sets before the first `pulumi up`: the deployer's address and the Service Console. */
const newUserConfig = { deployerCidrs: [deployer], installers: { serviceConsole: { file: consoleFile } } };
const encryptionAtHost = "Microsoft.Compute/EncryptionAtHost";

function prerequisitesOf(run: StackRun, node: string): { mode: string; installers: Record<string, { url: string; sha256: string }> } {
    const blob = run.resources.find((resource) => resource.inputs["blobName"] === `nodes/${node}/app.yaml`);
    assert.ok(blob, `settings of ${node}`);
    return parse(String((blob.inputs["source"] as { text: string }).text)).prerequisites;
}

const issueKeys = (message: string) => [...message.matchAll(/^ {2}- ([^:]+):/gm)].map((match) => match[1]);

describe("a first deployment by a new user", () => {
    let dev: StackRun;
    before(async () => {
        dev = await runStack({ stack: "dev", config: newUserConfig });
    });

    it("registers the whole dev stack with only the deployer's address and a Service Console file set", () => {
        assert.equal(byType(dev, "azure-native:compute:VirtualMachine").length, 2);
        assert.deepEqual(byType(dev, "azure-native:compute:VirtualMachineExtension").map((extension) => extension.inputs["type"]).sort(),
            ["AzureMonitorWindowsAgent", "AzureMonitorWindowsAgent", "CustomScriptExtension", "CustomScriptExtension"]);
        assert.equal(dev.outputs["url"], `http://${offlinePublicIp}/`);
    });

    it("installs URL Rewrite and ARR from Microsoft's published URLs and hashes, and the uploaded console by its own hash", () => {
        for (const node of ["node-0", "node-1"]) {
            const { mode, installers } = prerequisitesOf(dev, node);
            assert.equal(mode, "install");
            assert.deepEqual(installers["urlRewrite"], {
                url: "https://download.microsoft.com/download/1/2/8/128E2E22-C1B9-44A4-BE2A-5859ED1D4592/rewrite_amd64_en-US.msi",
                sha256: "37342ff2f585f263f34f48e9de59eb1051d61015a8e967dbde4075716230a32a",
            });
            assert.deepEqual(installers["applicationRequestRouting"], {
                url: "https://go.microsoft.com/fwlink/?LinkID=615136",
                sha256: "fb61fdb7101795a34d5129cb37eee43ab675c7ed76ba3a3b23b039d8c90c2a4b",
            });
            assert.match(installers["serviceConsole"]?.url ?? "", new RegExp(`^https://mxdev[a-z0-9]+\\.blob\\.core\\.windows\\.net/node-settings/${escapeRegExp(consoleBlob)}$`));
            assert.equal(installers["serviceConsole"]?.sha256, consoleFileSha256);
        }
    });

    it("uploads the console next to the agent and has every node's extension download it", () => {
        const blobs = byType(dev, "azure-native:storage:Blob").filter((blob) => blob.inputs["blobName"] === consoleBlob);
        assert.equal(blobs.length, 1);
        assert.equal(blobs[0]?.inputs["containerName"], "node-settings");
        assert.match(String((blobs[0]?.inputs["source"] as { path: string }).path), /tests\/fixtures\/service-console-stand-in\.msi$/);
        for (const extension of byType(dev, "azure-native:compute:VirtualMachineExtension").filter((candidate) => candidate.inputs["type"] === "CustomScriptExtension")) {
            const fileUris = (extension.inputs["settings"] as { fileUris: string[] }).fileUris;
            assert.equal(fileUris.filter((uri) => uri.endsWith(`/node-settings/${consoleBlob}`)).length, 1);
            assert.ok(extension.dependencies.includes(blobs[0]?.urn ?? ""), "the extension waits for the upload");
        }
    });

    it("keeps the nodes' admin password as a Key Vault secret only, readable by the deployer and no node", () => {
        const secrets = byType(dev, "azure-native:keyvault:Secret");
        const admin = secrets.find((secret) => secret.inputs["secretName"] === "node-admin-password");
        assert.ok(admin);
        const password = offlineSecrets.randomPassword("mendix-admin-password");
        assert.equal((admin.inputs["properties"] as { value: string }).value, password);
        const sqlPassword = byType(dev, "azure-native:keyvault:Secret").find((secret) => secret.inputs["secretName"] === "sql-admin-password");
        const expiry = (sqlPassword?.inputs["properties"] as { attributes: { expires: number } }).attributes;
        assert.deepEqual(admin.visibleInputs["properties"], { value: "[secret]", contentType: "text/plain", attributes: { enabled: true, expires: expiry.expires } },
            "expires with the vault's other secrets");
        for (const vm of byType(dev, "azure-native:compute:VirtualMachine")) {
            assert.equal((vm.inputs["osProfile"] as { adminPassword: string }).adminPassword, password);
        }
        const visible = JSON.stringify([dev.visibleOutputs, dev.resources.map((resource) => resource.visibleInputs)]);
        assert.ok(!visible.includes(password), "the password shows nowhere in plain");
        const readers = byType(dev, "azure-native:authorization:RoleAssignment").filter((grant) => grant.name.startsWith("mendix-admin-password-reader"));
        assert.deepEqual(readers.map((grant) => [grant.inputs["principalId"], String(grant.inputs["roleDefinitionId"]).split("/").pop()]),
            [[offlineDeployerObjectId, "4633458b-17de-408a-b874-0445c86b69e6"]]);
        assert.ok(readers.every((grant) => grant.dependencies.includes(admin.urn)), "granted on the secret itself");
        const nodePrincipals = byType(dev, "azure-native:managedidentity:UserAssignedIdentity").map((identity) => String(identity.outputs["principalId"]));
        assert.equal(nodePrincipals.length, 2);
        const nodeGrantScopes = byType(dev, "azure-native:authorization:RoleAssignment")
            .filter((grant) => nodePrincipals.includes(String(grant.inputs["principalId"]))).map((grant) => String(grant.inputs["scope"]));
        assert.ok(nodeGrantScopes.length > 0 && !nodeGrantScopes.some((scope) => scope.includes("node-admin-password")));
        // The vault has no public endpoint, for the deployer neither: the break-glass of docs/operations.md opens it for a reader.
        const [vault] = byType(dev, "azure-native:keyvault:Vault");
        const properties = vault?.inputs["properties"] as { publicNetworkAccess: string; networkAcls: { defaultAction: string; ipRules?: unknown } };
        assert.equal(properties.publicNetworkAccess, "Disabled");
        assert.equal(properties.networkAcls.defaultAction, "Deny");
        assert.equal(properties.networkAcls.ipRules, undefined);
    });

    it("lets `pulumi destroy` of an unprotected stack through: secrets retained, the vault's deletion takes them; nothing protected", () => {
        const secrets = byType(dev, "azure-native:keyvault:Secret");
        assert.deepEqual(secrets.map((secret) => secret.inputs["secretName"]).sort(), ["node-admin-password", "sql-admin-password", "storage-account-key"]);
        assert.ok(secrets.every((secret) => secret.retainOnDelete && !secret.protect));
        assert.deepEqual(dev.resources.filter((resource) => resource.protect).map((resource) => resource.type), []);
    });

    it("encrypts at host when the subscription has the feature, and builds no Bastion unless asked", () => {
        assert.deepEqual(byType(dev, "azure-native:compute:VirtualMachine").map((vm) =>
            [vm.inputs["vmName"], (vm.inputs["securityProfile"] as { encryptionAtHost: boolean }).encryptionAtHost]), [["mx-dev-node-0", true], ["mx-dev-node-1", true]]);
        assert.deepEqual(byType(dev, "azure-native:network:BastionHost"), []);
        assert.deepEqual(dev.warnings.filter((warning) => /encryptionAtHost/.test(warning)), []);
    });
});

describe("a production cluster with a name, a certificate, a Bastion host and no encryption at host", () => {
    let prod: StackRun;
    const keyVaultId = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-certs/providers/Microsoft.KeyVault/vaults/corp-certs";
    before(async () => {
        prod = await runStack({
            stack: "prod",
            config: { bastion: true, dnsLabel: "mendix-prod-demo", certificate: { keyVaultId, certificateName: "www" }, encryptionAtHost: false },
            featureStates: { [encryptionAtHost]: "NotRegistered" },
        });
    });
    const one = (type: string): RegisteredResource => {
        const found = byType(prod, type);
        assert.equal(found.length, 1, type);
        return found[0] as RegisteredResource;
    };

    it("adds an Azure Bastion host in AzureBastionSubnet (/26) on its own Standard public IP, and lets RDP in from that subnet only", () => {
        const subnet = byType(prod, "azure-native:network:Subnet").find((candidate) => candidate.inputs["subnetName"] === "AzureBastionSubnet");
        assert.ok(subnet);
        assert.equal(subnet.inputs["addressPrefix"], "10.42.250.0/26");
        assert.equal(subnet.inputs["virtualNetworkName"], "mx-prod-vnet");
        const host = one("azure-native:network:BastionHost");
        assert.deepEqual(host.inputs["sku"], { name: "Standard" });
        assert.equal(host.inputs["enableTunneling"], true);
        const bastionIp = byType(prod, "azure-native:network:PublicIPAddress").find((ip) => ip.inputs["publicIpAddressName"] === "mx-prod-bastion-ip");
        assert.ok(bastionIp);
        assert.deepEqual([bastionIp.inputs["sku"], bastionIp.inputs["publicIPAllocationMethod"]], [{ name: "Standard", tier: "Regional" }, "Static"]);
        assert.ok(host.dependencies.includes(bastionIp.urn) && host.dependencies.includes(subnet.urn));
        const rules = one("azure-native:network:NetworkSecurityGroup").inputs["securityRules"] as { name: string; sourceAddressPrefixes?: string[] }[];
        assert.deepEqual(rules.find((rule) => rule.name === "allow-rdp")?.sourceAddressPrefixes, ["10.42.250.0/26"]);
    });

    it("names the public IP in Azure DNS and gives the https URL of that name", () => {
        const frontend = byType(prod, "azure-native:network:PublicIPAddress").find((ip) => ip.inputs["publicIpAddressName"] === "mx-prod-lb-ip");
        assert.deepEqual(frontend?.inputs["dnsSettings"], { domainNameLabel: "mendix-prod-demo" });
        assert.equal(prod.outputs["url"], "https://mendix-prod-demo.westeurope.cloudapp.azure.com/");
    });

    it("protects the resource group with the data, so a destroy never takes retained data with it", () => {
        assert.equal(one("azure-native:resources:ResourceGroup").protect, true);
        assert.deepEqual(distinct(byType(prod, "azure-native:keyvault:Secret").map((secret) => secret.retainOnDelete)), [true]);
    });

    it("deploys without encryption at host on a subscription without the feature, with a warning", () => {
        assert.deepEqual(byType(prod, "azure-native:compute:VirtualMachine").map((vm) =>
            [vm.inputs["vmName"], (vm.inputs["securityProfile"] as { encryptionAtHost: boolean }).encryptionAtHost]), [["mx-prod-node-0", false], ["mx-prod-node-1", false], ["mx-prod-node-2", false]]);
        assert.equal(prod.warnings.filter((warning) => /encryptionAtHost is false/.test(warning)).length, 1);
    });
});

describe("what a first deployment refuses before registering anything", () => {
    it("names exactly the deployer's address and the Service Console when neither is set, with how to get each", async () => {
        const failure = await runStackExpectingFailure({ stack: "dev", config: { deployerCidrs: undefined, installers: undefined } });
        assert.deepEqual(issueKeys(failure.message), ["deployerCidrs", "installers.serviceConsole"]);
        assert.match(failure.message, /curl -s https:\/\/api\.ipify\.org/);
        assert.match(failure.message, /marketplace\.mendix\.com\/link\/component\/223425/);
        assert.equal(failure.registered, 0);
    });

    it("refuses a subscription without Microsoft.Compute/EncryptionAtHost with the commands that register it", async () => {
        const failure = await runStackExpectingFailure({ stack: "dev", config: newUserConfig, featureStates: { [encryptionAtHost]: "NotRegistered" } });
        assert.match(failure.message, /EncryptionAtHost is NotRegistered, not Registered/);
        for (const command of [
            "az feature register --namespace Microsoft.Compute --name EncryptionAtHost",
            "az feature show --namespace Microsoft.Compute --name EncryptionAtHost --query properties.state --output tsv",
            "az provider register --namespace Microsoft.Compute",
            "pulumi config set encryptionAtHost false",
        ]) {
            assert.ok(failure.message.includes(command), command);
        }
        assert.equal(failure.registered, 0);
    });

    it("refuses a Service Console given both as a file and as a URL", async () => {
        const serviceConsole = { file: consoleFile, url: "https://downloads.example.com/console.msi", sha256: "3".repeat(64) };
        const failure = await runStackExpectingFailure({ stack: "dev", config: { ...newUserConfig, installers: { serviceConsole } } });
        assert.deepEqual(issueKeys(failure.message), ["installers.serviceConsole"]);
        assert.match(failure.message, /not both/);
        assert.equal(failure.registered, 0);
    });

    it("refuses a Service Console file that is no MSI, saying when it is a Git LFS pointer", async () => {
        const directory = fs.mkdtempSync(path.join(os.tmpdir(), "console-"));
        try {
            fs.copyFileSync(path.join(repositoryRoot, "Pulumi.yaml"), path.join(directory, "Pulumi.yaml"));
            fs.copyFileSync(path.join(repositoryRoot, "Pulumi.dev.yaml"), path.join(directory, "Pulumi.dev.yaml"));
            fs.writeFileSync(path.join(directory, "pointer.msi"), "version https://git-lfs.github.com/spec/v1\noid sha256:" + "4".repeat(64) + "\nsize 83886080\n");
            fs.writeFileSync(path.join(directory, "page.msi"), "<html>Sign in to download</html>");
            const refused = async (file: string) => (await runStackExpectingFailure({
                stack: "dev", projectDirectory: directory, config: { ...newUserConfig, installers: { serviceConsole: { file } } },
            }));
            const pointer = await refused("pointer.msi");
            assert.match(pointer.message, /^installers\.serviceConsole\.file: got "pointer\.msi"; allowed: a Windows Installer package \(\.msi\), which starts with the compound file signature D0 CF 11 E0 A1 B1 1A E1; this is a Git LFS pointer, not the file: fetch the file itself \(git lfs pull; in a GitHub workflow, actions\/checkout with lfs: true\)/);
            assert.equal(pointer.registered, 0);
            assert.match((await refused("page.msi")).message, /this is a file that starts with 3C 68 74 6D 6C 3E 53 69; no resource was registered$/);
        } finally {
            fs.rmSync(directory, { recursive: true, force: true });
        }
    });

    it("refuses a Service Console file that is not there", async () => {
        const failure = await runStackExpectingFailure({ stack: "dev", config: { ...newUserConfig, installers: { serviceConsole: { file: "installers/missing.msi" } } } });
        assert.match(failure.message, /^installers\.serviceConsole\.file: got "installers\/missing\.msi"; allowed: the path of an existing \.msi file/);
        assert.equal(failure.registered, 0);
    });
});
