import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { clusterNames, nameSuffixLength, stackSlug } from "../../components/plan/names";
import { databaseHost, sqlPrivateDnsZone } from "../../components/plan/sqlEndpoint";

const stacks = ["dev", "prod", "Prod_EU-West.2", "a", "my-very-long-stack-name-for-testing", "___", "123"];
const suffix = "a".repeat(nameSuffixLength);

// https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules
const rules = {
    storageAccount: /^[a-z0-9]{3,24}$/,
    sqlServer: /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
    blobContainer: /^(?=.{3,63}$)[a-z0-9]+(?:-[a-z0-9]+)*$/,
    // Windows computer names: 1-15 characters, letters, digits and hyphens, not only digits.
    computerName: /^(?=.{1,15}$)(?![0-9]+$)[A-Za-z0-9-]+$/,
    // Windows VM names may be 64 characters; Network resources 80; no leading or trailing '-' or '.'.
    networkOrCompute: /^(?=.{1,64}$)[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?$/,
    resourceGroup: /^(?=.{1,90}$)[-\w._()]+[^.]$/,
};

describe("clusterNames", () => {
    for (const stack of stacks) {
        it(`keeps every name of stack "${stack}" within Azure's rules`, () => {
            const names = clusterNames(stack);
            assert.match(names.storageAccount(suffix), rules.storageAccount);
            assert.match(names.sqlServer(suffix), rules.sqlServer);
            assert.match(names.resourceGroup, rules.resourceGroup);
            for (const name of [names.virtualNetwork, names.securityGroup, names.natGateway, names.natPublicIp, names.frontendPublicIp, names.loadBalancer, names.scaleSet]) {
                assert.match(name, rules.networkOrCompute);
            }
            for (const index of [0, 9, 49]) {
                assert.match(names.computerName(index), rules.computerName);
                assert.match(names.vm(index), rules.networkOrCompute);
                assert.match(names.dataDisk(index), rules.networkOrCompute);
                assert.match(names.networkInterface(index), rules.networkOrCompute);
            }
            for (const app of ["a", "crm", "a".repeat(20)]) {
                assert.match(names.filesContainer(app), rules.blobContainer);
            }
            assert.match(names.settingsContainer, rules.blobContainer);
        });
    }

    it("gives two stacks different names", () => {
        assert.notEqual(clusterNames("dev").storageAccount(suffix), clusterNames("prod").storageAccount(suffix));
        assert.notEqual(clusterNames("dev").computerName(0), clusterNames("prod").computerName(0));
    });

    it("names a node after its index alone", () => {
        const names = clusterNames("prod");
        assert.equal(names.vm(3), "mx-prod-node-3");
        assert.equal(names.settingsBlob("node-3", "crm"), "nodes/node-3/crm.yaml");
    });

    it("knows the database's host and name before the server exists", () => {
        const names = clusterNames("prod");
        assert.equal(databaseHost(names.sqlServer("k3x9q2")), "mx-prod-sql-k3x9q2.database.windows.net:1433");
        assert.equal(names.sqlDatabase("crm"), "crm");
        assert.equal(sqlPrivateDnsZone, "privatelink.database.windows.net");
    });

    it("slugs stack names to lower-case letters, digits and single hyphens", () => {
        assert.equal(stackSlug("Prod_EU-West.2"), "prod-eu-west");
        assert.equal(stackSlug("___"), "stack");
    });
});
