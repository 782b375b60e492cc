import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { installerDefaults } from "../../components/config/delivery";
import { appDelivery, certificateDescription, certificateSecretUri, modelFile, prerequisites, siteSettings } from "../../components/plan/delivery";
import { modelChanged, rolloutBatches, rolloutOrder } from "../../components/plan/rollout";
import { clusterNames } from "../../components/plan/names";
import { planNodes } from "../../components/plan/nodes";
import { powerShellLiteral } from "../../components/plan/powerShellLiteral";
import { configIssues, parseValues } from "../harness/parseConfig";
import { powerShellWords } from "../harness/powerShellWords";

const keyVaultId = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-certs/providers/Microsoft.KeyVault/vaults/Corp-Certs";

describe("the delivery config", () => {
    it("gives Java, URL Rewrite and ARR installers with hashes and the Mendix CDN by default, and needs the Service Console from the user", () => {
        const issues = configIssues({ installers: undefined });
        assert.deepEqual(issues.map((issue) => issue.key), ["installers.serviceConsole"]);
        assert.match(issues[0]?.allowed ?? "", /Marketplace .*installers\.serviceConsole\.file/);
        const installers = parseValues({}).delivery.installers;
        assert.deepEqual(Object.keys(installers?.java ?? {}).sort(), ["11", "17", "21"]);
        assert.equal(installers?.java["21"]?.sha256, installerDefaults.java["21"].sha256);
        assert.equal(installers?.urlRewrite.url, installerDefaults.urlRewrite.url);
        assert.equal(installers?.serverDistributionUrl, "https://cdn.mendix.com/runtime/mendix-{version}.tar.gz");
    });

    it("refuses installers that are not https, hashes that are not SHA-256, and unknown keys", () => {
        const keys = (installers: unknown) => configIssues({ installers }).map((issue) => issue.key);
        const base = { serviceConsole: { url: "https://downloads.example.com/console.msi", sha256: "3".repeat(64) } };
        assert.deepEqual(keys({ ...base, urlRewrite: { url: "http://example.com/x.msi", sha256: "a".repeat(64) } }), ["installers.urlRewrite.url"]);
        assert.deepEqual(keys({ ...base, java: { "21": { url: "https://example.com/jdk.msi", sha256: "xyz" } } }), ["installers.java.21.sha256"]);
        assert.deepEqual(keys({ ...base, java: { latest: { url: "https://example.com/jdk.msi", sha256: "a".repeat(64) } } }), ["installers.java.latest"]);
        assert.deepEqual(keys({ ...base, serverDistributionUrl: "https://cdn.example.com/mendix.tar.gz" }), ["installers.serverDistributionUrl"]);
        assert.deepEqual(keys({ ...base, iis: {} }), ["installers.iis"]);
    });

    it("takes a prepared image instead of installers, and refuses both together", () => {
        const marketplace = { publisher: "contoso", offer: "mendix-windows", sku: "2022", version: "1.0.0" };
        const withImage = parseValues({ installers: undefined, image: marketplace }).delivery;
        assert.deepEqual(withImage.image, { kind: "marketplace", ...marketplace });
        assert.equal(withImage.installers, undefined);
        const gallery = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/mendix/versions/1.0.0";
        assert.deepEqual(parseValues({ installers: undefined, image: { id: gallery } }).delivery.image, { kind: "gallery", id: gallery });
        assert.deepEqual(configIssues({ image: marketplace }).map((issue) => issue.key), ["installers"]);
        assert.deepEqual(configIssues({ installers: undefined, image: { publisher: "contoso" } }).map((issue) => issue.key), ["image.offer", "image.sku", "image.version"]);
        assert.deepEqual(configIssues({ installers: undefined, image: { id: "mendix" } }).map((issue) => issue.key), ["image.id"]);
    });

    it("reads a Key Vault certificate and refuses a malformed one", () => {
        assert.deepEqual(parseValues({ certificate: { keyVaultId, certificateName: "www" } }).delivery.certificate, { keyVaultId, certificateName: "www" });
        assert.deepEqual(configIssues({ certificate: { keyVaultId: "corp-certs", certificateName: "w w" } }).map((issue) => issue.key),
            ["certificate.keyVaultId", "certificate.certificateName"]);
    });

    it("needs exactly one app without a host name, host names as DNS names, and MDA paths", () => {
        assert.deepEqual(configIssues({ apps: [{ name: "a", hostName: "a.example.com" }] }).map((issue) => issue.key), ["apps[].hostName"]);
        assert.deepEqual(configIssues({ apps: [{ name: "a" }, { name: "b" }] }).map((issue) => issue.key), ["apps[].hostName"]);
        assert.deepEqual(configIssues({ apps: [{ name: "a" }, { name: "b", hostName: "B_host" }] }).map((issue) => issue.key), ["apps[1].hostName"]);
        assert.deepEqual(configIssues({ apps: [{ name: "a", mda: "a.zip" }] }).map((issue) => issue.key), ["apps[0].mda"]);
        assert.equal(parseValues({ apps: [{ name: "a", mda: "models/a.mda" }] }).apps[0]?.mda, "models/a.mda");
    });
});

