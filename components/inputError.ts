/**
 * Something the user can put right (config, a file the config names, a build step): the program
 * stops with the message alone, before registering anything, rather than with a stack trace.
 */
export class InputError extends Error {}
