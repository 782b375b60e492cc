/**
 * What every real stack file sets and this repository's cannot: the public address `pulumi up` runs
 * from (`deployerCidrs`: the first deployment's, by hand; the deployment workflow adds its runner's
 * address to the storage firewall for each run, but the program still needs the key) and the
 * Service Console, which Mendix publishes with no stable URL and no hash. Documentation values for
 * evaluations here and a local plan (`tools/planStandIns.ts`); `pulumi up` and a `--strict` plan
 * refuse a stack file without them. An evaluation that passes its own value of a key, or
 * `undefined`, replaces it.
 */
export const standInDeployerCidrs: readonly string[] = ["198.51.100.7"];
export const standInInstallers = {
    serviceConsole: { url: "https://downloads.example.com/mendix-service-console-4.7.4.exe", sha256: "3".repeat(64) },
} as const;
export const standInConfig = { deployerCidrs: standInDeployerCidrs, installers: standInInstallers };