describe("what a node is told to deliver", () => {
    it("gives app i its own runtime and admin ports, the same on every node", () => {
        assert.deepEqual(appDelivery(0, undefined, undefined), { runtimePort: 8080, adminPort: 8090 });
        assert.deepEqual(appDelivery(2, "crm.example.com", { file: "crm-0123456789ab.mda", sha256: "0123456789ab".padEnd(64, "0") }),
            { hostName: "crm.example.com", runtimePort: 8280, adminPort: 8290, model: { file: "crm-0123456789ab.mda", sha256: "0123456789ab".padEnd(64, "0") } });
        assert.equal(modelFile("crm", "abcdef0123456789".padEnd(64, "0")), "models/crm/crm-abcdef012345.mda");
    });

    it("installs with installers and only checks on a prepared image", () => {
        assert.equal(prerequisites(parseValues({}).delivery).mode, "install");
        assert.deepEqual(prerequisites(parseValues({ installers: undefined, image: { id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/m" } }).delivery),
            { mode: "verify", serverDistributionUrl: "https://cdn.mendix.com/runtime/mendix-{version}.tar.gz" });
    });

    it("probes /mendix-health and makes a self-signed certificate unless one is configured, saying which", () => {
        const selfSigned = parseValues({}).delivery;
        assert.deepEqual(siteSettings(selfSigned), { healthPath: "/mendix-health", certificate: { source: "selfSigned" } });
        assert.match(certificateDescription(selfSigned), /self-signed/);
        const fromVault = parseValues({ certificate: { keyVaultId, certificateName: "www" } }).delivery;
        assert.deepEqual(siteSettings(fromVault).certificate, { source: "keyVault", secretUri: "https://corp-certs.vault.azure.net/secrets/www" });
        assert.equal(certificateSecretUri(keyVaultId, "www"), "https://corp-certs.vault.azure.net/secrets/www");
        assert.match(certificateDescription(fromVault), /www from Key Vault Corp-Certs/);
    });
});

describe("the rollout of a new model", () => {
    const nodes = planNodes(4, ["1", "2", "3"], clusterNames("prod"));
    const all = new Set(nodes.map((node) => node.name));
    const names = (batches: { name: string }[][]) => batches.map((batch) => batch.map((node) => node.name));

    it("notices a model other than the deployed one", () => {
        assert.equal(modelChanged({ app: "a" }, { app: "a" }), false);
        assert.equal(modelChanged({ app: "a" }, { app: "b" }), true);
        assert.equal(modelChanged({}, { app: "a" }), true);
        assert.equal(modelChanged({ app: "a" }, {}), false);
    });

    it("starts a new model on the leader first, then the followers in batches (rolling)", () => {
        assert.equal(rolloutOrder(true, "rolling"), "leaderFirst");
        assert.deepEqual(names(rolloutBatches(nodes, all, 2, "leaderFirst")), [["node-0"], ["node-1", "node-2"], ["node-3"]]);
    });

    it("starts a new model on the leader, then every follower at once (stopAll)", () => {
        assert.equal(rolloutOrder(true, "stopAll"), "leaderThenAll");
        assert.deepEqual(names(rolloutBatches(nodes, all, 1, "leaderThenAll")), [["node-0"], ["node-1", "node-2", "node-3"]]);
    });

    it("keeps the followers-first order when no model changed", () => {
        assert.equal(rolloutOrder(false, "stopAll"), "followersFirst");
    });
});

describe("powerShellLiteral", () => {
    it("quotes every value as a literal", () => {
        assert.equal(powerShellLiteral("it's $env:x"), "'it''s $env:x'");
        assert.deepEqual(powerShellWords(`Stop-MxApp -Name ${powerShellLiteral("it's $env:x")}`), [["Stop-MxApp", "-Name", "it's $env:x"]]);
    });
});
