/** Custom settings the stack sets itself; an app's own `customSettings` may not touch them. */
export const managedSettingRules: readonly { readonly describe: string; readonly matches: (key: string) => boolean }[] = [
    { describe: "com.mendix.core.isClusterSlave", matches: (key) => key === "com.mendix.core.isclusterslave" },
    { describe: "com.mendix.core.StorageService", matches: (key) => key === "com.mendix.core.storageservice" },
    { describe: "com.mendix.storage.*", matches: (key) => key.startsWith("com.mendix.storage.") },
    { describe: "Database*", matches: (key) => key.startsWith("database") },
    { describe: "License.*", matches: (key) => key.startsWith("license.") },
];

export function isManagedSetting(key: string): boolean {
    const lower = key.toLowerCase();
    return managedSettingRules.some((rule) => rule.matches(lower));
}
