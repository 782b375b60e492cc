/**
 * The folder the program is made of: nothing under it imports a file of the repository outside it
 * but the secret-setting rule (tests/structure/importDirections.test.ts holds it to that), so two
 * revisions whose program paths are alike run the same program.
 */
export const programFolder = "components";

/** The one rule of which setting names hold a secret, which the program reads with the agent, the plan and the policy pack. */
export const secretSettingRule = "docs/secret-settings.json";

/** Everything the program is made of. */
export const programPaths: readonly string[] = [programFolder, secretSettingRule];

/** The module that exports `mendixClusterProgram`, relative to the repository. */
export const programEntry = `${programFolder}/program.ts`;
