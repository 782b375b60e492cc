import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/**
 * The Azure CLI as `@azure/identity`'s AzureCliCredential calls it, for a test that signs in as a
 * person who ran `az login` does: the credential runs `az account get-access-token --output json
 * --resource <resource> [--tenant <id>] [--subscription <id>]` from the PATH and reads `accessToken`
 * and `expires_on` (seconds since the epoch; `expiresOn` before Azure CLI 2.54) from its standard
 * output (`@azure/identity` 4.x, `credentials/azureCliCredential.ts`; Microsoft Learn, `az account
 * get-access-token`). Any other command, or another resource, fails as the real CLI fails a
 * command it cannot run: a message on standard error and exit code 1.
 */
export interface AzureCliStandIn {
    /** The folder to put first on the PATH. */
    readonly folder: string;
    /** Every command line the credential ran, one array of arguments each. */
    calls(): string[][];
    remove(): void;
}

export function azureCliStandIn(resource: string, token: string): AzureCliStandIn {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "az-stand-in-"));
    const log = path.join(folder, "calls.jsonl");
    const script = `#!${process.execPath}
const args = process.argv.slice(2);
require("fs").appendFileSync(${JSON.stringify(log)}, JSON.stringify(args) + "\\n");
const resourceAt = args.indexOf("--resource");
if (args[0] !== "account" || args[1] !== "get-access-token" || resourceAt < 0 || args[resourceAt + 1] !== ${JSON.stringify(resource)}) {
    process.stderr.write("ERROR: the stand-in serves get-access-token for ${resource} only; got " + args.join(" ") + "\\n");
    process.exit(1);
}
const expiresOn = Math.floor(Date.now() / 1000) + 3600;
process.stdout.write(JSON.stringify({ accessToken: ${JSON.stringify(token)}, expiresOn: new Date(expiresOn * 1000).toISOString(), expires_on: expiresOn, tokenType: "Bearer" }));
`;
    fs.writeFileSync(path.join(folder, "az"), script, { mode: 0o755 });
    return {
        folder,
        calls: () => (fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n").map((line) => JSON.parse(line) as string[]) : []),
        remove: () => fs.rmSync(folder, { recursive: true, force: true }),
    };
}
