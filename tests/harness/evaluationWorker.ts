import * as path from "node:path";
import { parentPort } from "node:worker_threads";
import { runFailingDeployment, RunOptions, runStack, runStackExpectingFailure } from "../../offline/evaluate";
import { noAnswer } from "../../offline/azureMocks";
import { repositoryRoot } from "../../offline/stackConfig";
import { EvaluationReply, EvaluationRequest, WorkerRunOptions } from "./evaluationMessages";

/**
 * Pulumi serialises a dynamic resource's provider (`@pulumi/pulumi/runtime/closure/createClosure.js`)
 * after requiring every built-in module once, to recognise them; `trace_events` cannot be loaded in a
 * worker thread (ERR_TRACE_EVENTS_UNAVAILABLE), and the serialisation would fail. Nothing the program
 * serialises uses it: the worker leaves it out of the list.
 */
const nodeModule = require("node:module") as { builtinModules: readonly string[] };
nodeModule.builtinModules = nodeModule.builtinModules.filter((name) => name !== "trace_events");

/** The worker thread of `offThread.ts`: evaluates what the test thread asks for, one request at a time. */
const port = parentPort ?? (() => {
    throw new Error("evaluationWorker.ts runs as a worker thread, started by tests/harness/offThread.ts");
})();

const evaluations: Record<EvaluationRequest["kind"], (options: RunOptions) => Promise<unknown>> = {
    runStack,
    runStackExpectingFailure,
    runFailingDeployment,
};

function runOptions({ entryPoint, ...options }: WorkerRunOptions): RunOptions {
    if (entryPoint === undefined) {
        return options;
    }
    const file = path.join(repositoryRoot, entryPoint);
    return {
        ...options,
        program: () => {
            // The module runs the program as it loads: each evaluation loads it afresh.
            delete require.cache[require.resolve(file)];
            return require(file) as unknown;
        },
    };
}

/**
 * Rejections nothing handled during the current evaluation. A program that fails inside Pulumi's
 * stack resource leaves the SDK's own bookkeeping rejected with the program's error (the CLI
 * reports it once): those repeat the failure the caller is told of, or the one it asked the mocks
 * for. Any other is a failure of the evaluation, reported as one rather than ending the worker.
 */
let unhandled: unknown[] = [];
process.on("unhandledRejection", (reason: unknown) => {
    unhandled.push(reason);
});

const messageOf = (reason: unknown) => (reason instanceof Error ? reason.message : String(reason));

function failureReply(id: number, error: unknown): EvaluationReply {
    const failure = error instanceof Error ? error : new Error(String(error));
    return { id, error: { name: failure.name, message: failure.message, stack: failure.stack ?? "" } };
}

async function answer(request: EvaluationRequest): Promise<EvaluationReply> {
    unhandled = [];
    let reply: EvaluationReply;
    try {
        reply = { id: request.id, result: await evaluations[request.kind](runOptions(request.options)) };
    } catch (error) {
        reply = failureReply(request.id, error);
    }
    // Rejections are reported once the microtasks of a turn have run.
    await new Promise((resolve) => setImmediate(resolve));
    // A failure the mocks were asked for (`failures`, a lost resource group's call) also rejects the SDK's bookkeeping of every output that waited for it.
    const asked = [...Object.values(request.options.failures ?? {}), ...(request.options.lostResourceGroups ?? []).map((group) => `on resource group ${group}: ${noAnswer}`)];
    const repeats = (reason: unknown) => (reply.error !== undefined && messageOf(reason) === reply.error.message) || asked.some((failure) => messageOf(reason).includes(failure));
    const stray = unhandled.filter((reason) => !repeats(reason));
    return stray.length === 0 ? reply : failureReply(request.id, new Error(`the evaluation left rejections unhandled: ${stray.map(messageOf).join("; ")}`));
}

let queue: Promise<void> = Promise.resolve();

port.on("message", (request: EvaluationRequest) => {
    // Pulumi's runtime is one per thread: evaluations take turns.
    queue = queue.then(async () => port.postMessage(await answer(request)));
});
