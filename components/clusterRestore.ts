import * as pulumi from "@pulumi/pulumi";
import { FilesRestore, publicCloudArmEndpoint } from "./blobRestore/provider";
import { ClusterDatabase } from "./database";
import { Placement } from "./placement";
import { blobRestoreRanges } from "./plan/blobRestoreRanges";
import { DatabaseLineage, RestorePlan } from "./plan/restore";
import { RestoreOutput } from "./plan/restoreOutputs";
import { restoreCreateTimeout } from "./plan/restoreTimeout";
import { ClusterStorage } from "./storage";

/**
 * The stop commands a restore waits for, known only once the nodes are declared, after the
 * databases: the restored databases and the files' restore depend on them through this promise,
 * which the cluster settles as soon as the nodes exist.
 */
export class StopsGate {
    readonly stopped: Promise<readonly pulumi.Resource[]>;
    private settle: ((stops: readonly pulumi.Resource[]) => void) | undefined;

    constructor() {
        this.stopped = new Promise((resolve) => {
            this.settle = resolve;
        });
    }

    open(stops: readonly pulumi.Resource[]): void {
        if (this.settle === undefined) {
            throw new Error("the restore's stop commands were handed over twice");
        }
        this.settle(stops);
        this.settle = undefined;
    }
}

export interface ClusterRestoreArgs {
    readonly placement: Placement;
    /** The latest restore (plan/restore.ts). */
    readonly restore: NonNullable<RestorePlan["restore"]>;
    readonly storage: ClusterStorage;
    readonly database: ClusterDatabase;
    /** Every app's databases after this deployment. */
    readonly databases: DatabaseLineage;
    /** Settled with the stop commands of every app on every node, when this deployment performs the restore. */
    readonly gate: StopsGate | undefined;
}

/**
 * The latest restore of the apps' files, and what the stack outputs say of it. Declared as long as
 * it is the latest, exactly as when it ran, so that it runs once: created (the restore itself) by
 * the deployment that performs it, after every app of every node has stopped, and left as it is by
 * every later one.
 */
export class ClusterRestore extends pulumi.ComponentResource {
    /** What every node's settings and agent run wait for: the restored databases and files. */
    readonly restored: readonly pulumi.CustomResource[];
    /** Resolves once the databases and files are restored: outputs that say so wait for it. */
    readonly done: pulumi.Output<void>;
    /** The `restore` stack output: what was restored, to which instant, and which databases the apps use now. */
    readonly record: pulumi.Output<RestoreOutput>;

    constructor(name: string, args: ClusterRestoreArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mendix:cluster:Restore", name, {}, opts);
        const { restore, placement } = args;
        const containers = restore.apps.map((app) => placement.names.filesContainer(app));
        const dependsOn: pulumi.Input<pulumi.Input<pulumi.Resource>[]> = args.gate === undefined ? [] : args.gate.stopped.then((stops) => [...stops]);
        const files = new FilesRestore(`${name}-files-${restore.key}`, {
            endpoint: publicCloudArmEndpoint,
            accountId: args.storage.accountId,
            timeToRestore: restore.pointInTime,
            blobRanges: blobRestoreRanges(containers),
        }, { parent: this, dependsOn, customTimeouts: { create: restoreCreateTimeout } });
        this.restored = [files, ...args.database.restored];
        this.done = pulumi.all(this.restored.map((resource) => resource.id)).apply(() => undefined);
        const databases = Object.fromEntries(restore.apps.flatMap((app) => (args.databases[app] ?? []).flatMap((database) =>
            database.restoredFrom?.pointInTime === restore.pointInTime ? [[app, { restored: database.name, from: database.restoredFrom.database }]] : [])));
        this.record = pulumi.all([args.storage.accountName, files.restoreIds]).apply(([storageAccount, restoreIds]): RestoreOutput => ({
            pointInTime: restore.pointInTime,
            apps: [...restore.apps],
            nodes: [...restore.nodes],
            databases,
            files: { storageAccount, containers, restoreIds },
        }));
        this.registerOutputs({ record: this.record });
    }
}
