import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { RegisteredResource } from "../harness/offThread";

/**
 * The Custom Script Extension for Windows as its documentation describes it (MicrosoftDocs/azure-compute-docs,
 * articles/virtual-machines/extensions/custom-script-windows.md):
 * - "Property values" / "Property: managedIdentity": `commandToExecute` is required; `fileUris` and
 *   `commandToExecute` may be in public or protected settings but not both; `managedIdentity` must be in
 *   protected settings only, needs version 1.10 or later, and is `{}` or `{ clientId }` or `{ objectId }`.
 * - "Troubleshoot and support": the files are downloaded into `...\Downloads\<n>`; "Path information after
 *   the first URI segment is kept" (`.../aContainer/scripts/myscript.ps1` lands at `./scripts/myscript.ps1`);
 *   the command runs with that folder as its working directory.
 * - "Tips": the command is run by cmd.exe (the Command Processor's AutoRun key affects it), as LocalSystem.
 * The command is split as cmd.exe passes an unquoted command line on: at blanks; a program name is a
 * Windows path relative to the working directory, with '\' separators (cmd.exe reads '/' as a switch).
 * Quotes, carets and other metacharacters are refused here rather than emulated.
 */

export interface ExtensionRun {
    readonly downloadFolder: string;
    /** Each downloaded file's path relative to the download folder, with '/'. */
    readonly downloaded: readonly string[];
    readonly exitCode: number;
    readonly stdout: string;
    readonly stderr: string;
}

export interface ExtensionHost {
    /** The bytes behind a file URI, as the extension's managed identity would download them. */
    download(uri: string): Buffer;
    /**
     * Runs the downloaded program (an absolute path in the download folder) with the command's own
     * arguments, in `workingDirectory`; the host decides how a Windows program runs here.
     */
    execute(program: string, args: readonly string[], workingDirectory: string): { exitCode: number; stdout: string; stderr: string };
}

interface ExtensionSettings {
    readonly fileUris?: unknown;
    readonly commandToExecute?: unknown;
    readonly managedIdentity?: unknown;
}

export function runCustomScriptExtension(extension: RegisteredResource, root: string, host: ExtensionHost): ExtensionRun {
    const inputs = extension.inputs;
    if (inputs["publisher"] !== "Microsoft.Compute" || inputs["type"] !== "CustomScriptExtension") {
        throw new Error(`${extension.name} is not the Custom Script Extension for Windows`);
    }
    const publicSettings = (inputs["settings"] ?? {}) as ExtensionSettings;
    const protectedSettings = (inputs["protectedSettings"] ?? {}) as ExtensionSettings;
    for (const key of ["fileUris", "commandToExecute"] as const) {
        if (publicSettings[key] !== undefined && protectedSettings[key] !== undefined) {
            throw new Error(`${extension.name}: ${key} is set in both public and protected settings; the extension rejects the configuration`);
        }
    }
    if (publicSettings.managedIdentity !== undefined) {
        throw new Error(`${extension.name}: managedIdentity must be in protected settings only`);
    }
    checkManagedIdentity(extension.name, protectedSettings.managedIdentity, String(inputs["typeHandlerVersion"]));

    const fileUris = publicSettings.fileUris ?? protectedSettings.fileUris ?? [];
    const command = publicSettings.commandToExecute ?? protectedSettings.commandToExecute;
    if (!Array.isArray(fileUris) || !fileUris.every((uri): uri is string => typeof uri === "string")) {
        throw new Error(`${extension.name}: fileUris must be a list of URLs`);
    }
    if (typeof command !== "string" || command.trim() === "") {
        throw new Error(`${extension.name}: commandToExecute is required`);
    }

    const downloadFolder = path.join(root, "Downloads", "0");
    fs.mkdirSync(downloadFolder, { recursive: true });
    const downloaded = fileUris.map((uri) => {
        const relative = downloadLocation(uri);
        const target = path.join(downloadFolder, ...relative.split("/"));
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, host.download(uri));
        return relative;
    });

    const [programToken, ...args] = splitCommand(command);
    if (programToken === undefined) {
        throw new Error(`${extension.name}: commandToExecute names no program`);
    }
    if (programToken.includes("/")) {
        throw new Error(`'${programToken.split("/")[0]}' is not recognized as an internal or external command: cmd.exe reads '/' in a program name as a switch`);
    }
    const program = path.join(downloadFolder, ...programToken.split("\\"));
    if (!fs.existsSync(program)) {
        throw new Error(`'${programToken}' is not recognized as an internal or external command: nothing at ${program} in the download folder (downloaded: ${downloaded.join(", ")})`);
    }
    const result = host.execute(program, args, downloadFolder);
    return { downloadFolder, downloaded, ...result };
}

/** Where a file URI lands, relative to the download folder: the path after its first segment (the container). */
export function downloadLocation(uri: string): string {
    const segments = new URL(uri).pathname.split("/").slice(1).map(decodeURIComponent);
    const kept = segments.slice(1);
    if (kept.length === 0 || kept.some((segment) => segment === "" || segment === "." || segment === "..")) {
        throw new Error(`${uri} has no file path after its first segment`);
    }
    return kept.join("/");
}

function splitCommand(command: string): string[] {
    const unsupported = /["^&|<>%()]/.exec(command);
    if (unsupported !== null) {
        throw new Error(`commandToExecute holds ${JSON.stringify(unsupported[0])}, which cmd.exe would interpret; this emulator runs plain commands only`);
    }
    return command.split(/[ \t]+/).filter((token) => token.length > 0);
}

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function checkManagedIdentity(name: string, identity: unknown, version: string): void {
    if (identity === undefined) {
        return;
    }
    const [major, minor] = version.split(".").map(Number);
    if (major === undefined || minor === undefined || major < 1 || (major === 1 && minor < 10)) {
        throw new Error(`${name}: managedIdentity needs version 1.10 or later; typeHandlerVersion is ${version}`);
    }
    const keys = typeof identity === "object" && identity !== null ? Object.keys(identity) : ["?"];
    const value = identity as Record<string, unknown>;
    const valid = keys.length === 0 || (keys.length === 1 && (keys[0] === "clientId" || keys[0] === "objectId") && guid.test(String(value[keys[0]])));
    if (!valid) {
        throw new Error(`${name}: managedIdentity must be {}, { clientId: <GUID> } or { objectId: <GUID> }, not ${JSON.stringify(identity)}`);
    }
}

/** Runs the agent's net10.0 build in place of the downloaded net48 program, which runs only on Windows. */
export function dotnetAgentHost(download: (uri: string) => Buffer, agentDll: string, testSwitches: readonly string[]): ExtensionHost {
    return {
        download,
        execute(program, args, workingDirectory) {
            if (path.basename(program) !== "mendix-node-agent.exe") {
                throw new Error(`the command runs ${program}, not the node agent`);
            }
            const result = spawnSync("dotnet", [agentDll, ...args, ...testSwitches], { cwd: workingDirectory, encoding: "utf8" });
            if (result.error !== undefined) {
                throw result.error;
            }
            return { exitCode: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
        },
    };
}
