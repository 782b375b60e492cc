import * as pulumi from "@pulumi/pulumi";
import { readSecretIssue, SecretIssue } from "./plan/secretRotation";

/** What this stack's last deployment left in its outputs; empty for a stack never deployed. */
export interface LastDeployment {
    /** Names of the nodes it had. */
    readonly nodes: pulumi.Output<string[]>;
    /** App name -> SHA-256 of the model it deployed. */
    readonly models: pulumi.Output<Record<string, string>>;
    /** The rotation generation its secrets belong to, and the day they were issued. */
    readonly secretIssue: pulumi.Output<SecretIssue | undefined>;
}

/**
 * Reads the stack's own outputs through a stack reference to itself. The rollout orders only nodes
 * that already run (a new node's first deployment waits for no one), and a model that differs from
 * the deployed one goes to the leader first.
 */
export function readLastDeployment(): LastDeployment {
    const self = new pulumi.StackReference("last-deployment", {
        name: `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`,
    });
    const nodes = self.getOutput("nodes").apply((value: unknown) =>
        Array.isArray(value) ? value.flatMap((node: { name?: unknown }) => (typeof node?.name === "string" ? [node.name] : [])) : []);
    const models = self.getOutput("deployedModels").apply((value: unknown) =>
        typeof value === "object" && value !== null
            ? Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === "string"))
            : {});
    const secretIssue = self.getOutput("secretRotation").apply((value: unknown) => readSecretIssue(value));
    return { nodes, models, secretIssue };
}
