import * as pulumi from "@pulumi/pulumi";
import { projectName } from "../components/config/contract";
import { mendixClusterProgram, ProgramOptions } from "../components/program";
import { azureMocks, ReportedRestorable, ReportedVm } from "./azureMocks";
import { assembleConfig, ConfigValue } from "./stackConfig";
import { standInConfig } from "./standIns";
import { MockedCall, RegisteredResource, StackRun } from "./stackRun";

/** Pulumi's marker for a secret value in what the SDK sends to the engine. */
const secretSignature = "1b47061264138c4ac30d75fd1eb44270";
const signatureKey = "4dabf18193072939515e22adb298388d";

export type { RegisteredResource, StackRun } from "./stackRun";
export { byType } from "./stackRun";

export interface RunOptions extends ProgramOptions {
    /** `dev` or `prod` reads that stack file; undefined starts from Pulumi.yaml's defaults alone. */
    readonly stack?: string;
    readonly config?: Readonly<Record<string, ConfigValue | undefined>>;
    /** Config set with --secret. */
    readonly secrets?: Readonly<Record<string, string>>;
    readonly location?: string | null;
    /** The stack outputs of the last deployment (a stack never deployed has none). */
    readonly lastOutputs?: Readonly<Record<string, unknown>>;
    /** Subscription feature states by `<namespace>/<feature>` (see `azureMocks`); every feature Registered by default. */
    readonly featureStates?: Readonly<Record<string, string>>;
    /** Logical name -> the error creating that resource fails with (see `azureMocks`). */
    readonly failures?: Readonly<Record<string, string>>;
    /** Resource groups whose region is down: a call about a resource in one gets no answer (see `azureMocks`). */
    readonly lostResourceGroups?: readonly string[];
    /** VM name -> what Azure reports of that deployed VM (see `azureMocks`); offline, none can be read. */
    readonly vms?: Readonly<Record<string, ReportedVm>>;
    /** How far back Azure says it can restore the files and each database now (see `azureMocks`). */
    readonly restorable?: ReportedRestorable;
    /** The directory that holds Pulumi.yaml and the stack files, where the config's relative paths start; this repository by default. */
    readonly projectDirectory?: string;
    /** The program to run; this repository's `mendixClusterProgram` by default (another revision's, say). */
    readonly program?: (options: ProgramOptions) => unknown;
}

/** An alias as the SDK sends it when the engine supports alias specs (the mocks do): a URN or a spec. */
interface WireAlias {
    getUrn(): string;
    getSpec(): {
        getName(): string;
        getType(): string;
        getStack(): string;
        getProject(): string;
        getParenturn(): string;
        getNoparent(): boolean;
    } | undefined;
}

interface WireRequest {
    getAliasesList(): WireAlias[];
    getAliasurnsList(): string[];
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getProtect(): boolean;
    getRetainondelete(): boolean;
    getIgnorechangesList(): string[];
    getCustomtimeouts(): { getCreate(): string } | undefined;
    getDependenciesList(): string[];
    getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
    getOutputs(): { toJavaScript(): Record<string, unknown> } | undefined;
    getUrn(): string;
}

type WireCallback = (error: unknown, response: {
    getUrn?(): string;
    getId?(): string;
    getObject?(): { toJavaScript(): Record<string, unknown> } | undefined;
} | undefined) => void;

function isSecretValue(value: unknown): value is { value: unknown } {
    return typeof value === "object" && value !== null && (value as Record<string, unknown>)[signatureKey] === secretSignature;
}

/**
 * The URN an alias names, built as the mocks build every URN here (`MockMonitor.newUrn` in
 * @pulumi/pulumi's runtime/mocks.js: the parent's own type, `$`, the type), so that it matches
 * what an earlier run registered under these mocks.
 */
function aliasUrn(alias: WireAlias, request: WireRequest, stack: string): string {
    const spec = alias.getSpec();
    if (spec === undefined || alias.getUrn() !== "") {
        return alias.getUrn();
    }
    const type = spec.getType() || request.getType();
    const parentUrn = spec.getNoparent() ? "" : spec.getParenturn() || request.getParent();
    const parentType = parentUrn === "" ? undefined : parentUrn.split("::")[2]?.split("$").pop();
    const qualifiedType = parentType === undefined ? type : `${parentType}$${type}`;
    return `urn:pulumi:${spec.getStack() || stack}::${spec.getProject() || projectName}::${qualifiedType}::${spec.getName() || request.getName()}`;
}

/** Walks a value as sent to the engine, unwrapping secrets or replacing them. */
function decode(value: unknown, secretAs: (secret: unknown) => unknown): unknown {
    if (isSecretValue(value)) {
        return secretAs(decode(value.value, secretAs));
    }
    if (Array.isArray(value)) {
        return value.map((item) => decode(item, secretAs));
    }
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, decode(item, secretAs)]));
    }
    return value;
}

