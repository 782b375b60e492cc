import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { AppLicense } from "../../components/config/contract";
import { appDelivery, modelFile, Prerequisites, siteSettings } from "../../components/plan/delivery";
import { clusterNames } from "../../components/plan/names";
import { NodePlan, planNodes } from "../../components/plan/nodes";
import { rolloutSettings } from "../../components/plan/rolloutSettings";
import { isManagedSetting } from "../../components/config/managedSettings";
import { NodeSettingsInput, renderNodeSettings } from "../../components/plan/settings";
import { keepDeletedFilesFrom, performDeleteFromStorage } from "../../components/plan/fileDeletion";
import { applicationRootUrl, clusterUrl } from "../../components/plan/loadBalancing";
import { MendixVersion, parseMendixVersion } from "../../components/plan/mendixVersion";
import { parseValues } from "../harness/parseConfig";
import { repositoryRoot } from "../../offline/stackConfig";

const delivery = parseValues({}).delivery;
const installer = (file: string, sha256: string) => ({ url: `https://installers.example.com/${file}`, sha256 });
/** The installers the agent's examples name. */
const examplePrerequisites: Prerequisites = {
    mode: "install",
    installers: {
        urlRewrite: installer("iis/rewrite_amd64_en-US.msi", "cc9e9cccfb2aadb2628786b6a0e65fe60df97170cca4415010dd23c9474c2769"),
        applicationRequestRouting: installer("iis/requestRouter_amd64.msi", "fd1494a8c7b02eb0a3fdc743d1def4480b6a27766e41db8279b3b0fd9842b63e"),
        serviceConsole: installer("mendix/Mendix-Service-Console-4.7.4.msi", "61571c0a8886041d9bd6c02bc326007221d13048a957c5419ba7e6779632b1b7"),
        java: { "21": installer("java/OpenJDK21U-jdk_x64_windows_hotspot_21.0.4_7.msi", "fb2c6d82622d5c77d98da4d5ad82ef20db9a5f7192f703af3eb2929ba6e2e19a") },
    },
    serverDistributionUrl: "https://cdn.mendix.com/runtime/mendix-{version}.tar.gz",
};
const license: AppLicense = { environmentName: "production", licenseServerUrl: "https://licensing.example.com", subscriptionSecret: "fixture-license-secret" };
const [leader, follower] = planNodes(2, ["1", "2"], clusterNames("dev"));
/** The client ids the agent's examples name. */
const clientIdOf = (node: NodePlan) => `6f1c2a9e-0000-4000-8000-00000000000${node.index}`;
const rollout = parseValues({}).rollout;

function input(node = follower, appCustomSettings: Record<string, string> = {}, license: AppLicense | undefined = undefined): NodeSettingsInput {
    assert.ok(node);
    return {
        node,
        identityClientId: clientIdOf(node),
        appName: "app",
        database: { host: "mxdev-sql.database.windows.net:1433", name: "app" },
        storage: { accountName: "mxdevfiles", blobEndpoint: "https://mxdevfiles.blob.core.windows.net/", container: "files-app" },
        credentials: { kind: "secrets", databaseUserName: "mendixadmin", databasePassword: "fixture-sql-password", storageAccountKey: "fixture-storage-key" },
        appCustomSettings,
        license,
        delivery: { app: appDelivery(0, undefined, undefined), prerequisites: examplePrerequisites, site: siteSettings(delivery) },
        rollout: rolloutSettings(rollout),
        runtimeVersion: version("10.12.4.41735"),
        applicationRootUrl: "http://mxdev-app.westeurope.cloudapp.azure.com/",
    };
}

/** The client id of the app's own identity in the agent's examples. */
const appClientId = "3d4c5b6a-0000-4000-8000-0000000000a1";
const withIdentity = (settings: NodeSettingsInput): NodeSettingsInput => ({ ...settings, credentials: { kind: "identity", clientId: appClientId } });

function version(text: string): MendixVersion {
    const parsed = parseMendixVersion(text);
    assert.ok(parsed, text);
    return parsed;
}

const rendered = (settings: NodeSettingsInput) => parse(renderNodeSettings(settings)) as {
    schemaVersion: number;
    node: { leader: boolean; name: string; identityClientId: string };
    app: { identityClientId?: string; model?: { file: string; sha256: string }; applicationRootUrl: string };
    rollout: Record<string, unknown>;
    runtimeSettings: Record<string, string>;
    customSettings: Record<string, string>;
};

