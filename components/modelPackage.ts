import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { AppConfig } from "./config/contract";
import { InputError } from "./inputError";
import { AppModel, modelFile } from "./plan/delivery";
import { MendixVersion, parseMendixVersion } from "./plan/mendixVersion";
import { readZipEntry, ZipFormatError } from "./zipArchive";

/** An app's MDA as the stack uploads it: where it is, what the node agent checks it against, and the Mendix version it runs on. */
export interface ModelPackage extends AppModel {
    readonly app: string;
    readonly path: string;
    /** The model's "RuntimeVersion" from its model/metadata.json, as the node agent reads it too. */
    readonly runtimeVersion: MendixVersion;
}

/** Where an MDA names the Mendix version it needs (the Mendix automation doc and the Cloud Foundry buildpack read the same entry). */
export const modelMetadataEntry = "model/metadata.json";

export class ModelNotFoundError extends InputError {
    constructor(app: string, file: string) {
        super(`apps[${app}].mda: got ${JSON.stringify(file)}; allowed: the path of an existing MDA file, relative to the project (no such file); no resource was registered`);
        this.name = "ModelNotFoundError";
    }
}

export class ModelUnreadableError extends InputError {
    constructor(app: string, file: string, problem: string) {
        super(
            `apps[${app}].mda: got ${JSON.stringify(file)}, but ${problem}; allowed: a Mendix deployment archive (MDA, as Studio Pro ` +
            `exports it) whose ${modelMetadataEntry} names its RuntimeVersion, such as 10.12.4.41735; no resource was registered`,
        );
        this.name = "ModelUnreadableError";
    }
}

/** The Mendix version an MDA's metadata names; a problem is the user's file, named in the error. */
export function modelRuntimeVersion(app: string, file: string, archive: Buffer): MendixVersion {
    let metadata: Buffer | undefined;
    try {
        metadata = readZipEntry(archive, modelMetadataEntry);
    } catch (error) {
        if (error instanceof ZipFormatError) {
            throw new ModelUnreadableError(app, file, error.message);
        }
        throw error;
    }
    if (metadata === undefined) {
        throw new ModelUnreadableError(app, file, `it has no ${modelMetadataEntry}`);
    }
    let runtimeVersion: unknown;
    try {
        runtimeVersion = (JSON.parse(metadata.toString("utf8")) as { RuntimeVersion?: unknown }).RuntimeVersion;
    } catch {
        throw new ModelUnreadableError(app, file, `its ${modelMetadataEntry} is not JSON`);
    }
    const version = typeof runtimeVersion === "string" ? parseMendixVersion(runtimeVersion) : undefined;
    if (version === undefined) {
        throw new ModelUnreadableError(app, file, `its ${modelMetadataEntry} has RuntimeVersion ${JSON.stringify(runtimeVersion ?? null)}`);
    }
    return version;
}

/** Reads and hashes every configured MDA; a missing one stops the run before anything is registered. */
export function loadModelPackages(apps: readonly AppConfig[], projectDirectory: string): Readonly<Record<string, ModelPackage>> {
    return Object.fromEntries(apps.flatMap((app) => {
        if (app.mda === undefined) {
            return [];
        }
        const file = path.resolve(projectDirectory, app.mda);
        if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
            throw new ModelNotFoundError(app.name, app.mda);
        }
        const archive = fs.readFileSync(file);
        const sha256 = createHash("sha256").update(archive).digest("hex");
        const runtimeVersion = modelRuntimeVersion(app.name, app.mda, archive);
        return [[app.name, { app: app.name, path: file, sha256, file: modelFile(app.name, sha256), runtimeVersion }]];
    }));
}