const unwrap = (wire: unknown) => decode(wire, (secret) => secret) as Record<string, unknown>;
const redact = (wire: unknown) => decode(wire, () => "[secret]") as Record<string, unknown>;

/** What the program itself is told: the stack files' directory is also where the config's relative paths start. */
function programOptions(options: RunOptions): ProgramOptions {
    return { agentDirectory: options.agentDirectory, projectDirectory: options.projectDirectory, now: options.now };
}

/**
 * Installs Pulumi's mocks and the stack's config, as the engine would before running the program;
 * `failedCall` rejects with the first call the mocks failed (`lostResourceGroups`), which
 * `pulumi up` reports as the update's error.
 */
async function prepareMockedRun(options: RunOptions): Promise<{ stack: string; failedCall: Promise<never>; calls: MockedCall[] }> {
    const stack = options.stack ?? "test";
    let failCall: (message: string) => void = () => undefined;
    const failedCall = new Promise<never>((_resolve, reject) => {
        failCall = (message) => reject(new Error(message));
    });
    // Nothing may wait on it: a run that makes no failing call leaves it pending.
    failedCall.catch(() => undefined);
    const mocks = azureMocks(options.lastOutputs, options.featureStates, options.failures, options.vms, options.lostResourceGroups, failCall, options.restorable);
    const calls: MockedCall[] = [];
    const recorded: pulumi.runtime.Mocks = {
        newResource: (args) => mocks.newResource(args),
        call: (args) => {
            const group = args.inputs["resourceGroupName"];
            calls.push({ token: args.token, resourceGroupName: typeof group === "string" ? group : undefined });
            return mocks.call(args);
        },
    };
    await pulumi.runtime.setMocks(recorded, projectName, stack, false, "organization");
    const config = assembleConfig(options.stack, { ...standInConfig, ...options.config }, options.secrets, options.projectDirectory);
    if (options.location !== null) {
        config.values["azure-native:location"] = options.location ?? config.values["azure-native:location"] ?? "westeurope";
    } else {
        delete config.values["azure-native:location"];
    }
    pulumi.runtime.setAllConfig(config.values, config.secretKeys);
    return { stack, failedCall, calls };
}

/**
 * Runs the real program under Pulumi's mocks, as `pulumi up` would for the given stack, and
 * returns everything it registered, read off the wire to the engine (so secrets show as secrets).
 */
export async function runStack(options: RunOptions = {}): Promise<StackRun> {
    return remembered("runStack", options, () => withoutStackTraces(() => evaluateStack(options)));
}

/**
 * Runs an evaluation with no stack traces taken. The SDK takes one for every promise it creates and
 * maps every resource's call site through the source maps, which was most of an evaluation's time;
 * none is read unless the program fails. A failing evaluation runs again with stack traces and
 * source maps, so its error says where it was thrown.
 */
async function withoutStackTraces<T>(evaluate: () => Promise<T>): Promise<T> {
    const limit = Error.stackTraceLimit;
    const sourceMaps = process.sourceMapsEnabled;
    const restore = () => {
        Error.stackTraceLimit = limit;
        process.setSourceMapsEnabled(sourceMaps);
    };
    Error.stackTraceLimit = 0;
    process.setSourceMapsEnabled(false);
    try {
        return await evaluate();
    } catch {
        restore();
        return await evaluate();
    } finally {
        restore();
    }
}

