import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { InputError } from "./inputError";

/** The published node agent (net48), as the stack uploads it. */
export interface AgentPackage {
    readonly directory: string;
    /** File names, sorted; all at the top of the directory. */
    readonly files: readonly string[];
    /** SHA-256 over every file's name and content: changes whenever the agent does. */
    readonly hash: string;
}

export const agentExecutable = "mendix-node-agent.exe";
export const defaultAgentDirectory = path.join(__dirname, "..", "agent", "publish", "net48");
export const agentBuildHint = "build it with `npm run build` (needs the .NET SDK), then run the command again";

export class AgentNotBuiltError extends InputError {
    constructor(directory: string) {
        super(`The node agent is not built: ${path.join(directory, agentExecutable)} does not exist; ${agentBuildHint}.`);
        this.name = "AgentNotBuiltError";
    }
}

export function loadAgentPackage(directory: string = defaultAgentDirectory): AgentPackage {
    if (!fs.existsSync(path.join(directory, agentExecutable))) {
        throw new AgentNotBuiltError(directory);
    }
    const files = fs
        .readdirSync(directory, { withFileTypes: true })
        .filter((entry) => entry.isFile() && !entry.name.endsWith(".pdb"))
        .map((entry) => entry.name)
        .sort();
    const hash = createHash("sha256");
    for (const file of files) {
        hash.update(file).update("\0").update(fs.readFileSync(path.join(directory, file))).update("\0");
    }
    return { directory, files, hash: hash.digest("hex") };
}
