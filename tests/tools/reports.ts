import { compareStacks, evaluatedStack, StackComparison, StackPlan } from "../../tools/planReport";
import { RegisteredResource } from "../harness/offThread";
import { clusterResources, nodeDeployment, resource } from "./fixtures";

/** Plans and comparisons built from fixture resources, for the renderers' tests. */

export const sqlServer = (location: string) =>
    resource("azure-native:sql:Server", "mendix-sql-server", { serverName: "mx-prod-sql", location }, { protect: true, retainOnDelete: true });

export function fixturePlan(resources: readonly RegisteredResource[] = [...clusterResources(3), sqlServer("westeurope")], notes: string[] = []): StackPlan {
    return { kind: "plan", stack: evaluatedStack("prod", "working tree", { resources, outputs: { leader: "node-0" } }, notes) };
}

/** Three nodes to four, SessionTimeout 600000 to 900000 and, when `moveServer`, the SQL server to another region. */
export function fixtureComparison(moveServer: boolean): StackComparison {
    const before = evaluatedStack("prod", "main (abc1234)", {
        resources: [...clusterResources(3, { SessionTimeout: "600000" }), sqlServer("westeurope")],
        outputs: { leader: "node-0" },
    });
    const after = evaluatedStack("prod", "working tree", {
        resources: [...clusterResources(4, { SessionTimeout: "900000" }), sqlServer(moveServer ? "northeurope" : "westeurope")],
        outputs: { leader: "node-0" },
    });
    return compareStacks(before, after);
}

/** Three nodes to two: node-2 leaves with its own resources. */
export function fixtureScaleIn(): StackComparison {
    const stack = (nodes: number, revision: string) => evaluatedStack("prod", revision, {
        resources: Array.from({ length: nodes }, (_, index) => nodeDeployment(index)).flat(), outputs: { leader: "node-0" },
    });
    return compareStacks(stack(3, "main (abc1234)"), stack(2, "working tree"));
}
