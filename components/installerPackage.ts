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

/**
 * A Windows Installer package is an OLE compound file, whose header starts with this signature
 * ([MS-CFB] 2.2, "Compound File Header": "Header Signature (8 bytes): ... MUST be set to the value
 * 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1"). Anything else fails in msiexec on every node.
 */
export const compoundFileSignature: readonly number[] = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** How a Git LFS pointer file begins (git-lfs, docs/spec.md: the first line is the spec's version). */
const lfsPointerStart = "version https://git-lfs";

export class InstallerFileNotMsiError extends InputError {
    constructor(key: string, file: string, start: Buffer) {
        const text = start.toString("latin1");
        const found = text.startsWith(lfsPointerStart)
            ? "a Git LFS pointer, not the file: fetch the file itself (git lfs pull; in a GitHub workflow, actions/checkout with lfs: true)"
            : `a file that starts with ${[...start.subarray(0, compoundFileSignature.length)].map((byte) => byte.toString(16).toUpperCase().padStart(2, "0")).join(" ") || "nothing"}`;
        super(
            `${key}: got ${JSON.stringify(file)}; allowed: a Windows Installer package (.msi), which starts with the compound file signature ` +
            `D0 CF 11 E0 A1 B1 1A E1; this is ${found}; no resource was registered`,
        );
        this.name = "InstallerFileNotMsiError";
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
    const content = fs.readFileSync(file);
    if (!compoundFileSignature.every((byte, index) => content[index] === byte)) {
        throw new InstallerFileNotMsiError("installers.serviceConsole.file", source.file, content.subarray(0, lfsPointerStart.length));
    }
    const sha256 = createHash("sha256").update(content).digest("hex");
    return { installer: "serviceConsole", path: file, sha256, blobName: installerBlobName("serviceConsole", sha256) };
}
