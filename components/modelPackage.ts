import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { AppConfig } from "./config/contract";
import { InputError } from "./inputError";
import { AppModel, modelFile } from "./plan/delivery";

/** An app's MDA as the stack uploads it: where it is, and what the node agent checks it against. */
export interface ModelPackage extends AppModel {
    readonly app: string;
    readonly path: string;
}

export class ModelNotFoundError extends InputError {
    constructor(app: string, file: string) {
        super(`apps[${app}].mda: got ${JSON.stringify(file)}; allowed: the path of an existing MDA file, relative to the project (no such file); no resource was registered`);
        this.name = "ModelNotFoundError";
    }
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
        const sha256 = createHash("sha256").update(fs.readFileSync(file)).digest("hex");
        return [[app.name, { app: app.name, path: file, sha256, file: modelFile(app.name, sha256) }]];
    }));
}
