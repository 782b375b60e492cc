import { isAtLeast, MendixVersion } from "./mendixVersion";

/**
 * The value of `com.mendix.storage.PerformDeleteFromStorage` for an app: files of deleted file
 * documents stay in the storage container, so a database restored to an earlier point still finds
 * its files (the HA guide: "strongly recommended ... with value false",
 * deployment/on-premises-design/ms-windows/deploy-mendix-ha-on-windows-in-microsoft-azure.md).
 *
 * The runtime docs of Mendix 10 and 11 (refguide10 and refguide, runtime/custom-settings/_index.md)
 * name three values, `AllFiles`, `TemporaryFiles` (only files created in a transaction and referenced
 * by no file document are deleted) and `NoFiles`, with `true` and `false` legacy aliases of `AllFiles`
 * and `TemporaryFiles` "which will be deprecated"; Mendix 9's (refguide9) knows `true` and `false`
 * only. The docs do not say in which 10.x release the names came, so `TemporaryFiles` is rendered from
 * Mendix 11.0, whose every release documents it; earlier versions, and an app with no model yet (no
 * version known), get `false`, which every version reads and which means the same.
 */
export const keepDeletedFilesFrom = { major: 11, minor: 0 } as const;

export function performDeleteFromStorage(runtimeVersion: MendixVersion | undefined): "TemporaryFiles" | "false" {
    return runtimeVersion !== undefined && isAtLeast(runtimeVersion, keepDeletedFilesFrom.major, keepDeletedFilesFrom.minor) ? "TemporaryFiles" : "false";
}
