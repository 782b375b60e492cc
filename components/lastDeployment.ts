import * as pulumi from "@pulumi/pulumi";

/** What this stack's last deployment left in its outputs; empty for a stack never deployed. */
export interface LastDeployment {
    /** Names of the nodes it had. */
    readonly nodes: readonly string[];
    /** App name -> SHA-256 of the model it deployed. */
    readonly models: Readonly<Record<string, string>>;
}

export const neverDeployed: LastDeployment = { nodes: [], models: {} };

/** The outputs as the stack wrote them; anything else (an older stack's, none at all) reads as nothing. */
export function lastDeploymentFrom(nodesOutput: unknown, modelsOutput: unknown): LastDeployment {
    const nodes = Array.isArray(nodesOutput)
        ? nodesOutput.flatMap((node: { name?: unknown } | null) => (typeof node?.name === "string" ? [node.name] : []))
        : [];
    const models = typeof modelsOutput === "object" && modelsOutput !== null
        ? Object.fromEntries(Object.entries(modelsOutput).filter((entry): entry is [string, string] => typeof entry[1] === "string"))
        : {};
    return { nodes, models };
}

/**
 * Reads the stack's own outputs through a stack reference to itself, before any resource is
 * registered, so that the rollout is decided on plain values (a preview reads them too: a stack
 * reference is read, not created). The rollout orders only nodes that already run, and a model
 * that differs from the deployed one goes to the leader first.
 */
export async function readLastDeployment(): Promise<LastDeployment> {
    const self = new pulumi.StackReference("last-deployment", {
        name: `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`,
    });
    const [nodes, models] = await Promise.all([self.getOutputDetails("nodes"), self.getOutputDetails("deployedModels")]);
    return lastDeploymentFrom(nodes.value ?? nodes.secretValue, models.value ?? models.secretValue);
}
