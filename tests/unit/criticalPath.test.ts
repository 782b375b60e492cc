import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { criticalPath, DeploymentModel, deploymentSteps, Step } from "../../tools/criticalPath";
import { dependencyClosure, GraphResource, urnType, withAddedDependencies } from "../../tools/dependencyGraph";
import { withSettingsFromDatabaseOutputs } from "../../tools/firstDeploymentPath";

const urn = (type: string, name: string, parents = "mendix:cluster:MendixCluster") => `urn:pulumi:prod::mendix-cluster::${parents}$${type}::${name}`;
const component = urn("mendix:cluster:Database", "sql");

function resource(type: string, name: string, dependencies: readonly string[] = [], parentUrn = ""): GraphResource {
    return { urn: urn(type, name), type, name, parentUrn, custom: !type.startsWith("mendix:"), dependencies };
}

/** A node and a database, the node's settings blob rendered without the database. */
const group = resource("azure-native:resources:ResourceGroup", "rg");
const server = resource("azure-native:sql:Server", "server", [group.urn], component);
const database = resource("azure-native:sql:Database", "db", [server.urn], component);
const vm = resource("azure-native:compute:VirtualMachine", "vm", [group.urn]);
const blob = resource("azure-native:storage:Blob", "node-0-app-settings", [group.urn]);
const agent = resource("azure-native:compute:VirtualMachineExtension", "node-0-agent", [vm.urn, blob.urn]);
const follower = resource("azure-native:compute:VirtualMachineExtension", "node-1-agent", [vm.urn, agent.urn]);
const sqlComponent: GraphResource = { urn: component, type: "mendix:cluster:Database", name: "sql", parentUrn: "", custom: false, dependencies: [] };
const graph = [sqlComponent, group, server, database, vm, blob, agent];

const model: DeploymentModel = {
    times: {
        byType: {
            "azure-native:resources:ResourceGroup": { seconds: 5, source: "rg" },
            "azure-native:sql:Server": { seconds: 100, source: "server" },
            "azure-native:sql:Database": { seconds: 600, source: "database" },
            "azure-native:compute:VirtualMachine": { seconds: 200, source: "vm" },
        },
        otherwise: { seconds: 10, source: "other" },
        agentPreparation: { seconds: 700, source: "preparation" },
        appStart: { seconds: 300, source: "app" },
    },
    isAgentRun: (candidate) => candidate.type === "azure-native:compute:VirtualMachineExtension",
    appNeeds: (candidate) => candidate.type === "azure-native:sql:Database",
};

const labels = (steps: readonly { step: Step }[]) => steps.map(({ step }) => step.label);

describe("the dependency graph", () => {
    it("reads a resource's type from its URN", () => {
        assert.equal(urnType(database.urn), "azure-native:sql:Database");
    });

    it("walks dependencies transitively, a component standing for everything under it", () => {
        const onComponent = resource("azure-native:network:PrivateEndpoint", "pe", [component]);
        assert.deepEqual([...dependencyClosure([...graph, onComponent], onComponent.urn)].sort(), [server.urn, database.urn, group.urn].sort());
        assert.deepEqual([...dependencyClosure(graph, agent.urn)].sort(), [group.urn, vm.urn, blob.urn].sort());
    });

    it("adds dependencies where asked", () => {
        const before = withSettingsFromDatabaseOutputs(graph);
        assert.deepEqual(before.find((candidate) => candidate.urn === blob.urn)?.dependencies, [group.urn, server.urn, database.urn]);
        assert.deepEqual(before.find((candidate) => candidate.urn === vm.urn)?.dependencies, [group.urn]);
        assert.deepEqual(withAddedDependencies(graph, () => false, () => true), graph);
    });
});

describe("the critical path", () => {
    it("splits an agent run into preparation, after its dependencies, and the app, after the database too", () => {
        const steps = deploymentSteps([...graph, follower], model);
        assert.deepEqual(steps.find((step) => step.label === "node-0-agent: preparation")?.after, [vm.urn, blob.urn]);
        assert.deepEqual(steps.find((step) => step.label === "node-0-agent: app started")?.after, [`${agent.urn}#preparation`, database.urn]);
        // Waiting for another agent run is waiting for the end of its run.
        assert.deepEqual(steps.find((step) => step.label === "node-1-agent: preparation")?.after, [vm.urn, `${agent.urn}#app`]);
    });

    it("overlaps the preparation with the database when nothing makes it wait", () => {
        const path = criticalPath(deploymentSteps(graph, model));
        // vm 5 -> 205, preparation -> 905; database 105 -> 705; app from 905 -> 1205
        assert.equal(path.seconds, 1205);
        assert.deepEqual(labels(path.path), ["rg", "vm", "node-0-agent: preparation", "node-0-agent: app started"]);
        assert.deepEqual(path.path.map(({ startsAt, endsAt }) => [startsAt, endsAt]), [[0, 5], [5, 205], [205, 905], [905, 1205]]);
    });

    it("runs the preparation after the database when the settings wait for it", () => {
        const path = criticalPath(deploymentSteps(withSettingsFromDatabaseOutputs(graph), model));
        // database ends at 705, blob 715, preparation 1415, app 1715
        assert.equal(path.seconds, 1715);
        assert.deepEqual(labels(path.path), ["rg", "server", "db", "node-0-app-settings", "node-0-agent: preparation", "node-0-agent: app started"]);
    });

    it("refuses steps that wait in a circle", () => {
        const loop: Step[] = [
            { id: "a", label: "a", time: { seconds: 1, source: "" }, after: ["b"] },
            { id: "b", label: "b", time: { seconds: 1, source: "" }, after: ["a"] },
        ];
        assert.throws(() => criticalPath(loop), /wait in a circle: a -> b -> a/);
    });
});
