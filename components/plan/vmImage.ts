import { NodeImage } from "../config/delivery";

/** Windows Server 2022 Azure Edition: Gen2 (Trusted Launch) and hotpatch-capable automatic patching. */
export const windowsServerImage = {
    publisher: "MicrosoftWindowsServer",
    offer: "WindowsServer",
    sku: "2022-datacenter-azure-edition",
    version: "latest",
} as const;

/** The image reference of a node: a prepared image when configured, Windows Server 2022 otherwise. */
export function imageReference(image: NodeImage | undefined): { publisher?: string; offer?: string; sku?: string; version?: string; id?: string } {
    if (image === undefined) {
        return { ...windowsServerImage };
    }
    return image.kind === "gallery"
        ? { id: image.id }
        : { publisher: image.publisher, offer: image.offer, sku: image.sku, version: image.version };
}
