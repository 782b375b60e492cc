import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { pairedRegion, regionHasZones } from "../../components/config/azureRegions";
import { standbyPairWarning } from "../../components/config/standbyConfig";
import { configIssues, parseValues } from "../harness/parseConfig";

const geo = { storage: { replication: "GZRS" } };

describe("the standby config", () => {
    it("is absent unless set: a stack in one region", () => {
        assert.equal(parseValues({}).standby, undefined);
    });

    it("reads location, nodeCount and active, nodeCount defaulting to the stack's", () => {
        assert.deepEqual(parseValues({ ...geo, nodeCount: "3", standby: { location: "northeurope" } }).standby, { location: "northeurope", nodeCount: 3, active: false });
        assert.deepEqual(parseValues({ ...geo, standby: { location: "northeurope", nodeCount: 0, active: true } }).standby, { location: "northeurope", nodeCount: 0, active: true });
    });

    it("refuses the stack's own region, naming standby.location", () => {
        const issues = configIssues({ ...geo, standby: { location: "westeurope" } });
        assert.deepEqual(issues.map((issue) => [issue.key, issue.value]), [["standby.location", '"westeurope"']]);
        assert.match(issues[0]?.allowed ?? "", /other than the stack's own \(azure-native:location is westeurope\)/);
    });

    it("refuses a region without availability zones when zones is set, and takes it on a stack without zones", () => {
        const issues = configIssues({ ...geo, standby: { location: "northcentralus" } });
        assert.deepEqual(issues.map((issue) => issue.key), ["standby.location"]);
        assert.match(issues[0]?.allowed ?? "", /a region with availability zones, since zones is \["1","2","3"\]/);
        assert.equal(parseValues({ zones: [], storage: { replication: "GZRS" }, standby: { location: "northcentralus" } }).standby?.location, "northcentralus");
    });

    it("refuses a region name Microsoft's lists do not have, with or without zones", () => {
        for (const zones of [undefined, []]) {
            const issues = configIssues({ ...geo, ...(zones === undefined ? {} : { zones }), standby: { location: "northeurop" } });
            assert.deepEqual(issues.map((issue) => [issue.key, issue.value]), [["standby.location", '"northeurop"']]);
            assert.match(issues[0]?.allowed ?? "", /one of Azure's public regions as Microsoft lists them/);
        }
        assert.equal(parseValues({ zones: [], ...geo, standby: { location: "brazilsoutheast" } }).standby?.location, "brazilsoutheast");
    });

    it("refuses a standby over storage that is not geo-redundant, naming storage.replication", () => {
        const issues = configIssues({ standby: { location: "northeurope" } });
        assert.deepEqual(issues.map((issue) => [issue.key, issue.value]), [["storage.replication", '"ZRS"']]);
        assert.match(issues[0]?.allowed ?? "", /GZRS or RA-GZRS on a stack with a standby/);
        assert.equal(parseValues({ storage: { replication: "RA-GZRS" }, standby: { location: "northeurope" } }).standby?.location, "northeurope");
    });

    it("refuses a malformed location, unknown keys and a node count out of range, all at once", () => {
        const issues = configIssues({ ...geo, standby: { location: "North Europe", region: "x" } });
        assert.deepEqual(issues.map((issue) => issue.key).sort(), ["standby.location", "standby.region"]);
        const counts = configIssues({ ...geo, standby: { location: "northeurope", nodeCount: 51, active: "yes" } });
        assert.deepEqual(counts.map((issue) => issue.key).sort(), ["standby.active", "standby.nodeCount"]);
    });

    it("warns when the standby is not the region's pair", () => {
        assert.equal(standbyPairWarning("westeurope", { location: "northeurope", nodeCount: 2, active: false }), undefined);
        assert.match(standbyPairWarning("westeurope", { location: "francecentral", nodeCount: 2, active: false }) ?? "", /westeurope's paired region is northeurope/);
    });
});

describe("Azure's region tables", () => {
    it("know which regions have zones and which region each is paired with, one way where Azure pairs one way", () => {
        assert.equal(regionHasZones("westeurope"), true);
        assert.equal(regionHasZones("westus"), false);
        assert.equal(pairedRegion("northeurope"), "westeurope");
        assert.equal(pairedRegion("westeurope"), "northeurope");
        assert.equal(pairedRegion("brazilsouth"), "southcentralus");
        assert.equal(pairedRegion("southcentralus"), "northcentralus");
        assert.equal(pairedRegion("polandcentral"), undefined);
    });
});