/** `failed`: told what had registered when the program fails. */
async function evaluateStack(options: RunOptions, failed?: (resources: readonly RegisteredResource[]) => void): Promise<StackRun> {
    const { stack, failedCall, calls } = await prepareMockedRun(options);
    const resources: RegisteredResource[] = [];
    failed?.(resources);
    let stackOutputs: Record<string, unknown> = {};
    const monitor = pulumi.runtime.getMonitor() as unknown as {
        registerResource(request: WireRequest, callback: WireCallback): Promise<void>;
        registerResourceOutputs(request: WireRequest, callback: WireCallback): void;
    };
    const registerResource = monitor.registerResource.bind(monitor);
    const refused: RefusedRegistration[] = [];
    monitor.registerResource = (request, callback) => registerResource(request, (error, response) => {
        if (error) {
            refused.push({ resource: `${request.getType()} ${request.getName()}`, reason: error instanceof Error ? error.message : String(error) });
        } else if (response?.getUrn) {
            const wire = request.getObject()?.toJavaScript() ?? {};
            resources.push({
                type: request.getType(),
                name: request.getName(),
                urn: response.getUrn(),
                id: response.getId?.() ?? "",
                parentUrn: request.getParent(),
                custom: request.getCustom(),
                inputs: unwrap(wire),
                visibleInputs: redact(wire),
                protect: request.getProtect(),
                retainOnDelete: request.getRetainondelete(),
                ignoreChanges: request.getIgnorechangesList(),
                createTimeout: request.getCustomtimeouts()?.getCreate() ?? "",
                dependencies: request.getDependenciesList(),
                aliases: [...request.getAliasurnsList(), ...request.getAliasesList().map((alias) => aliasUrn(alias, request, stack))],
                outputs: unwrap(response.getObject?.()?.toJavaScript() ?? {}),
            });
        }
        callback(error, response);
    });
    const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (request, callback) => {
        if (request.getUrn().endsWith(`::pulumi:pulumi:Stack::${projectName}-${stack}`)) {
            stackOutputs = request.getOutputs()?.toJavaScript() ?? {};
        }
        registerOutputs(request, callback);
    };

    // Without an engine, the SDK writes log messages to the console.
    const warnings: string[] = [];
    const consoleWarn = console.warn;
    console.warn = (...parts: unknown[]) => warnings.push(parts.map(String).join(" ").replace(/^warning: \[runtime\] /, ""));
    let outputs: unknown;
    try {
        outputs = await Promise.race([pulumi.runtime.runInPulumiStack(async () => (options.program ?? mendixClusterProgram)(programOptions(options))), failedCall]);
        await Promise.race([waitForRegistrations(), failedCall]);
        if (refused.length > 0) {
            throw new Error(refusedRegistrations(refused));
        }
    } catch (error) {
        // A program that fails leaves registrations in flight, which would otherwise settle into
        // the next evaluation of this thread and fail it with this error. Those that take the output
        // of a failed call never reach the engine: they are not waited for.
        await Promise.race([waitForRegistrations(), failedCall]).catch(() => undefined);
        failed?.(resources);
        throw error;
    } finally {
        console.warn = consoleWarn;
    }
    return {
        resources,
        outputs: (outputs ?? {}) as Record<string, unknown>,
        visibleOutputs: redact(stackOutputs),
        warnings,
        calls,
    };
}

interface RefusedRegistration {
    readonly resource: string;
    readonly reason: string;
}

/**
 * Registrations the mocks refused, each reason once with the resources it was given for. Such a
 * resource is missing from the run, so the run cannot stand for the program: it fails, saying why
 * (rather than every output of every such resource rejecting on its own, unseen by the program).
 */
function refusedRegistrations(refused: readonly RefusedRegistration[]): string {
    const byReason = new Map<string, string[]>();
    for (const { resource, reason } of refused) {
        byReason.set(reason, [...(byReason.get(reason) ?? []), resource]);
    }
    const reasons = [...byReason].map(([reason, resources]) =>
        `${reason} (${resources.length === 1 ? resources[0] : `${resources.length} resources: ${resources.slice(0, 3).join(", ")}${resources.length > 3 ? ", ..." : ""}`})`);
    return `${refused.length} resource${refused.length === 1 ? " was" : "s were"} not registered: ${reasons.join("; ")}`;
}

/** Lets every pending registration reach the mock engine. */
async function waitForRegistrations(): Promise<void> {
    const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };
    await settings.waitForRPCs();
}

/**
 * A deployment in which creating a resource fails (`failures`): the error it stops with, and what
 * had registered by then, the resources that wait for the failed one being left out as the engine
 * leaves them.
 */
export async function runFailingDeployment(options: RunOptions): Promise<{ message: string; resources: readonly RegisteredResource[] }> {
    return remembered("runFailingDeployment", options, async () => {
        let registered: readonly RegisteredResource[] = [];
        const abandoned = programAbandoned();
        try {
            await Promise.race([evaluateStack(options, (resources) => {
                registered = resources;
            }), abandoned.promise]);
        } catch (error) {
            return { message: error instanceof Error ? error.message : String(error), resources: [...registered] };
        } finally {
            abandoned.dispose();
        }
        throw new Error("the deployment succeeded; a failure was expected");
    });
}

/**
 * Rejects as Pulumi's Node.js language host ends a program: on the first rejection nothing
 * handled (`@pulumi/pulumi` cmd/run, its `uncaughtHandler`). A resource whose inputs wait for a
 * failed one is never sent, and its outputs never settle: without this, a program whose
 * deployment fails there would wait for them forever. Registrations already under way get a moment
 * to arrive first.
 */
function programAbandoned(): { promise: Promise<never>; dispose(): void } {
    let listener: ((reason: unknown) => void) | undefined;
    const promise = new Promise<never>((_, reject) => {
        listener = (reason: unknown) => {
            setTimeout(() => reject(reason), 200);
        };
        process.on("unhandledRejection", listener);
    });
    promise.catch(() => undefined);
    return {
        promise,
        dispose: () => {
            if (listener !== undefined) {
                process.off("unhandledRejection", listener);
            }
        },
    };
}

