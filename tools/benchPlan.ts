import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parseDocument } from "yaml";
import { repositoryRoot } from "../offline/stackConfig";
import { commitAll, copyIntoScratchRepository } from "./scratchRepository";

/**
 * `npm run bench:plan [-- --nodes 3,10,50 --runs 1]`: the wall time of `npm run plan -- --stack prod`
 * and of `npm run plan -- --stack prod --against HEAD` for prod at each node count, in a scratch copy
 * of this working tree (its HEAD is the same stack, so the comparison finds nothing to do and the time
 * is the two evaluations'). A benchmark to run by hand on a quiet machine, not a test.
 */

interface Timing {
    readonly nodes: number;
    readonly resources: number;
    readonly planSeconds: number;
    readonly againstSeconds: number;
}

function option(name: string, fallback: string): string {
    const index = process.argv.indexOf(name);
    return index >= 0 ? process.argv[index + 1] ?? fallback : fallback;
}

function npmPlan(directory: string, args: readonly string[]): Promise<{ seconds: number; stdout: string }> {
    const started = process.hrtime.bigint();
    return new Promise((resolve, reject) => {
        execFile("npm", ["run", "--silent", "plan", "--", ...args], { cwd: directory, maxBuffer: 64 * 2 ** 20 }, (error, stdout, stderr) => {
            if (error !== null) {
                reject(new Error(`npm run plan -- ${args.join(" ")} failed: ${stderr}`));
                return;
            }
            resolve({ seconds: Number(process.hrtime.bigint() - started) / 1e9, stdout });
        });
    });
}

function setNodeCount(directory: string, nodes: number): void {
    const file = path.join(directory, "Pulumi.prod.yaml");
    const document = parseDocument(fs.readFileSync(file, "utf8"));
    document.setIn(["config", "mendix-cluster:nodeCount"], nodes);
    fs.writeFileSync(file, document.toString());
    commitAll(directory, `prod with ${nodes} nodes`);
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

async function measure(directory: string, nodes: number, runs: number): Promise<Timing> {
    setNodeCount(directory, nodes);
    const plans: number[] = [];
    const comparisons: number[] = [];
    let resources = Number.NaN;
    for (let run = 0; run < runs; run++) {
        const planned = await npmPlan(directory, ["--stack", "prod"]);
        resources = Number(/^(\d+) resources; /m.exec(planned.stdout)?.[1] ?? Number.NaN);
        plans.push(planned.seconds);
        comparisons.push((await npmPlan(directory, ["--stack", "prod", "--against", "HEAD"])).seconds);
    }
    return { nodes, resources, planSeconds: median(plans), againstSeconds: median(comparisons) };
}

async function main(): Promise<void> {
    const counts = option("--nodes", "3,10,50").split(",").map(Number);
    const runs = Number(option("--runs", "1"));
    const directory = copyIntoScratchRepository(repositoryRoot);
    try {
        const timings: Timing[] = [];
        for (const nodes of counts) {
            timings.push(await measure(directory, nodes, runs));
            const last = timings[timings.length - 1];
            process.stderr.write(`measured ${nodes} nodes: ${JSON.stringify(last)}\n`);
        }
        const first = timings[0];
        const lines = [
            `npm run plan for prod, median of ${runs} run${runs === 1 ? "" : "s"} each (seconds, wall time)`,
            "| nodes | resources | plan | plan --against HEAD | --against per 100 resources |",
            "| ---: | ---: | ---: | ---: | ---: |",
            ...timings.map((timing) => `| ${timing.nodes} | ${timing.resources} | ${timing.planSeconds.toFixed(1)} | ${timing.againstSeconds.toFixed(1)} | ${(timing.againstSeconds / timing.resources * 100).toFixed(2)} |`),
        ];
        if (first !== undefined && timings.length > 1) {
            const last = timings[timings.length - 1] ?? first;
            lines.push("", `${first.nodes} -> ${last.nodes} nodes: x${(last.resources / first.resources).toFixed(1)} the resources, ` +
                `x${(last.againstSeconds / first.againstSeconds).toFixed(1)} the time of plan --against HEAD`);
        }
        process.stdout.write(`${lines.join("\n")}\n`);
    } finally {
        fs.rmSync(directory, { recursive: true, force: true });
    }
}

main().catch((error: unknown) => {
    process.stderr.write(`bench:plan: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
});
