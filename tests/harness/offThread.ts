import * as path from "node:path";
import { Worker } from "node:worker_threads";
import type { RegisteredResource, StackRun } from "../../offline/stackRun";
import { EvaluationReply, EvaluationRequest, WorkerRunOptions } from "./evaluationMessages";

export { byType } from "../../offline/stackRun";
export type { RegisteredResource, StackRun } from "../../offline/stackRun";
export type { WorkerRunOptions as RunOptions } from "./evaluationMessages";

/**
 * The offline evaluation for tests, run on a worker thread. The test runner watches every promise
 * of its own thread (an async hook with a destroy callback per promise, to tie async work to its
 * test), and an evaluation makes tens of thousands: on the test thread one takes about four times
 * as long. The worker lives as long as the test process (one per group of files, see
 * tests/groups/partition.ts), so identical evaluations in its files are made once (see `remembered`
 * in offline/evaluate.ts).
 */

const workerFile = path.join(__dirname, "evaluationWorker.ts");
// A worker runs its process's preloads first: the test command's `--require`s (the TypeScript
// loader, tests/preload.cjs) apply on it as on the test thread.
const bootstrap = `
if (require("node:module")._extensions[".ts"] === undefined) {
    throw new Error("the evaluation worker cannot load TypeScript: start node with --require ./tools/loadTypeScript.cjs, as the test command does");
}
require(${JSON.stringify(workerFile)});
`;

let worker: Worker | undefined;
let nextId = 0;
const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();

function startedWorker(): Worker {
    if (worker !== undefined) {
        return worker;
    }
    const started = new Worker(bootstrap, { eval: true });
    started.on("message", (reply: EvaluationReply) => {
        const waiting = pending.get(reply.id);
        if (waiting === undefined) {
            throw new Error(`the evaluation worker answered request ${reply.id}, which nothing waits for`);
        }
        pending.delete(reply.id);
        if (pending.size === 0) {
            started.unref();
        }
        if (reply.error !== undefined) {
            const error = new Error(reply.error.message);
            error.name = reply.error.name;
            error.stack = reply.error.stack;
            waiting.reject(error);
        } else {
            waiting.resolve(reply.result);
        }
    });
    started.on("error", (error) => {
        for (const waiting of pending.values()) {
            waiting.reject(error);
        }
        pending.clear();
        worker = undefined;
    });
    worker = started;
    return started;
}

function evaluate<T>(kind: EvaluationRequest["kind"], options: WorkerRunOptions): Promise<T> {
    const target = startedWorker();
    const id = nextId++;
    const request: EvaluationRequest = { id, kind, options };
    return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        // The process waits for the worker only while an evaluation is under way.
        target.ref();
        target.postMessage(request);
    });
}

/** `runStack` of offline/evaluate.ts, on the worker. */
export function runStack(options: WorkerRunOptions = {}): Promise<StackRun> {
    return evaluate("runStack", options);
}

/** `runFailingDeployment` of offline/evaluate.ts, on the worker. */
export function runFailingDeployment(options: WorkerRunOptions): Promise<{ message: string; resources: readonly RegisteredResource[] }> {
    return evaluate("runFailingDeployment", options);
}

/** `runStackExpectingFailure` of offline/evaluate.ts, on the worker. */
export function runStackExpectingFailure(options: WorkerRunOptions): Promise<{ message: string; registered: number }> {
    return evaluate("runStackExpectingFailure", options);
}
