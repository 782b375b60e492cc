import type { RunOptions } from "../../offline/evaluate";

/**
 * How a test asks for an evaluation: `RunOptions` less the program function, which cannot cross
 * threads; `entryPoint` names a module of the repository to run as the program instead, as
 * `pulumi up` loads index.ts (its exports are the stack outputs).
 */
export type WorkerRunOptions = Omit<RunOptions, "program"> & { readonly entryPoint?: string };

/** What the test thread asks the evaluation worker for. */
export interface EvaluationRequest {
    readonly id: number;
    readonly kind: "runStack" | "runStackExpectingFailure" | "runFailingDeployment";
    readonly options: WorkerRunOptions;
}

/** The worker's answer: the evaluation's result, or the error it stopped with. */
export type EvaluationReply =
    | { readonly id: number; readonly result: unknown; readonly error?: undefined }
    | { readonly id: number; readonly error: { readonly name: string; readonly message: string; readonly stack: string } };
