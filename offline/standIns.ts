/**
 * What every real stack adds and this repository cannot know: the address `pulumi up` runs from
 * (set by the deploying pipeline) and the Service Console, which Mendix publishes with no stable
 * URL and no hash (set in the stack file). Documentation values here; an evaluation that passes
 * its own value of a key, or `undefined`, replaces it.
 */
export const standInDeployerCidrs: readonly string[] = ["198.51.100.7"];
export const standInInstallers = {
    serviceConsole: { url: "https://downloads.example.com/mendix-service-console-4.7.4.exe", sha256: "3".repeat(64) },
} as const;
export const standInConfig = { deployerCidrs: standInDeployerCidrs, installers: standInInstallers };
