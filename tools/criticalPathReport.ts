import { runStack } from "../offline/evaluate";
import { CriticalPath } from "./criticalPath";
import { firstDeploymentFigures } from "./firstDeploymentPath";

/** `npm run critical-path [stack]`: the first deployment's critical path, before and after the overlap. */

const minutes = (seconds: number) => `${(seconds / 60).toFixed(1)} min`;

export function renderCriticalPath(title: string, path: CriticalPath): string {
    const rows = path.path.map(({ step, startsAt, endsAt }) =>
        `  ${minutes(startsAt).padStart(9)} -> ${minutes(endsAt).padStart(9)}  ${step.label} (${step.time.seconds} s, ${step.time.source})`);
    return [`${title}: ${minutes(path.seconds)} (${path.seconds} s)`, ...rows].join("\n");
}

async function main(): Promise<void> {
    const stack = process.argv[2] ?? "prod";
    const run = await runStack({ stack });
    const figures = firstDeploymentFigures(run.resources);
    process.stdout.write([
        `First deployment of stack ${stack}, with unlimited parallelism and the typical times of tools/deploymentTimes.ts:`,
        renderCriticalPath("before (each agent run waits for the database to exist)", figures.before),
        renderCriticalPath("after (the agent prepares while the database is created)", figures.after),
        "",
    ].join("\n\n"));
}

if (require.main === module) {
    main().catch((error: unknown) => {
        process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
    });
}
