/** What an offline evaluation of the program returns; plain data, with no Pulumi in it. */

/** One resource as the program registered it with the engine. */
export interface RegisteredResource {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly parentUrn: string;
    readonly custom: boolean;
    /** The inputs with secrets unwrapped. */
    readonly inputs: Record<string, unknown>;
    /** The inputs with every secret replaced by "[secret]": what state and diffs may show. */
    readonly visibleInputs: Record<string, unknown>;
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
    /** Input properties whose changes the engine ignores (`*`: every one). */
    readonly ignoreChanges: readonly string[];
    /** The `customTimeouts.create` option (`24h`, say); "" for the provider's own. */
    readonly createTimeout: string;
    readonly dependencies: readonly string[];
    /** The URNs its `aliases` option names: where earlier runs registered it. */
    readonly aliases: readonly string[];
    /** The id Azure (here, the mocks) gave it; "" for a component. */
    readonly id: string;
    /** What Azure (here, the mocks) answered: the inputs and what Azure computes, secrets unwrapped. */
    readonly outputs: Record<string, unknown>;
}

export interface StackRun {
    readonly resources: readonly RegisteredResource[];
    /** Stack outputs with secrets unwrapped. */
    readonly outputs: Record<string, unknown>;
    /** Stack outputs with every secret replaced by "[secret]". */
    readonly visibleOutputs: Record<string, unknown>;
    /** What the program logged as warnings (`pulumi.log.warn`). */
    readonly warnings: readonly string[];
    /** The functions the program called (invokes), in order, each with the resource group it named. */
    readonly calls: readonly MockedCall[];
}

/** A function call (an invoke) the program made, as `pulumi up` makes it on every run. */
export interface MockedCall {
    readonly token: string;
    readonly resourceGroupName: string | undefined;
}

export function byType(run: StackRun, type: string): RegisteredResource[] {
    return run.resources.filter((resource) => resource.type === type);
}
