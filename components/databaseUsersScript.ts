import * as fs from "fs";
import * as path from "path";

/**
 * The script the node that creates the apps' database users runs as a Run Command
 * (`plan/databaseUsers.ts`). It is tested where the agent's PowerShell is: against stand-ins and an
 * emulator of Azure SQL, in `agent/tests/MendixNodeAgent.Tests/DatabaseUsersScriptTests.cs`.
 */
export const databaseUsersScriptFile = path.join(__dirname, "..", "agent", "scripts", "database-users.ps1");

export function loadDatabaseUsersScript(): string {
    return fs.readFileSync(databaseUsersScriptFile, "utf8");
}
