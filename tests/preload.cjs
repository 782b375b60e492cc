// Loaded after tools/loadTypeScript.cjs by the test command, on the test thread and on the evaluation
// worker alike (a worker runs its process's preloads). tsx turns Node's source maps on; Pulumi
// takes a stack trace for every promise and every resource, and mapping each frame through the
// source maps was most of the suite's time. Test runs do without them: a failing assertion still
// names the test file, line and column of the code as run.
process.setSourceMapsEnabled(false);
