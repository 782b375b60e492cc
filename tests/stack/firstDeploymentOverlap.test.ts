import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { dependencyClosure } from "../../tools/dependencyGraph";
import { firstDeploymentFigures, withSettingsFromDatabaseOutputs } from "../../tools/firstDeploymentPath";
import { RegisteredResource, runStack, StackRun } from "../harness/offThread";

/** What a node needs before its agent can start preparing it: none of it may wait for SQL. */
const preparationTypes = [
    "azure-native:compute:VirtualMachine",
    "azure-native:compute:Disk",
    "azure-native:network:NetworkInterface",
    "azure-native:managedidentity:UserAssignedIdentity",
    "azure-native:authorization:RoleAssignment",
    "azure-native:compute:VirtualMachineExtension",
];

const isSql = (resource: RegisteredResource | undefined) => resource?.type.startsWith("azure-native:sql:") ?? false;

/** Each node's preparation step's name -> the SQL resources it waits for, directly or transitively. */
function sqlWaits(resources: readonly RegisteredResource[]): Record<string, string[]> {
    const byUrn = new Map(resources.map((resource) => [resource.urn, resource]));
    return Object.fromEntries(resources
        .filter((resource) => preparationTypes.includes(resource.type) && /-node-\d+(-|$)/.test(resource.name))
        .map((resource) => [resource.name, [...dependencyClosure(resources, resource.urn)].map((urn) => byUrn.get(urn)).filter(isSql).map((sql) => sql?.name ?? "").sort()]));
}

describe("a first deployment of the prod stack", () => {
    let run: StackRun;
    before(async () => {
        run = await runStack({ stack: "prod" });
    });

    it("prepares every node without waiting for any SQL resource", () => {
        const waits = sqlWaits(run.resources);
        // 3 nodes: VM, data disk, NIC, identity, 3 grants (settings container, SQL password, storage key),
        // the monitoring agent's extension and the node agent's run.
        assert.equal(Object.keys(waits).length, 3 * 9);
        assert.deepEqual(Object.entries(waits).filter(([, sql]) => sql.length > 0), []);
    });

    it("would wait for the SQL server and database if the settings were rendered from their outputs", () => {
        const waits = sqlWaits(withSettingsFromDatabaseOutputs(run.resources));
        assert.deepEqual(waits["mendix-agent-node-0-agent"], ["mendix-sql-app", "mendix-sql-server"]);
        assert.deepEqual(waits["mendix-nodes-node-0-vm"], []);
    });

    it("gives the nodes the database host Azure reports for the server", () => {
        const server = run.resources.find((resource) => resource.type === "azure-native:sql:Server");
        assert.equal(run.outputs["sqlServerHost"], `${String(server?.outputs["fullyQualifiedDomainName"])}:1433`);
    });

    it("takes 28.2 minutes on its critical path when the agent waits for the database, 21.8 when it prepares meanwhile", () => {
        const { before: waiting, after: overlapping } = firstDeploymentFigures(run.resources);
        assert.equal(waiting.seconds, 1690);
        assert.equal(overlapping.seconds, 1305);
        assert.deepEqual(waiting.path.map(({ step }) => step.label), [
            "mendix-rg", "mendix-sql-server", "mendix-sql-app", "mendix-agent-node-0-app-settings",
            "mendix-agent-node-0-agent: preparation", "mendix-agent-node-0-agent: app started",
        ]);
        assert.deepEqual(overlapping.path.slice(-3).map(({ step }) => step.label), [
            "mendix-nodes-node-0-vm", "mendix-agent-node-0-agent: preparation", "mendix-agent-node-0-agent: app started",
        ]);
    });
});
