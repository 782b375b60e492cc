import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { expiryWarning, pickStorageKey, readSecretIssue, secretExpiry, secretIssue, storageKeyName, utcDay } from "../../components/plan/secretRotation";
import { storageSkuName } from "../../components/plan/storageSku";
import { configIssues, parseValues } from "../harness/parseConfig";

describe("the secrets' expiry", () => {
    const issued = { generation: 3, issuedOn: "2025-03-01" };

    it("keeps the issue day of a generation already deployed, and issues a new generation today", () => {
        assert.deepEqual(secretIssue(issued, 3, "2025-09-09"), issued);
        assert.deepEqual(secretIssue(issued, 4, "2025-09-09"), { generation: 4, issuedOn: "2025-09-09" });
        assert.deepEqual(secretIssue(undefined, 1, "2025-09-09"), { generation: 1, issuedOn: "2025-09-09" });
    });

    it("is midnight UTC expiryDays after the issue day, in Unix seconds", () => {
        assert.equal(secretExpiry(issued, 365), 1772323200);
        assert.equal(secretExpiry(issued, 30), 1743379200);
        assert.equal(utcDay(new Date("2025-03-01T23:59:59.999Z")), "2025-03-01");
    });

    it("reads back only a record this program wrote", () => {
        assert.deepEqual(readSecretIssue({ generation: 2, issuedOn: "2025-01-31" }), { generation: 2, issuedOn: "2025-01-31" });
        for (const value of [undefined, null, "2025-01-31", { generation: "2", issuedOn: "2025-01-31" }, { generation: 2, issuedOn: "31.01.2025" }]) {
            assert.equal(readSecretIssue(value), undefined, JSON.stringify(value));
        }
    });

    it("warns within 30 days of the expiry and after it", () => {
        const expires = secretExpiry(issued, 365);
        assert.equal(expiryWarning(expires, new Date("2026-01-15T00:00:00Z")), undefined);
        assert.match(expiryWarning(expires, new Date("2026-02-15T00:00:00Z")) ?? "", /^The cluster's Key Vault secrets expire on 2026-03-01: raise rotation\.generation/);
        assert.match(expiryWarning(expires, new Date("2026-03-02T00:00:00Z")) ?? "", /^The cluster's Key Vault secrets expired on 2026-03-01/);
    });
});

describe("the storage key of a generation", () => {
    const keys = [{ keyName: "key1", value: "first" }, { keyName: "key2", value: "second" }];

    it("alternates key1 (odd generations) and key2 (even ones)", () => {
        assert.deepEqual([1, 2, 3, 4].map(storageKeyName), ["key1", "key2", "key1", "key2"]);
        assert.equal(pickStorageKey(keys, 1), "first");
        assert.equal(pickStorageKey(keys, 2), "second");
    });

    it("fails naming the key the account did not return", () => {
        assert.throws(() => pickStorageKey([{ keyName: "key1", value: "first" }], 2), /the storage account returned no key2 \(it returned key1\); rotation\.generation 2 needs it/);
    });
});

describe("the secrets, rotation and storage keys of the config", () => {
    it("default to 365 days, generation 1, and ZRS on a stack with zones (LRS without)", () => {
        const config = parseValues({});
        assert.deepEqual(config.secrets, { expiryDays: 365 });
        assert.deepEqual(config.rotation, { generation: 1 });
        assert.deepEqual(config.storage, { replication: "ZRS", softDeleteDays: 15 });
        assert.deepEqual(parseValues({ zones: [] }).storage, { replication: "LRS", softDeleteDays: 15 });
        assert.deepEqual(parseValues({ storage: { replication: "RA-GZRS" }, secrets: { expiryDays: 30 }, rotation: { generation: 7 } }),
            { ...parseValues({}), storage: { replication: "RA-GZRS", softDeleteDays: 15 }, secrets: { expiryDays: 30 }, rotation: { generation: 7 } });
    });

    it("refuse an expiry outside 30-730 days, a generation below 1, and unknown keys, all at once", () => {
        const issues = configIssues({ secrets: { expiryDays: 10, rotate: true }, rotation: { generation: 0 } });
        assert.deepEqual(issues.map((issue) => `${issue.key}: ${issue.value}: ${issue.allowed}`), [
            "secrets.rotate: true: no such key; the keys of secrets are expiryDays",
            "secrets.expiryDays: 10: a whole number from 30 to 730",
            "rotation.generation: 0: a whole number from 1 to 1000000",
        ]);
        assert.deepEqual(configIssues({ secrets: { expiryDays: 731 }, rotation: { generation: "2" } }).map((issue) => issue.key), ["secrets.expiryDays", "rotation.generation"]);
    });

    it("refuse LRS on a stack with zones, and any replication but the listed ones", () => {
        const [lrs] = configIssues({ storage: { replication: "LRS" } });
        assert.equal(lrs?.key, "storage.replication");
        assert.equal(lrs?.allowed, "one of ZRS, GZRS, RA-GZRS (LRS keeps every copy in one zone, and this stack spreads its nodes over zones)");
        assert.deepEqual(configIssues({ storage: { replication: "GRS" } }).map((issue) => issue.allowed), ["one of ZRS, GZRS, RA-GZRS"]);
        assert.deepEqual(configIssues({ zones: [], storage: { replication: "Standard_GRS" } }).map((issue) => issue.allowed), ["one of LRS, ZRS, GZRS, RA-GZRS"]);
        assert.deepEqual(parseValues({ zones: [], storage: { replication: "LRS" } }).storage, { replication: "LRS", softDeleteDays: 15 });
    });

    it("name Azure's SKUs", () => {
        assert.deepEqual((["LRS", "ZRS", "GZRS", "RA-GZRS"] as const).map(storageSkuName), ["Standard_LRS", "Standard_ZRS", "Standard_GZRS", "Standard_RAGZRS"]);
    });
});