describe("renderNodeSettings", () => {
    it("renders schema version 3 with the node's identity", () => {
        const document = rendered(input(follower));
        assert.equal(document.schemaVersion, 3);
        assert.equal(document.node.identityClientId, "6f1c2a9e-0000-4000-8000-000000000001");
    });

    it("names the model by its path in the extension's download folder", () => {
        const sha256 = "abcdef0123456789".padEnd(64, "0");
        const withModel = { ...input(follower), delivery: { ...input(follower).delivery, app: appDelivery(0, undefined, { file: modelFile("app", sha256), sha256 }) } };
        assert.deepEqual(rendered(withModel).app.model, { file: "models/app/app-abcdef012345.mda", sha256 });
    });

    it("carries the load balancer's HTTP probe and the rollout's waits", () => {
        assert.deepEqual(rendered(input(follower)).rollout, {
            healthProbe: { port: 80, intervalSeconds: 5, threshold: 2 },
            readyTimeoutSeconds: 600,
            drainSeconds: 30,
            databaseWaitSeconds: 1800,
            databaseSyncTimeoutSeconds: 1800,
        });
        const waits = rolloutSettings({ ...rollout, readyTimeoutSeconds: 45, drainSeconds: 0, databaseWaitSeconds: 60, databaseSyncTimeoutSeconds: 3600 });
        assert.deepEqual(rendered({ ...input(leader), rollout: waits }).rollout, {
            healthProbe: { port: 80, intervalSeconds: 5, threshold: 2 },
            readyTimeoutSeconds: 45,
            drainSeconds: 0,
            databaseWaitSeconds: 60,
            databaseSyncTimeoutSeconds: 3600,
        });
    });

    it("marks every follower, and only followers, as cluster slaves", () => {
        assert.equal(rendered(input(follower)).customSettings["com.mendix.core.isClusterSlave"], "true");
        assert.equal(rendered(input(leader)).customSettings["com.mendix.core.isClusterSlave"], undefined);
        assert.equal(rendered(input(leader)).node.leader, true);
    });

    it("points every node at Azure Blob Storage and keeps deleted files", () => {
        const custom = rendered(input()).customSettings;
        assert.equal(custom["com.mendix.core.StorageService"], "com.mendix.storage.azure");
        assert.equal(custom["com.mendix.storage.azure.AccountName"], "mxdevfiles");
        assert.equal(custom["com.mendix.storage.azure.AccountKey"], "fixture-storage-key");
        assert.equal(custom["com.mendix.storage.azure.Container"], "files-app");
        assert.equal(custom["com.mendix.storage.PerformDeleteFromStorage"], "false");
    });

    it("keeps deleted files restorable with the value the app's Mendix version documents", () => {
        const value = (runtimeVersion: MendixVersion | undefined) => rendered({ ...input(), runtimeVersion }).customSettings["com.mendix.storage.PerformDeleteFromStorage"];
        assert.equal(value(version("11.0.0")), "TemporaryFiles");
        assert.equal(value(version("11.6.2")), "TemporaryFiles");
        assert.equal(value(version("10.24.9.81004")), "false");
        assert.equal(value(version("9.24.40.80000")), "false");
        assert.equal(value(undefined), "false");
        assert.deepEqual(keepDeletedFilesFrom, { major: 11, minor: 0 });
        assert.equal(performDeleteFromStorage(version("12.1.0")), "TemporaryFiles");
    });

    it("gives every app its public URL as the blob's applicationRootUrl", () => {
        assert.equal(rendered(input()).app.applicationRootUrl, "http://mxdev-app.westeurope.cloudapp.azure.com/");
    });

    it("tells a standby region's node whether its region serves, and no other node anything of it", () => {
        assert.deepEqual((parse(renderNodeSettings({ ...input(leader), standby: { serving: false } })) as { standby: unknown }).standby, { serving: false });
        assert.deepEqual((parse(renderNodeSettings({ ...input(leader), standby: { serving: true } })) as { standby: unknown }).standby, { serving: true });
        assert.equal("standby" in (parse(renderNodeSettings(input(leader))) as object), false);
    });

    it("carries the SQL Server database settings", () => {
        assert.deepEqual(rendered(input()).runtimeSettings, {
            DatabaseType: "SQLSERVER",
            DatabaseHost: "mxdev-sql.database.windows.net:1433",
            DatabaseName: "app",
            DatabaseUserName: "mendixadmin",
            DatabasePassword: "fixture-sql-password",
        });
    });

    it("signs an app in with its own identity: no password, no account key, the JDBC URL and blob endpoint instead", () => {
        const document = rendered(withIdentity(input(follower)));
        assert.equal(document.app.identityClientId, appClientId);
        assert.deepEqual(document.runtimeSettings, { DatabaseType: "SQLSERVER", DatabaseHost: "mxdev-sql.database.windows.net:1433", DatabaseName: "app" });
        const custom = document.customSettings;
        assert.equal(custom["com.mendix.storage.azure.UseDefaultAzureCredential"], "true");
        assert.equal(custom["com.mendix.storage.azure.BlobEndpoint"], "https://mxdevfiles.blob.core.windows.net/");
        assert.equal(custom["com.mendix.storage.azure.Container"], "files-app");
        assert.equal(custom["DatabaseJdbcUrl"], "jdbc:sqlserver://mxdev-sql.database.windows.net:1433;databaseName=app;encrypt=true;trustServerCertificate=false;" +
            `hostNameInCertificate=*.database.windows.net;loginTimeout=30;authentication=ActiveDirectoryManagedIdentity;msiClientId=${appClientId}`);
        assert.deepEqual(Object.keys(custom).filter((key) => /AccountName|AccountKey|Password/.test(key)), []);
        assert.equal(rendered(input(follower)).app.identityClientId, undefined);
    });

    it("adds the app's own custom settings as strings", () => {
        const custom = rendered(input(follower, { SessionTimeout: "600000", "com.example.Flag": "true" })).customSettings;
        assert.equal(custom["SessionTimeout"], "600000");
        assert.equal(custom["com.example.Flag"], "true");
    });

    it("keeps values that look like other YAML types as strings", () => {
        const custom = rendered(input(follower, { Yes: "yes", Null: "null", Number: "007", Colon: "a: b", Hash: "# x" })).customSettings;
        assert.deepEqual([custom["Yes"], custom["Null"], custom["Number"], custom["Colon"], custom["Hash"]], ["yes", "null", "007", "a: b", "# x"]);
    });

    it("gives a licensed app the four License settings, and an unlicensed one none", () => {
        const licensed = rendered(input(follower, {}, license)).customSettings;
        assert.equal(licensed["License.SubscriptionSecret"], "fixture-license-secret");
        assert.equal(licensed["License.UseLicenseServer"], "true");
        assert.equal(licensed["License.LicenseServerURL"], "https://licensing.example.com");
        assert.equal(licensed["License.EnvironmentName"], "production");
        assert.deepEqual(Object.keys(rendered(input(follower)).customSettings).filter((key) => key.startsWith("License.")), []);
    });

    const examples = [
        ["leader-app.yaml", leader, undefined, false],
        ["follower-app.yaml", follower, undefined, false],
        ["licensed-follower-app.yaml", follower, license, false],
        ["identity-follower-app.yaml", follower, undefined, true],
    ] as const;
    for (const [fixture, node, appLicense, identity] of examples) {
        it(`renders exactly the agent's example ${fixture}`, () => {
            const expected = parse(fs.readFileSync(path.join(repositoryRoot, "agent", "tests", "Fixtures", fixture), "utf8"));
            const settings = input(node, { SessionTimeout: "600000", ClusterManagerActionInterval: "300000" }, appLicense);
            const actual = parse(renderNodeSettings(identity ? withIdentity(settings) : settings));
            assert.deepEqual(actual, expected);
        });
    }
});

