import * as path from "node:path";
import { parentPort } from "node:worker_threads";
import { RunOptions, runStack, runStackExpectingFailure } from "../../offline/evaluate";
import { repositoryRoot } from "../../offline/stackConfig";
import { EvaluationReply, EvaluationRequest, WorkerRunOptions } from "./evaluationMessages";

/** The worker thread of `offThread.ts`: evaluates what the test thread asks for, one request at a time. */
const port = parentPort ?? (() => {
    throw new Error("evaluationWorker.ts runs as a worker thread, started by tests/harness/offThread.ts");
})();

const evaluations: Record<EvaluationRequest["kind"], (options: RunOptions) => Promise<unknown>> = {
    runStack,
    runStackExpectingFailure,
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

let queue: Promise<void> = Promise.resolve();

port.on("message", (request: EvaluationRequest) => {
    // Pulumi's runtime is one per thread: evaluations take turns.
    queue = queue.then(async () => {
        let reply: EvaluationReply;
        try {
            reply = { id: request.id, result: await evaluations[request.kind](runOptions(request.options)) };
        } catch (error) {
            const failure = error instanceof Error ? error : new Error(String(error));
            reply = { id: request.id, error: { name: failure.name, message: failure.message, stack: failure.stack ?? "" } };
        }
        port.postMessage(reply);
    });
});
