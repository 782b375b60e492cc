import { filesRestoreModule, filesRestoreTypeName } from "../../components/blobRestore/provider";
import { dependencyClosure } from "../../tools/dependencyGraph";
import { readNodeSettings } from "../../tools/nodeSettings";
import { RegisteredResource, StackRun } from "./offThread";
import { powerShellWords } from "./powerShellWords";

/**
 * What a restore of the cluster does, read off what the program registered before it and in the
 * deployment that performs it: a pure graph analysis, as the engine would order the steps.
 *
 * A restore is right when, for the instant asked:
 * - every app's database is restored (`createMode: PointInTimeRestore`) from the one its nodes used,
 *   to that instant, as a new database, and every database of before is still declared, unchanged;
 * - the files restore covers every app's files container and nothing else (ranges with an inclusive
 *   start and an exclusive end, as Restore Blob Ranges reads them), to the same instant;
 * - every node of before runs a command that stops every app it runs, and both restores wait for
 *   every such command;
 * - every node's settings name the restored database of each app and are written only once the
 *   databases and files are restored; every agent run waits for them, and a follower's for the leader's.
 */

const type = {
    database: "azure-native:sql:Database",
    container: "azure-native:storage:BlobContainer",
    runCommand: "azure-native:compute:VirtualMachineRunCommandByVirtualMachine",
    vm: "azure-native:compute:VirtualMachine",
    extension: "azure-native:compute:VirtualMachineExtension",
    filesRestore: `pulumi-nodejs:dynamic/${filesRestoreModule}:${filesRestoreTypeName}`,
} as const;

const settingsContainer = "node-settings";

export interface RestoredDatabase {
    readonly app: string;
    readonly database: string;
    readonly from: string;
    readonly pointInTime: string;
}

export interface RestoreDrill {
    readonly databases: readonly RestoredDatabase[];
    /** The containers the files restore takes back, to its instant. */
    readonly files: { readonly containers: readonly string[]; readonly pointInTime: string } | undefined;
    /** Node -> the apps its stop command stops. */
    readonly stopped: Readonly<Record<string, readonly string[]>>;
    /** Node -> app -> the database its settings name. */
    readonly settings: Readonly<Record<string, Readonly<Record<string, string>>>>;
    /** Everything wrong; empty when the restore is right. */
    readonly problems: readonly string[];
}

interface Range {
    readonly startRange: string;
    readonly endRange: string;
}

const inRange = (path: string, range: Range) => path >= range.startRange && (range.endRange === "" || path < range.endRange);

/** Does the range take back blobs of `container` (a blob `container/...`)? */
const coversContainer = (ranges: readonly Range[], container: string) => ranges.some((range) => inRange(`${container}/any-blob`, range));

function nodeSettings(run: StackRun) {
    return run.resources.flatMap((resource) => {
        const settings = readNodeSettings(resource);
        return settings === undefined ? [] : [{ resource, settings }];
    });
}