describe("applicationRootUrl", () => {
    const withName = { fqdn: "mxdev-app.westeurope.cloudapp.azure.com", ipAddress: "20.1.2.3" };
    const ipOnly = { fqdn: undefined, ipAddress: "20.1.2.3" };

    it("is the app's host name, with https when the sites carry the user's certificate", () => {
        assert.equal(applicationRootUrl("crm.example.com", withName, true), "https://crm.example.com/");
        assert.equal(applicationRootUrl("crm.example.com", withName, false), "http://crm.example.com/");
    });

    it("is the cluster's URL for the app without a host name", () => {
        assert.equal(applicationRootUrl(undefined, withName, true), "https://mxdev-app.westeurope.cloudapp.azure.com/");
        assert.equal(applicationRootUrl(undefined, ipOnly, false), "http://20.1.2.3/");
        assert.equal(applicationRootUrl(undefined, withName, false), clusterUrl(withName, false));
    });
});

describe("isManagedSetting", () => {
    it("knows the keys the stack sets itself, in any case", () => {
        for (const key of ["com.mendix.core.isClusterSlave", "COM.MENDIX.CORE.STORAGESERVICE", "com.mendix.storage.s3.BucketName", "DatabaseJdbcUrl", "License.SubscriptionSecret", "license.EnvironmentName"]) {
            assert.equal(isManagedSetting(key), true, key);
        }
        for (const key of ["SessionTimeout", "com.mendix.core.SessionIdCookieName", "ClusterManagerActionInterval"]) {
            assert.equal(isManagedSetting(key), false, key);
        }
    });
});
