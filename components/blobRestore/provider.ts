import * as pulumi from "@pulumi/pulumi";
import { BlobRestoreRange, restoreBatches } from "../plan/blobRestoreRanges";
import { armTokenSource, deployerSignIn } from "./deployerSignIn";
import { BlobRestoreRequest, restoreBlobRanges, RestoreDependencies } from "./restoreClient";

/**
 * The restore of the apps' files as a resource of the stack: `pulumi preview` and the offline plan
 * show it, it runs when it is created and never again, and its place in the dependency graph orders
 * it after every app has stopped and before any node is told of the restored databases.
 *
 * A Pulumi dynamic resource: its provider is serialised into the resource's `__provider` input
 * (and so into the state) and run by the engine's Node.js dynamic provider host, which loads it
 * with `require-from-string`; it reaches Azure with the deployer's own sign-in (deployerSignIn.ts),
 * so no identity or grant exists for it. Creating it restores; a restore cannot be undone, so
 * deleting it changes nothing in Azure; and a restore is never changed in place (a new restore is a
 * new resource), so a diff that would change one stops the run.
 */

/** Azure Resource Manager in Azure's public cloud, where azure-native deploys the stack. */
export const publicCloudArmEndpoint = "https://management.azure.com";

/** What a restore of the files restores: any number of ranges, restored ten to a request. */
export type FilesRestoreInputs = BlobRestoreRequest;

export interface FilesRestoreOutputs extends FilesRestoreInputs {
    /** Azure's id of each Restore Blob Ranges request (one per ten ranges). */
    readonly restoreIds: readonly string[];
    readonly status: string;
}

/** Restores every range, ten per request and one request at a time, as Azure allows. */
export async function restoreFiles(inputs: FilesRestoreInputs, deps: RestoreDependencies): Promise<FilesRestoreOutputs> {
    const restoreIds: string[] = [];
    let status = "Complete";
    for (const ranges of restoreBatches(inputs.blobRanges)) {
        const result = await restoreBlobRanges({ ...inputs, blobRanges: ranges }, deps);
        restoreIds.push(result.restoreId ?? "");
        status = result.status ?? status;
    }
    return { ...inputs, restoreIds, status };
}

/** What defines a restore: any other difference is no reason to restore again. */
export function restoreChanges(olds: FilesRestoreInputs, news: FilesRestoreInputs): string[] {
    const ranges = (value: FilesRestoreInputs) => JSON.stringify(value.blobRanges.map((range) => [range.startRange, range.endRange]));
    return [
        ...(olds.accountId === news.accountId ? [] : ["accountId"]),
        ...(olds.timeToRestore === news.timeToRestore ? [] : ["timeToRestore"]),
        ...(ranges(olds) === ranges(news) ? [] : ["blobRanges"]),
    ];
}

export const filesRestoreProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: FilesRestoreInputs) {
        const deps: RestoreDependencies = {
            fetch,
            token: armTokenSource(deployerSignIn(process.env), inputs.endpoint),
            sleep: (milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds)),
            log: (message) => console.log(message),
        };
        const outs = await restoreFiles(inputs, deps);
        return { id: `${inputs.accountId}/restores/${inputs.timeToRestore}`, outs };
    },
    async diff(_id: string, olds: FilesRestoreInputs, news: FilesRestoreInputs) {
        const changed = restoreChanges(olds, news);
        if (changed.length > 0) {
            throw new Error(`a restore of the files is done once and never changed (${changed.join(", ")} differ): a restore to another instant is a new resource`);
        }
        return { changes: false };
    },
    async delete() {
        // A restore cannot be undone: forgetting it leaves the files as they are.
    },
};

/** The module and type the dynamic resource registers with: `pulumi-nodejs:dynamic/mendix:FilesRestore`. */
export const filesRestoreModule = "mendix";
export const filesRestoreTypeName = "FilesRestore";

export interface FilesRestoreArgs {
    readonly endpoint: string;
    readonly accountId: pulumi.Input<string>;
    readonly timeToRestore: string;
    readonly blobRanges: readonly BlobRestoreRange[];
}

export class FilesRestore extends pulumi.dynamic.Resource {
    declare readonly restoreIds: pulumi.Output<string[]>;
    declare readonly timeToRestore: pulumi.Output<string>;

    constructor(name: string, args: FilesRestoreArgs, opts?: pulumi.CustomResourceOptions) {
        super(filesRestoreProvider, name, { ...args, blobRanges: [...args.blobRanges], restoreIds: undefined, status: undefined }, opts, filesRestoreModule, filesRestoreTypeName);
    }
}
