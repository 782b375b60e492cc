import { criticalPath, CriticalPath, DeploymentModel, deploymentSteps } from "./criticalPath";
import { typicalTimes } from "./deploymentTimes";
import { GraphResource, withAddedDependencies } from "./dependencyGraph";

const sqlServerType = "azure-native:sql:Server";
const sqlDatabaseType = "azure-native:sql:Database";

/**
 * The node agent's run is its Custom Script Extension. Creating and starting an app needs its
 * database, and inside the virtual network the name that resolves to the server's private
 * endpoint: the agent waits for them at run time.
 */
export const firstDeploymentModel: DeploymentModel = {
    times: typicalTimes,
    // The agent's Custom Script Extension, `<component>-<node>-agent`; a node has other extensions (monitoring).
    isAgentRun: (resource) => resource.type === "azure-native:compute:VirtualMachineExtension" && /-node-\d+-agent$/.test(resource.name),
    appNeeds: (resource) => [sqlDatabaseType, "azure-native:network:PrivateDnsZoneGroup", "azure-native:privatedns:VirtualNetworkLink"].includes(resource.type),
};

const isSettingsBlob = (resource: GraphResource) => resource.type === "azure-native:storage:Blob" && resource.name.endsWith("-settings");

/**
 * The graph as it was while the settings blobs were rendered from the SQL server's and databases'
 * outputs: each settings blob waited for them, and so did every agent run.
 */
export function withSettingsFromDatabaseOutputs<T extends GraphResource>(resources: readonly T[]): T[] {
    return withAddedDependencies(resources, isSettingsBlob, (resource) => [sqlServerType, sqlDatabaseType].includes(resource.type));
}

export interface FirstDeploymentFigures {
    /** The agent's run waiting for the database before it starts. */
    readonly before: CriticalPath;
    /** The agent preparing while the database is created, waiting only before the app. */
    readonly after: CriticalPath;
}

export function firstDeploymentFigures(resources: readonly GraphResource[]): FirstDeploymentFigures {
    return {
        before: criticalPath(deploymentSteps(withSettingsFromDatabaseOutputs(resources), firstDeploymentModel)),
        after: criticalPath(deploymentSteps(resources, firstDeploymentModel)),
    };
}
