/**
 * The Custom Script Extension's command and the files it downloads. The extension puts each of its
 * `fileUris` into one download folder, keeping the blob's path after the container
 * (`.../node-settings/nodes/node-0/app.yaml` lands at `nodes\node-0\app.yaml`), and runs
 * `commandToExecute` with that folder as its working directory: relative paths find the files
 * (MicrosoftDocs/azure-compute-docs, articles/virtual-machines/extensions/custom-script-windows.md,
 * "Troubleshoot and support"). So every path here is derived from a blob name, never assumed flat.
 */

/** The folder of the settings container that holds the published agent. */
export const agentBlobFolder = "agent";

export function agentBlobName(file: string): string {
    return `${agentBlobFolder}/${file}`;
}

const safeSegment = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/**
 * Where the extension puts a blob of the container, relative to its download folder: the blob's
 * own path, with forward slashes (which Windows' file APIs take as separators too).
 */
export function downloadedPath(blobName: string): string {
    const segments = blobName.split("/");
    if (segments.some((segment) => !safeSegment.test(segment) || segment === "." || segment === "..")) {
        throw new Error(`blob name ${JSON.stringify(blobName)} is not a plain relative path (segments of letters, digits, '.', '_', '-')`);
    }
    return blobName;
}

/**
 * The program the command names, relative to the download folder, with backslashes: cmd.exe,
 * which runs the command, reads a '/' in an unquoted program name as the start of a switch.
 */
export function downloadedProgram(blobName: string): string {
    return downloadedPath(blobName).split("/").join("\\");
}

/** The agent's `apply` over the node's settings blobs, as the extension runs it from its download folder. */
export function agentArguments(agentExecutableBlob: string, settingsBlobs: readonly string[]): string[] {
    return [downloadedProgram(agentExecutableBlob), "apply", ...settingsBlobs.flatMap((blob) => ["--settings", downloadedPath(blob)])];
}

/** Every argument is a plain token (validated blob names), so joining needs no quoting. */
export function agentCommandLine(agentExecutableBlob: string, settingsBlobs: readonly string[]): string {
    const args = agentArguments(agentExecutableBlob, settingsBlobs);
    const unsafe = args.find((arg) => !/^[A-Za-z0-9._\/\\-]+$/.test(arg));
    if (unsafe !== undefined) {
        throw new Error(`agent argument ${JSON.stringify(unsafe)} would need quoting`);
    }
    return args.join(" ");
}

export interface ExtensionBlobs {
    /** Every published agent file's blob; one of them is `agentExecutableBlob`. */
    readonly agentFiles: readonly string[];
    readonly agentExecutable: string;
    /** The node's settings blobs, one per app, in app order. */
    readonly settings: readonly string[];
    readonly models: readonly string[];
    /** Installers the stack uploads; the agent finds them by their URL in the settings, not by argument. */
    readonly installers: readonly string[];
}

export interface CustomScriptSettings {
    readonly fileUris: string[];
    readonly commandToExecute: string;
}

/** A blob's URL in the container, as the extension downloads it and the settings name it. */
export function containerBlobUrl(containerUrl: string, blobName: string): string {
    if (!containerUrl.endsWith("/")) {
        throw new Error(`container URL ${JSON.stringify(containerUrl)} must end with '/'`);
    }
    return `${containerUrl}${downloadedPath(blobName)}`;
}

/**
 * The extension's public settings from one list of blob names: what it downloads, and the command
 * that finds those downloads where the extension puts them. `containerUrl` ends with a '/'.
 */
export function customScriptSettings(containerUrl: string, blobs: ExtensionBlobs): CustomScriptSettings {
    if (!blobs.agentFiles.includes(blobs.agentExecutable)) {
        throw new Error(`the agent's program ${blobs.agentExecutable} is not among the agent files the extension downloads`);
    }
    const downloaded = [...blobs.agentFiles, ...blobs.settings, ...blobs.models, ...blobs.installers];
    return {
        fileUris: downloaded.map((blob) => containerBlobUrl(containerUrl, blob)),
        commandToExecute: agentCommandLine(blobs.agentExecutable, blobs.settings),
    };
}
