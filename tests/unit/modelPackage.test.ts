import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { loadModelPackages, modelRuntimeVersion } from "../../components/modelPackage";
import { isAtLeast, parseMendixVersion } from "../../components/plan/mendixVersion";
import { readZipEntry } from "../../components/zipArchive";
import { mdaMetadata, writeMda, zip } from "../harness/mdaArchive";

const metadataOf = (version: string) => ({ name: "model/metadata.json", content: Buffer.from(mdaMetadata(version), "utf8") });

describe("an MDA's Mendix version, as the stack reads it", () => {
    it("reads model/metadata.json from a stored and from a deflated archive, among other entries", () => {
        for (const method of [0, 8] as const) {
            const archive = zip([{ name: "web/index.html", content: Buffer.from("<html/>") }, metadataOf("10.12.4.41735")], method);
            assert.deepEqual(modelRuntimeVersion("crm", "crm.mda", archive), { text: "10.12.4.41735", major: 10, minor: 12, patch: 4 });
        }
    });

    it("names the app, the file and the problem when the file is no MDA", () => {
        const problems: [Buffer, string][] = [
            [Buffer.from("PK but not really"), "but it is not a zip archive (no end of central directory record)"],
            [zip([{ name: "model/other.json", content: Buffer.from("{}") }]), "but it has no model/metadata.json"],
            [zip([{ name: "model/metadata.json", content: Buffer.from("{") }]), "but its model/metadata.json is not JSON"],
            [zip([{ name: "model/metadata.json", content: Buffer.from('{"RuntimeVersion":"ten"}') }]), 'but its model/metadata.json has RuntimeVersion "ten"'],
            [zip([{ name: "model/metadata.json", content: Buffer.from("{}") }]), "but its model/metadata.json has RuntimeVersion null"],
        ];
        for (const [archive, problem] of problems) {
            assert.throws(() => modelRuntimeVersion("crm", "models/crm.mda", archive), {
                name: "ModelUnreadableError",
                message: `apps[crm].mda: got "models/crm.mda", ${problem}; allowed: a Mendix deployment archive (MDA, as Studio Pro exports it) ` +
                    "whose model/metadata.json names its RuntimeVersion, such as 10.12.4.41735; no resource was registered",
            });
        }
    });

    it("reads an entry past a comment after the end record, and finds none that is absent", () => {
        const archive = Buffer.concat([zip([metadataOf("11.0.0")]), Buffer.alloc(0)]);
        const withComment = Buffer.from(archive);
        withComment.writeUInt16LE(5, withComment.length - 2);
        const commented = Buffer.concat([withComment, Buffer.from("hello")]);
        assert.equal(JSON.parse(String(readZipEntry(commented, "model/metadata.json"))).RuntimeVersion, "11.0.0");
        assert.equal(readZipEntry(commented, "model/none.json"), undefined);
    });

    it("loads each configured MDA with its hash, blob name and version", () => {
        const directory = fs.mkdtempSync(path.join(os.tmpdir(), "mda-"));
        writeMda(path.join(directory, "crm.mda"), "9.24.22.12345");
        const models = loadModelPackages([{ name: "crm", customSettings: {}, license: undefined, hostName: undefined, mda: "crm.mda" }], directory);
        const crm = models["crm"];
        assert.ok(crm);
        assert.deepEqual(crm.runtimeVersion, { text: "9.24.22.12345", major: 9, minor: 24, patch: 22 });
        assert.match(crm.file, /^models\/crm\/crm-[0-9a-f]{12}\.mda$/);
    });
});

describe("Mendix versions", () => {
    it("parse as metadata.json writes them, with or without a build number", () => {
        assert.deepEqual(parseMendixVersion("10.10.0.31290"), { text: "10.10.0.31290", major: 10, minor: 10, patch: 0 });
        assert.deepEqual(parseMendixVersion("11.2.0"), { text: "11.2.0", major: 11, minor: 2, patch: 0 });
        for (const text of ["10.10", "10.010.0", "v10.10.0", "10.10.0.1.2", ""]) {
            assert.equal(parseMendixVersion(text), undefined, text);
        }
    });

    it("compare by major, minor and patch, never by build", () => {
        const version = (text: string) => {
            const parsed = parseMendixVersion(text);
            assert.ok(parsed, text);
            return parsed;
        };
        assert.equal(isAtLeast(version("10.10.0.1"), 10, 10), true);
        assert.equal(isAtLeast(version("10.9.99.999999"), 10, 10), false);
        assert.equal(isAtLeast(version("11.0.0"), 10, 10), true);
        assert.equal(isAtLeast(version("9.24.30.1"), 10, 10), false);
        assert.equal(isAtLeast(version("10.24.1.1"), 10, 24, 2), false);
        assert.equal(isAtLeast(version("10.24.2.1"), 10, 24, 2), true);
    });
});