export function restoreDrill(before: StackRun, after: StackRun, pointInTime: string): RestoreDrill {
    const problems: string[] = [];
    const byUrn = new Map(after.resources.map((resource) => [resource.urn, resource]));
    const waitsFor = (resource: RegisteredResource, target: RegisteredResource) => dependencyClosure(after.resources, resource.urn).has(target.urn);

    // What ran before: each node's apps and the database each app used.
    const beforeSettings = nodeSettings(before);
    const usedBefore = new Map(beforeSettings.map(({ settings }) => [settings.app, settings.runtimeSettings["DatabaseName"] ?? ""]));
    const beforeDatabases = before.resources.filter((resource) => resource.type === type.database);

    // The databases: restored from the one in use, to the instant; the ones of before kept as they were.
    const databases: RestoredDatabase[] = [];
    const restoredDatabases: RegisteredResource[] = [];
    for (const [app, used] of usedBefore) {
        const source = beforeDatabases.find((database) => database.inputs["databaseName"] === used);
        const restored = after.resources.find((resource) => resource.type === type.database && resource.inputs["createMode"] === "PointInTimeRestore"
            && resource.inputs["sourceDatabaseId"] === source?.id && resource.inputs["restorePointInTime"] === pointInTime);
        if (source === undefined || restored === undefined) {
            problems.push(`app ${app}: no database restored from ${used} to ${pointInTime}`);
            continue;
        }
        databases.push({ app, database: String(restored.inputs["databaseName"]), from: used, pointInTime });
        restoredDatabases.push(restored);
    }
    for (const database of beforeDatabases) {
        const kept = byUrn.get(database.urn);
        if (kept === undefined) {
            problems.push(`database ${String(database.inputs["databaseName"])} is no longer declared`);
        } else if (JSON.stringify(kept.inputs) !== JSON.stringify(database.inputs) || kept.protect !== database.protect || kept.retainOnDelete !== database.retainOnDelete) {
            problems.push(`database ${String(database.inputs["databaseName"])} is declared otherwise than before`);
        }
    }

    // The files: every app's container, not the settings container, to the same instant.
    const filesRestore = after.resources.find((resource) => resource.type === type.filesRestore && resource.inputs["timeToRestore"] === pointInTime);
    const ranges = (filesRestore?.inputs["blobRanges"] ?? []) as Range[];
    const containers = before.resources.filter((resource) => resource.type === type.container).map((resource) => String(resource.inputs["containerName"]));
    const restoredContainers = containers.filter((container) => coversContainer(ranges, container)).sort();
    if (filesRestore === undefined) {
        problems.push(`no restore of the files to ${pointInTime}`);
    } else {
        const filesContainers = containers.filter((container) => container !== settingsContainer).sort();
        if (JSON.stringify(restoredContainers) !== JSON.stringify(filesContainers)) {
            problems.push(`the files restore takes back ${restoredContainers.join(", ") || "nothing"}, not the apps' containers ${filesContainers.join(", ")}`);
        }
    }

    // Stopped first: every node of before stops every app it ran, and both restores wait for that.
    const vmNames = new Map(after.resources.filter((resource) => resource.type === type.vm)
        .map((vm) => [String((vm.inputs["osProfile"] as { computerName?: string } | undefined)?.computerName), String(vm.inputs["vmName"])]));
    const stopped: Record<string, string[]> = {};
    const restores = [...(filesRestore === undefined ? [] : [filesRestore]), ...restoredDatabases];
    for (const node of new Set(beforeSettings.map(({ settings }) => settings.node))) {
        const settings = beforeSettings.filter((entry) => entry.settings.node === node);
        const vmName = vmNames.get(settings[0]?.settings.computerName ?? "");
        const apps = settings.map((entry) => entry.settings.app).sort();
        const stops = after.resources.filter((resource) => resource.type === type.runCommand && resource.inputs["vmName"] === vmName);
        const stopping = stops.filter((stop) => {
            const commands = powerShellWords(String((stop.inputs["source"] as { script?: string } | undefined)?.script ?? ""));
            // Stop-MxApp itself, or the script's function around it (components/plan/stopAppsScript.ts).
            const stoppedApps = commands.flatMap((words) => (words[0] === "Stop-MxApp" && words[1] === "-Name" ? [words[2] ?? ""] : words[0] === "Stop-MxAppSettled" ? [words[1] ?? ""] : []));
            return apps.every((app) => stoppedApps.includes(app));
        });
        const stop = stopping.find((candidate) => restores.every((restore) => waitsFor(restore, candidate)));
        if (stop === undefined) {
            problems.push(`${node}: no command stops ${apps.join(", ")} before the databases and files are restored`);
        } else {
            stopped[node] = apps;
        }
    }

    // Then the switch: settings naming the restored databases, written after the restores; the agents after them, the leader first.
    const restoredByApp = new Map(databases.map((database) => [database.app, database.database]));
    const settings: Record<string, Record<string, string>> = {};
    const afterSettings = nodeSettings(after);
    for (const { resource, settings: entry } of afterSettings) {
        const named = entry.runtimeSettings["DatabaseName"] ?? "";
        (settings[entry.node] ??= {})[entry.app] = named;
        if (restoredByApp.has(entry.app) && named !== restoredByApp.get(entry.app)) {
            problems.push(`${entry.node}: the settings of app ${entry.app} name ${named}, not the restored ${restoredByApp.get(entry.app) ?? ""}`);
        }
        for (const restore of restores.filter((candidate) => !waitsFor(resource, candidate))) {
            problems.push(`${entry.node}: the settings of app ${entry.app} are written without waiting for ${restore.name}`);
        }
    }
    const agentRuns = after.resources.filter((resource) => resource.type === type.extension && resource.inputs["type"] === "CustomScriptExtension");
    const leaderNode = afterSettings.find(({ settings: entry }) => entry.leader)?.settings;
    const leaderRun = agentRuns.find((run) => run.inputs["vmName"] === vmNames.get(leaderNode?.computerName ?? ""));
    for (const run of agentRuns) {
        const node = afterSettings.find(({ settings: entry }) => vmNames.get(entry.computerName) === run.inputs["vmName"]);
        const name = node?.settings.node ?? run.name;
        for (const restore of restores.filter((candidate) => !waitsFor(run, candidate))) {
            problems.push(`${name}: its agent starts the apps without waiting for ${restore.name}`);
        }
        if (leaderRun !== undefined && run !== leaderRun && !waitsFor(run, leaderRun)) {
            problems.push(`${name}: its agent starts the apps before the leader's has`);
        }
    }
    return {
        databases,
        files: filesRestore === undefined ? undefined : { containers: restoredContainers, pointInTime: String(filesRestore.inputs["timeToRestore"]) },
        stopped,
        settings,
        problems,
    };
}
