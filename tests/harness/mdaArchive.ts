import * as fs from "fs";
import { deflateRawSync } from "zlib";

/**
 * A small Mendix deployment archive: a zip (stored entries, no compression) holding
 * model/metadata.json with the runtime version, which is what the node agent reads of an MDA.
 * The zip layout is PKWARE's APPNOTE.TXT (local file headers, central directory, end record).
 */
export function writeMda(file: string, runtimeVersion: string, javaVersion = 21): void {
    fs.writeFileSync(file, zip([{ name: "model/metadata.json", content: Buffer.from(mdaMetadata(runtimeVersion, javaVersion), "utf8") }]));
}

/** model/metadata.json as Studio Pro writes it, with the keys the stack and the agent read. */
export function mdaMetadata(runtimeVersion: string, javaVersion = 21): string {
    return JSON.stringify({ RuntimeVersion: runtimeVersion, ModelVersion: "1.0.0.1", JavaVersion: javaVersion, Constants: [], ScheduledEvents: [] });
}

/** A zip of the given entries, stored (method 0) or deflated (method 8) as Studio Pro's exports are. */
export function zip(entries: readonly { name: string; content: Buffer }[], method: 0 | 8 = 0): Buffer {
    const locals: Buffer[] = [];
    const centrals: Buffer[] = [];
    let offset = 0;
    for (const entry of entries) {
        const name = Buffer.from(entry.name, "utf8");
        const crc = crc32(entry.content);
        const data = method === 8 ? deflateRawSync(entry.content) : entry.content;
        const local = Buffer.alloc(30);
        local.writeUInt32LE(0x04034b50, 0);
        local.writeUInt16LE(20, 4);
        local.writeUInt16LE(method, 8);
        local.writeUInt32LE(crc, 14);
        local.writeUInt32LE(data.length, 18);
        local.writeUInt32LE(entry.content.length, 22);
        local.writeUInt16LE(name.length, 26);
        const central = Buffer.alloc(46);
        central.writeUInt32LE(0x02014b50, 0);
        central.writeUInt16LE(20, 4);
        central.writeUInt16LE(20, 6);
        central.writeUInt16LE(method, 10);
        central.writeUInt32LE(crc, 16);
        central.writeUInt32LE(data.length, 20);
        central.writeUInt32LE(entry.content.length, 24);
        central.writeUInt16LE(name.length, 28);
        central.writeUInt32LE(offset, 42);
        locals.push(local, name, data);
        centrals.push(central, name);
        offset += local.length + name.length + data.length;
    }
    const directory = Buffer.concat(centrals);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(entries.length, 8);
    end.writeUInt16LE(entries.length, 10);
    end.writeUInt32LE(directory.length, 12);
    end.writeUInt32LE(offset, 16);
    return Buffer.concat([...locals, directory, end]);
}

function crc32(data: Buffer): number {
    let crc = 0xffffffff;
    for (const byte of data) {
        crc ^= byte;
        for (let bit = 0; bit < 8; bit++) {
            crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
        }
    }
    return (crc ^ 0xffffffff) >>> 0;
}
