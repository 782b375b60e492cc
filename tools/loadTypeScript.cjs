// Lets node require this repository's TypeScript (`node --require ./tools/loadTypeScript.cjs`), by
// tsx, for the .ts files alone. tsx's CommonJS loader also takes over every .js file, lexing each to
// see whether it is an ES module it should compile: for Pulumi's and azure-native's 1,500-odd files,
// which are all CommonJS, that was a second of CPU in every process. Node's own loader takes .js
// files back; an ES-module-only dependency would fail to load with ERR_REQUIRE_ESM, saying so.
const Module = require("node:module");

const javascript = Module._extensions[".js"];
require("tsx/cjs/api").register();
Module._extensions[".js"] = javascript;
