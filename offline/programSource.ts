/**
 * The folder the program is made of: nothing under it imports a file of the repository outside it
 * (tests/structure/importDirections.test.ts holds it to that), so two revisions whose folders are
 * alike run the same program.
 */
export const programFolder = "components";

/** The module that exports `mendixClusterProgram`, relative to the repository. */
export const programEntry = `${programFolder}/program.ts`;
