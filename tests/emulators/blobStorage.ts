import * as fs from "fs";
import { RegisteredResource, StackRun } from "../harness/offThread";

/**
 * Azure Blob Storage as a node sees it: a blob's URL is
 * `https://<account>.blob.core.windows.net/<container>/<blob name>`, where the blob name may hold
 * '/' (Microsoft Learn, "Naming and Referencing Containers, Blobs, and Metadata"). The content is
 * what the program registered for that blob: a file asset's file or a string asset's text.
 */
export function blobContent(run: StackRun, url: string): Buffer {
    const parsed = new URL(url);
    const account = /^([a-z0-9]{3,24})\.blob\.core\.windows\.net$/.exec(parsed.hostname)?.[1];
    const [container, ...name] = parsed.pathname.slice(1).split("/");
    if (parsed.protocol !== "https:" || account === undefined || container === undefined || name.length === 0) {
        throw new Error(`${url} is not the https URL of a blob`);
    }
    const blobName = decodeURIComponent(name.join("/"));
    const blob = run.resources.find((resource: RegisteredResource) => resource.type === "azure-native:storage:Blob"
        && resource.inputs["accountName"] === account && resource.inputs["containerName"] === container && resource.inputs["blobName"] === blobName);
    if (blob === undefined) {
        throw new Error(`404 BlobNotFound: ${url}; the program registered no such blob`);
    }
    const source = blob.inputs["source"] as { text?: string; path?: string } | undefined;
    if (source?.text !== undefined) {
        return Buffer.from(source.text, "utf8");
    }
    if (source?.path !== undefined) {
        return fs.readFileSync(source.path);
    }
    throw new Error(`blob ${blobName} has neither a file nor a text as its source`);
}
