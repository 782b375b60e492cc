import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { clusterUrl } from "../../components/plan/loadBalancing";
import { installerBlobName, prerequisites } from "../../components/plan/delivery";
import { encryptionAtHostRefusal, encryptionAtHostUnreadable } from "../../components/plan/encryptionAtHost";
import { configIssues, parseValues } from "../harness/parseConfig";

const sha = (c: string) => c.repeat(64);

describe("the Service Console in the config", () => {
    it("takes an MSI file of the project, or a URL with its hash", () => {
        assert.deepEqual(parseValues({ installers: { serviceConsole: { file: "installers/Mendix Service Console 4.7.4 Setup.msi" } } }).delivery.installers?.serviceConsole,
            { kind: "file", file: "installers/Mendix Service Console 4.7.4 Setup.msi" });
        assert.deepEqual(parseValues({ installers: { serviceConsole: { url: "https://downloads.example.com/c.msi", sha256: sha("A") } } }).delivery.installers?.serviceConsole,
            { kind: "download", url: "https://downloads.example.com/c.msi", sha256: sha("a") });
    });

    it("refuses both at once, a file that is no MSI, a URL without its hash, and unknown keys", () => {
        const keys = (serviceConsole: unknown) => configIssues({ installers: { serviceConsole } }).map((issue) => issue.key);
        assert.deepEqual(keys({ file: "c.msi", url: "https://downloads.example.com/c.msi" }), ["installers.serviceConsole"]);
        assert.deepEqual(keys({ file: "c.exe" }), ["installers.serviceConsole.file"]);
        assert.deepEqual(keys({ url: "https://downloads.example.com/c.msi" }), ["installers.serviceConsole.sha256"]);
        assert.deepEqual(keys({ file: "c.msi", path: "x" }), ["installers.serviceConsole.path"]);
        assert.deepEqual(keys("c.msi"), ["installers.serviceConsole"]);
    });

    it("goes to the nodes as the uploaded blob's URL and the file's hash", () => {
        const delivery = parseValues({ installers: { serviceConsole: { file: "c.msi" } } }).delivery;
        const uploaded = { url: "https://mxdevk3x9q2.blob.core.windows.net/node-settings/installers/serviceConsole-0123456789ab.msi", sha256: sha("b") };
        const result = prerequisites(delivery, uploaded);
        assert.equal(result.mode, "install");
        assert.deepEqual(result.mode === "install" ? result.installers.serviceConsole : undefined, uploaded);
        assert.throws(() => prerequisites(delivery), /installers\.serviceConsole\.file \(c\.msi\) has no uploaded blob/);
        assert.equal(installerBlobName("serviceConsole", "0123456789abcdef".repeat(4)), "installers/serviceConsole-0123456789ab.msi");
    });
});

describe("the node access and naming config", () => {
    it("takes DNS labels as Azure does, and refuses the others", () => {
        for (const label of ["abc", "mendix-prod", "a-1", "x".repeat(63)]) {
            assert.equal(parseValues({ dnsLabel: label }).dnsLabel, label);
        }
        for (const label of ["ab", "1mendix", "Mendix", "mendix-", "men_dix", "x".repeat(64)]) {
            assert.deepEqual(configIssues({ dnsLabel: label }).map((issue) => issue.key), ["dnsLabel"], label);
        }
        assert.equal(parseValues({}).dnsLabel, undefined);
    });

    it("defaults to encryption at host, no Bastion and the deployer reading the admin password", () => {
        const config = parseValues({});
        assert.deepEqual([config.encryptionAtHost, config.bastion, config.adminPasswordReaders], [true, false, []]);
        assert.deepEqual(parseValues({ encryptionAtHost: "false", bastion: "true" }).bastion, true);
        assert.deepEqual(configIssues({ bastion: "yes" }).map((issue) => issue.key), ["bastion"]);
        assert.deepEqual(configIssues({ adminPasswordReaders: ["ops-group"] }).map((issue) => issue.key), ["adminPasswordReaders[0]"]);
        assert.deepEqual(parseValues({ adminPasswordReaders: ["6f1c2a9e-0000-4000-8000-000000000001"] }).adminPasswordReaders, ["6f1c2a9e-0000-4000-8000-000000000001"]);
    });
});

describe("the encryption-at-host check", () => {
    it("passes a registered feature and refuses every other state with the commands", () => {
        assert.equal(encryptionAtHostRefusal("Registered"), undefined);
        for (const state of ["NotRegistered", "Pending", "Registering", "Unregistered", undefined]) {
            const refusal = encryptionAtHostRefusal(state) ?? "";
            assert.match(refusal, /^ {2}az feature register --namespace Microsoft\.Compute --name EncryptionAtHost$/m);
            assert.match(refusal, /^ {2}az provider register --namespace Microsoft\.Compute$/m);
            assert.match(refusal, /pulumi config set encryptionAtHost false/);
        }
        assert.match(encryptionAtHostUnreadable("404 Not Found"), /could not be read \(404 Not Found\)/);
    });
});

describe("the cluster's URL", () => {
    it("is https on the DNS name with a certificate, else http on the name or the address", () => {
        assert.equal(clusterUrl({ fqdn: "mx.westeurope.cloudapp.azure.com", ipAddress: "20.50.60.70" }, true), "https://mx.westeurope.cloudapp.azure.com/");
        assert.equal(clusterUrl({ fqdn: "mx.westeurope.cloudapp.azure.com", ipAddress: "20.50.60.70" }, false), "http://mx.westeurope.cloudapp.azure.com/");
        assert.equal(clusterUrl({ fqdn: undefined, ipAddress: "20.50.60.70" }, false), "http://20.50.60.70/");
    });
});
