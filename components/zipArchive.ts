import { inflateRawSync } from "zlib";

/**
 * Reads one file out of a zip archive (an MDA is one), by its central directory, as PKWARE's
 * APPNOTE.TXT lays it out: the end of central directory record (4.3.16; its Zip64 form, 4.3.14 and
 * 4.3.15, when the classic fields are saturated), the central directory headers (4.3.12), and the
 * local file header each points to (4.3.7). Entries are stored (method 0) or deflated (method 8).
 * Anything else is refused with the reason, for the caller to name the file.
 */
export class ZipFormatError extends Error {
    constructor(reason: string) {
        super(reason);
        this.name = "ZipFormatError";
    }
}

const signatures = {
    endOfCentralDirectory: 0x06054b50,
    zip64EndLocator: 0x07064b50,
    zip64End: 0x06064b50,
    centralHeader: 0x02014b50,
    localHeader: 0x04034b50,
} as const;

/** The entry's bytes, or undefined when the archive has no entry of that name. */
export function readZipEntry(archive: Buffer, name: string): Buffer | undefined {
    const directory = centralDirectory(archive);
    let offset = directory.offset;
    for (let index = 0; index < directory.entries; index++) {
        expectSignature(archive, offset, signatures.centralHeader, "a central directory header");
        const method = archive.readUInt16LE(offset + 10);
        const compressedSize = archive.readUInt32LE(offset + 20);
        const nameLength = archive.readUInt16LE(offset + 28);
        const extraLength = archive.readUInt16LE(offset + 30);
        const commentLength = archive.readUInt16LE(offset + 32);
        const localOffset = archive.readUInt32LE(offset + 42);
        const entryName = archive.toString("utf8", offset + 46, offset + 46 + nameLength);
        if (entryName === name) {
            if (compressedSize === 0xffffffff || localOffset === 0xffffffff) {
                throw new ZipFormatError(`its entry ${name} is stored in Zip64 form, which is not read here`);
            }
            return entryData(archive, name, method, compressedSize, localOffset);
        }
        offset += 46 + nameLength + extraLength + commentLength;
    }
    return undefined;
}

function entryData(archive: Buffer, name: string, method: number, compressedSize: number, localOffset: number): Buffer {
    expectSignature(archive, localOffset, signatures.localHeader, `the local header of ${name}`);
    const start = localOffset + 30 + archive.readUInt16LE(localOffset + 26) + archive.readUInt16LE(localOffset + 28);
    if (start + compressedSize > archive.length) {
        throw new ZipFormatError(`its entry ${name} runs past the end of the file`);
    }
    const data = archive.subarray(start, start + compressedSize);
    if (method === 0) {
        return Buffer.from(data);
    }
    if (method === 8) {
        return inflateRawSync(data);
    }
    throw new ZipFormatError(`its entry ${name} uses compression method ${method}; only stored (0) and deflated (8) entries are read`);
}

/** Where the central directory starts and how many entries it has. */
function centralDirectory(archive: Buffer): { offset: number; entries: number } {
    // The record is 22 bytes and ends with a comment of at most 65535 bytes.
    const earliest = Math.max(0, archive.length - 22 - 0xffff);
    for (let at = archive.length - 22; at >= earliest; at--) {
        if (archive.readUInt32LE(at) === signatures.endOfCentralDirectory) {
            const entries = archive.readUInt16LE(at + 10);
            const offset = archive.readUInt32LE(at + 16);
            if (entries === 0xffff || offset === 0xffffffff) {
                return zip64CentralDirectory(archive, at);
            }
            return { offset, entries };
        }
    }
    throw new ZipFormatError("it is not a zip archive (no end of central directory record)");
}

function zip64CentralDirectory(archive: Buffer, endRecord: number): { offset: number; entries: number } {
    const locator = endRecord - 20;
    expectSignature(archive, locator, signatures.zip64EndLocator, "the Zip64 end of central directory locator");
    const record = Number(archive.readBigUInt64LE(locator + 8));
    expectSignature(archive, record, signatures.zip64End, "the Zip64 end of central directory record");
    return { entries: Number(archive.readBigUInt64LE(record + 32)), offset: Number(archive.readBigUInt64LE(record + 48)) };
}

function expectSignature(archive: Buffer, offset: number, signature: number, what: string): void {
    if (offset < 0 || offset + 4 > archive.length || archive.readUInt32LE(offset) !== signature) {
        throw new ZipFormatError(`${what} is not where the archive says (offset ${offset})`);
    }
}
