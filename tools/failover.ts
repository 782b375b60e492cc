import { DefaultAzureCredential } from "@azure/identity";
import { parseClusterConfig } from "../components/config/parseClusterConfig";
import { InputError } from "../components/inputError";
import { clusterNames } from "../components/plan/names";
import { assembleConfig, knownStacks } from "../offline/stackConfig";
import { standInConfig } from "../offline/standIns";
import { ArmClient } from "./failover/armClient";
import { runFailover } from "./failover/regionFailover";

/**
 * `npm run failover -- --stack prod [--back] [--subscription <id>] [--yes [--force]]`: fail the
 * stack over to its standby region (or, with --back, back to its own), with the operator's Azure
 * sign-in (`az login`, or any credential DefaultAzureCredential finds). Without --yes it prints what
 * it would do and changes nothing. A plan with a step that can lose data (a forced database failover,
 * an unplanned storage failover) is carried out only with --force as well; --force also counts a
 * stack region that answers with an HTTP error as lost. Exit codes: 0 done (or only shown), 1 a step
 * failed, 2 refused or bad arguments. See docs/losing-a-region.md.
 */

const usage = "usage: npm run failover -- --stack <stack> [--back] [--subscription <id>] [--yes [--force]]";
const knownFlags = new Set(["--stack", "--back", "--subscription", "--yes", "--force", "--help"]);

function argument(args: readonly string[], name: string): string | undefined {
    const index = args.indexOf(name);
    return index >= 0 ? args[index + 1] : undefined;
}

async function main(args: readonly string[]): Promise<number> {
    const stack = argument(args, "--stack");
    const unknown = args.filter((arg, index) => arg.startsWith("--") && !knownFlags.has(arg) && args[index - 1] !== "--subscription");
    if (stack === undefined || !knownStacks().includes(stack) || args.includes("--help") || unknown.length > 0) {
        console.error(`${usage}\nstacks: ${knownStacks().join(", ")}`);
        return 2;
    }
    const subscriptionId = argument(args, "--subscription") ?? process.env["AZURE_SUBSCRIPTION_ID"];
    if (subscriptionId === undefined) {
        console.error("--subscription <id> (or AZURE_SUBSCRIPTION_ID) names the stack's subscription: az account show --query id --output tsv");
        return 2;
    }
    const raw = assembleConfig(stack, standInConfig);
    const location = raw.values["azure-native:location"];
    const config = parseClusterConfig({ values: Object.fromEntries(Object.entries(raw.values)
        .filter(([key]) => key.startsWith("mendix-cluster:")).map(([key, value]) => [key.slice("mendix-cluster:".length), value])), secretKeys: new Set(), securePaths: new Map() }, location);
    if (config.standby === undefined || location === undefined) {
        console.error(`stack ${stack} has no standby (the config key standby): there is nowhere to fail over to`);
        return 2;
    }
    const outcome = await runFailover({
        arm: new ArmClient({ credential: new DefaultAzureCredential(), requestTimeoutMs: 30_000, maxRetries: 2, retryDelayMs: 2_000, pollIntervalMs: 10_000 }),
        subscriptionId,
        primaryNames: clusterNames(stack),
        standbyNames: clusterNames(stack, "standby"),
        locations: { primary: location, standby: config.standby.location },
        apps: config.apps.map((app) => app.name),
        direction: args.includes("--back") ? "toPrimary" : "toStandby",
        act: args.includes("--yes"),
        force: args.includes("--force"),
        log: (line) => console.log(line),
        // Microsoft: a failover you start typically ends within 60 s (here 10 min, then the command stops before the storage step); a node's apps within rollout.readyTimeoutSeconds.
        // Microsoft: a storage failover typically ends within 60 min (here 90, then the command stops before any app starts).
        waits: {
            databaseMs: 10 * 60_000, storageMs: 90 * 60_000,
            runCommandMs: (config.rollout.readyTimeoutSeconds + 300) * 1000, readySeconds: config.rollout.readyTimeoutSeconds,
        },
    });
    return outcome.exitCode;
}

main(process.argv.slice(2)).then((code) => process.exit(code), (error: unknown) => {
    console.error(error instanceof InputError ? error.message : error);
    process.exit(error instanceof InputError ? 2 : 1);
});
