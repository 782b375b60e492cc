import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { DeliveryConfig } from "./config/delivery";
import { InputError } from "./inputError";
import { installerBlobName } from "./plan/delivery";

/** An installer file of the project's that the stack uploads next to the agent, hashed here. */
export interface InstallerPackage {
    readonly installer: "serviceConsole";
    readonly path: string;
    readonly sha256: string;
    readonly blobName: string;
}

export class InstallerFileNotFoundError extends InputError {
    constructor(key: string, file: string) {
        super(`${key}: got ${JSON.stringify(file)}; allowed: the path of an existing .msi file, relative to the project (no such file); no resource was registered`);
        this.name = "InstallerFileNotFoundError";
    }
}

/** The Service Console MSI when the config names a file; undefined when it is a download. */
export function loadInstallerPackage(delivery: DeliveryConfig, projectDirectory: string): InstallerPackage | undefined {
    const source = delivery.installers?.serviceConsole;
    if (source === undefined || source.kind !== "file") {
        return undefined;
    }
    const file = path.resolve(projectDirectory, source.file);
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
        throw new InstallerFileNotFoundError("installers.serviceConsole.file", source.file);
    }
    const sha256 = createHash("sha256").update(fs.readFileSync(file)).digest("hex");
    return { installer: "serviceConsole", path: file, sha256, blobName: installerBlobName("serviceConsole", sha256) };
}
