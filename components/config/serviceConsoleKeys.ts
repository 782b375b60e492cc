/**
 * Names the Mendix Service Console reads as its own settings before it collects the custom runtime settings under
 * `Runtime:` in Settings.yaml (Service Console 4.7.1, Settings.LoadSettings). A custom setting of one of these names is
 * never passed to the runtime as a custom setting, so the node agent refuses it (exit 2).
 *
 * This list mirrors `ReadBeforeCustomSettings` (ConsoleRuntimeKeys plus the file's other keys) in
 * agent/src/MendixNodeAgent/Settings/SettingsYamlLayout.cs; tests/unit/serviceConsoleKeys.test.ts reads that file and
 * fails when the two lists differ.
 */
export const serviceConsoleKeys: readonly string[] = [
    "MendixPath", "JavaPath", "ProjectPath", "LogPath", "BackupPath", "UploadedFilesPath", "TempPath", "MaxJavaHeapSize",
    "OtherVMArguments", "RuntimePortNumber", "ServerPortNumber", "ServerPassword", "ApplicationRootUrl", "ScheduledEventExecution",
    "RuntimeListenAddresses", "AdminListenAddresses", "DTAPMode",
    "Version", "QSlotId", "Account", "UserName", "Password", "ServiceName", "DisplayName", "Description", "StartMode",
    "DatabaseType", "DatabaseHost", "DatabaseName", "DatabaseUserName", "DatabasePassword", "DatabaseUseIntegratedSecurity",
];

/** Compared without regard to case, as the agent compares them. */
export function isServiceConsoleKey(key: string): boolean {
    const lower = key.toLowerCase();
    return serviceConsoleKeys.some((consoleKey) => consoleKey.toLowerCase() === lower);
}