/**
 * The error the program stops with, and how many resources it had registered by then. The program
 * runs outside a stack resource here: a program that throws inside one leaves the SDK's own
 * bookkeeping rejected, which the CLI reports and a test runner would take for a failure.
 */
export async function runStackExpectingFailure(options: RunOptions): Promise<{ message: string; registered: number }> {
    return remembered("runStackExpectingFailure", options, () => evaluateFailure(options));
}

async function evaluateFailure(options: RunOptions): Promise<{ message: string; registered: number }> {
    await prepareMockedRun(options);
    let message: string | undefined;
    try {
        await mendixClusterProgram(programOptions(options));
    } catch (error) {
        message = error instanceof Error ? error.message : String(error);
    }
    await waitForRegistrations();
    const registered = (pulumi.runtime.getMonitor() as unknown as { resources: Map<string, unknown> }).resources.size;
    if (message === undefined) {
        throw new Error(`the program succeeded with ${registered} resources registered; a failure was expected`);
    }
    return { message, registered };
}


/**
 * Evaluations already made in this process. An evaluation depends on its options and on the files
 * the program reads (stack files, agent, models, installers), so each is kept with what those files
 * were; a changed file means a new evaluation. A program passed as a function is never reused.
 */
// The module object itself, which every importer of "fs" reads through.
const fs = require("fs") as typeof import("fs");

const evaluations = new Map<string, { files: readonly FileState[]; result: Promise<unknown> }>();

// Taken before any evaluation watches `fs`, so that noting a file's state is not itself noted.
const statFile = fs.statSync;

interface FileState {
    readonly file: string;
    readonly state: string;
}

function fileState(file: string): string {
    try {
        const stat = statFile(file);
        return `${stat.isDirectory() ? "dir" : "file"}:${stat.size}:${stat.mtimeMs}:${stat.ino}`;
    } catch {
        return "missing";
    }
}

async function remembered<T>(kind: string, options: RunOptions, evaluate: () => Promise<T>): Promise<T> {
    if (options.program !== undefined) {
        return evaluate();
    }
    const key = `${kind}:${stableJson(options)}`;
    const known = evaluations.get(key);
    if (known !== undefined && known.files.every(({ file, state }) => fileState(file) === state)) {
        return known.result as Promise<T>;
    }
    const { files, result } = await readingFiles(evaluate);
    const frozen = result.then(deepFreeze);
    // An evaluation that fails is not kept; the next identical call evaluates again.
    frozen.catch(() => evaluations.delete(key));
    evaluations.set(key, { files, result: frozen });
    return frozen;
}

/** Runs an evaluation, noting every path the program looks at on disk, with its state before the read. */
async function readingFiles<T>(evaluate: () => Promise<T>): Promise<{ files: FileState[]; result: Promise<T> }> {
    const seen = new Map<string, string>();
    const watched = ["readFileSync", "existsSync", "statSync", "readdirSync"] as const;
    const originals = watched.map((name) => [name, fs[name]] as const);
    const noted = (file: unknown) => {
        const name = typeof file === "string" ? file : file instanceof URL ? file.pathname : undefined;
        if (name !== undefined && !seen.has(name)) {
            seen.set(name, fileState(name));
        }
    };
    for (const [name, original] of originals) {
        (fs as unknown as Record<string, unknown>)[name] = (file: unknown, ...rest: unknown[]) => {
            noted(file);
            return (original as (...parts: unknown[]) => unknown)(file, ...rest);
        };
    }
    const result = evaluate();
    try {
        await result;
    } catch {
        // The caller sees the rejection through `result`.
    } finally {
        for (const [name, original] of originals) {
            (fs as unknown as Record<string, unknown>)[name] = original;
        }
    }
    return { files: [...seen].map(([file, state]) => ({ file, state })), result };
}

/** JSON with object keys in order, so equal options give one key whatever order they were written in. */
function stableJson(value: unknown): string {
    return JSON.stringify(value, (_key, item: unknown) => {
        if (typeof item === "object" && item !== null && !Array.isArray(item)) {
            return Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
        }
        return item;
    }) ?? "undefined";
}

/** A recorded evaluation is shared by every caller that asks for it again: none may change it. */
function deepFreeze<T>(value: T): T {
    if (typeof value === "object" && value !== null && !Object.isFrozen(value) && !pulumi.Output.isInstance(value)) {
        Object.freeze(value);
        for (const item of Object.values(value)) {
            deepFreeze(item);
        }
    }
    return value;
}
