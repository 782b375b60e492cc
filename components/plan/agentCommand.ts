/** The published agent's program file. */
export const agentExecutable = "mendix-node-agent.exe";

/**
 * The command the Custom Script Extension runs in its download folder, where it has put the agent
 * and the node's settings blobs (each by its last path segment, `<app>.yaml`).
 */
export function agentArguments(settingsFiles: readonly string[]): string[] {
    return [agentExecutable, "apply", ...settingsFiles.flatMap((file) => ["--settings", file])];
}

/** Every argument is a plain token (validated app names), so joining needs no quoting. */
export function agentCommandLine(settingsFiles: readonly string[]): string {
    const args = agentArguments(settingsFiles);
    const unsafe = args.find((arg) => !/^[A-Za-z0-9._-]+$/.test(arg));
    if (unsafe !== undefined) {
        throw new Error(`agent argument ${JSON.stringify(unsafe)} would need quoting`);
    }
    return args.join(" ");
}

export function settingsFileName(appName: string): string {
    return `${appName}.yaml`;
}
