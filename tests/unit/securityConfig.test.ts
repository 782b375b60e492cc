import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { configIssues, parseValues } from "../harness/parseConfig";

const deployer = ["198.51.100.7"];

const parse = parseValues;
const issuesOf = (values: Record<string, unknown>) => configIssues({ deployerCidrs: undefined, ...values });

describe("the security keys of the config", () => {
    it("require a deployer address and name the key in the refusal", () => {
        const issues = issuesOf({});
        assert.deepEqual(issues.map((issue) => issue.key), ["deployerCidrs"]);
        assert.match(issues[0]?.allowed ?? "", /at least one public IPv4 address/);
    });

    it("read the deployer addresses as written", () => {
        assert.deepEqual(parse({ deployerCidrs: ["203.0.113.7/32", "198.51.100.0/24"] }).deployerCidrs, ["203.0.113.7/32", "198.51.100.0/24"]);
    });

    it("refuse every bad deployer address at once, and a repeated one", () => {
        const issues = issuesOf({ deployerCidrs: ["0.0.0.0/0", "198.51.100.7", "10.0.0.0/8", "198.51.100.7"] });
        assert.deepEqual(issues.map((issue) => issue.key), ["deployerCidrs[0]", "deployerCidrs[2]", "deployerCidrs[3]"]);
        assert.match(issues[2]?.allowed ?? "", /each address once/);
    });

    it("default SQL backups to 14 days and take 7 to 35", () => {
        assert.equal(parse({ deployerCidrs: deployer }).sql.backupRetentionDays, 14);
        assert.equal(parse({ deployerCidrs: deployer, sql: { tier: "Premium", sku: "P1" } }).sql.backupRetentionDays, 14);
        assert.equal(parse({ deployerCidrs: deployer, sql: { tier: "Premium", sku: "P1", backupRetentionDays: 7 } }).sql.backupRetentionDays, 7);
        assert.equal(parse({ deployerCidrs: deployer, sql: { tier: "Premium", sku: "P1", backupRetentionDays: 35 } }).sql.backupRetentionDays, 35);
        for (const days of [6, 36, "14", 14.5]) {
            const issues = issuesOf({ deployerCidrs: deployer, sql: { tier: "Premium", sku: "P1", backupRetentionDays: days } });
            assert.deepEqual(issues.map((issue) => issue.key), ["sql.backupRetentionDays"], String(days));
        }
    });

    it("read an Entra admin, and leave it out when not configured", () => {
        const admin = { login: "dba-group", objectId: "6F2C8D0E-1B3A-4C5D-9E8F-0A1B2C3D4E5F" };
        assert.deepEqual(parse({ deployerCidrs: deployer, sql: { tier: "Premium", sku: "P1", entraAdmin: admin } }).sql.entraAdmin, admin);
        assert.equal("entraAdmin" in parse({ deployerCidrs: deployer, sql: { tier: "Premium", sku: "P1" } }).sql, false);
    });

    it("refuse an Entra admin that is not a login and an object id", () => {
        const keys = (entraAdmin: unknown) => issuesOf({ deployerCidrs: deployer, sql: { tier: "Premium", sku: "P1", entraAdmin } }).map((issue) => issue.key);
        assert.deepEqual(keys("dba-group"), ["sql.entraAdmin"]);
        assert.deepEqual(keys({ login: "", objectId: "not-a-guid" }), ["sql.entraAdmin.login", "sql.entraAdmin.objectId"]);
        assert.deepEqual(keys({ login: "dba-group" }), ["sql.entraAdmin.objectId"]);
        assert.deepEqual(keys({ login: "dba-group", objectId: "6f2c8d0e-1b3a-4c5d-9e8f-0a1b2c3d4e5f", tenant: "x" }), ["sql.entraAdmin.tenant"]);
    });
});
