import { knownStacks, repositoryRoot } from "../offline/stackConfig";
import { resolveCommit } from "./gitRevision";
import { parsePlanArguments, planUsage, UsageError } from "./planArguments";
import { PlanReport } from "./planReport";
import { exitCodes, verdictExitCode } from "./planVerdict";
import { renderMarkdown } from "./renderMarkdown";
import { renderText } from "./renderText";
import type * as StackEvaluation from "./stackEvaluation";

// A program that throws inside Pulumi's stack resource also leaves the SDK's own bookkeeping
// rejected, often once per output of each resource involved; once the failure is reported, that
// report of it again adds nothing. Any other is said at exit, each distinct message once.
let failureReported = false;
const unhandled = new Set<string>();
process.on("unhandledRejection", (reason: unknown) => {
    if (!failureReported) {
        unhandled.add(reason instanceof Error ? reason.stack ?? reason.message : String(reason));
        process.exitCode = exitCodes.failed;
    }
});
process.on("exit", () => {
    for (const message of failureReported ? [] : unhandled) {
        process.stderr.write(`plan: ${message}\n`);
    }
});

/** `npm run plan`: see `planUsage`. Returns the exit code. */
async function main(argv: readonly string[]): Promise<number> {
    let args;
    try {
        args = parsePlanArguments(argv);
    } catch (error) {
        if (error instanceof UsageError) {
            process.stderr.write(`plan: ${error.message}\nRun \`npm run plan -- --help\` for the options.\n`);
            return exitCodes.usage;
        }
        throw error;
    }
    if (args.help) {
        process.stdout.write(planUsage);
        return exitCodes.ok;
    }
    const stacks = knownStacks();
    if (!stacks.includes(args.stack)) {
        process.stderr.write(`plan: --stack: got ${JSON.stringify(args.stack)}; allowed: ${stacks.join(", ")} (a stack with a Pulumi.<stack>.yaml here)\n`);
        return exitCodes.usage;
    }
    const commit = args.against === undefined ? undefined : resolveCommit(repositoryRoot, args.against);
    if (args.against !== undefined && commit === undefined) {
        process.stderr.write(`plan: --against: got ${JSON.stringify(args.against)}; allowed: a branch, tag or commit of this git repository (fetch it first if it is remote)\n`);
        return exitCodes.usage;
    }
    // Loaded only now: it loads Pulumi and the program, which a usage error or --help need not wait for.
    const { compareWithRevision, EvaluationError, planWorkingTree, RefusedInputError } = require("./stackEvaluation") as typeof StackEvaluation;
    let report: PlanReport;
    try {
        report = args.against === undefined || commit === undefined
            ? await planWorkingTree(args.stack, args.strict)
            : await compareWithRevision(args.stack, args.against, commit, args.strict);
    } catch (error) {
        if (error instanceof EvaluationError) {
            failureReported = true;
            process.stderr.write(`plan: ${error.message}\n`);
            return error instanceof RefusedInputError ? exitCodes.refused : exitCodes.failed;
        }
        throw error;
    }
    process.stdout.write(args.format === "markdown" ? renderMarkdown(report) : renderText(report));
    return report.kind === "comparison" ? verdictExitCode(report.verdict) : exitCodes.ok;
}

main(process.argv.slice(2)).then(
    (code) => {
        process.exitCode = code;
    },
    (error: unknown) => {
        process.stderr.write(`plan: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
        process.exitCode = exitCodes.failed;
    },
);
