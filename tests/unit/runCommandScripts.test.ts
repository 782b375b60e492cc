import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { databaseUsersCommand } from "../../components/plan/databaseUsers";
import { healthProbePath } from "../../components/plan/delivery";
import { runStateOverrideScript } from "../../components/plan/runStateOverride";
import { startAppsScript, stopAppsScript } from "../../components/plan/stopAppsScript";
import { repositoryRoot } from "../../offline/stackConfig";

/**
 * The Run Command scripts that stop and start apps are PowerShell for Windows PowerShell 5.1 on a
 * node; the database users' Run Command takes parameters. They are run where the agent's own scripts are: under PowerShell 7 against the stand-in
 * cmdlets of the agent's tests (`agent/tests/MendixNodeAgent.Tests/RunCommandScriptTests.cs`),
 * which need the stand-ins' .NET types and a PowerShell this side does not have. So this side keeps
 * the renderings in a fixture the agent's tests read, and fails when the fixture is not what the
 * code renders today, saying how to write it again; the agent's tests fail when the rendering does
 * not behave. Neither needs the other's tool chain, and `npm test` runs both.
 */
const fixtureFile = path.join(repositoryRoot, "agent", "tests", "Fixtures", "run-command-scripts.json");
const healthUrl = `http://localhost${healthProbePath}`;

export function runCommandScriptsFixture(): string {
    const scripts = {
        stopApps: { apps: ["app", "crm"], by: "mendix-stop-0123abcd", until: "next-run", script: stopAppsScript(["app", "crm"], { by: "mendix-stop-0123abcd", until: "next-run" }) },
        standBy: { apps: ["app"], by: "failover-toStandby", until: "next-failover", script: stopAppsScript(["app"], { by: "failover-toStandby", until: "next-failover" }) },
        startLeader: { apps: ["app", "crm"], readySeconds: 600, by: "failover-toStandby", script: startAppsScript(["app", "crm"], true, healthUrl, 600, "failover-toStandby") },
        startFollower: { apps: ["app"], readySeconds: 300, by: "failover-toStandby", script: startAppsScript(["app"], false, healthUrl, 300, "failover-toStandby") },
        serving: { apps: ["app"], by: "failover-toStandby", until: "next-failover", script: runStateOverrideScript(["app"], true, { by: "failover-toStandby", until: "next-failover" }) },
    };
    // agent/scripts/database-users.ps1 is a file of its own; its Run Command's parameters are rendered here.
    const databaseUsers = databaseUsersCommand("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "mx-prod-sql-k3x9q2.database.windows.net", [
        { database: "crm", user: "mx-prod-app-crm-id", clientId: "7f6e5d4c-3b2a-4190-8877-665544332211" },
        { database: "app", user: "mx-prod-app-app-id", clientId: "3d4c5b6a-0000-4000-8000-0000000000a1" },
    ], 1800);
    return `${JSON.stringify({ renderedBy: "tests/unit/runCommandScripts.test.ts", scripts, databaseUsersParameters: databaseUsers.parameters }, null, 2)}\n`;
}

describe("the Run Command scripts the agent's tests run", () => {
    it("are in the agent's fixture as the code renders them", () => {
        const rendered = runCommandScriptsFixture();
        if (process.env["UPDATE_FIXTURES"] === "1") {
            fs.writeFileSync(fixtureFile, rendered);
        }
        const kept = fs.existsSync(fixtureFile) ? fs.readFileSync(fixtureFile, "utf8") : "";
        assert.equal(kept, rendered, `${path.relative(repositoryRoot, fixtureFile)} is not what the code renders: write it again with `
            + "UPDATE_FIXTURES=1 node --require ./tools/loadTypeScript.cjs --require ./tests/preload.cjs --test tests/unit/runCommandScripts.test.ts, "
            + "then run the agent's tests (dotnet test agent/MendixNodeAgent.sln --filter FullyQualifiedName~RunCommandScript)");
    });

    it("name the apps root once, so that a test can put the node's M: elsewhere", () => {
        const script = stopAppsScript(["app"], { by: "mendix-stop-0123abcd", until: "next-run" });
        assert.equal(script.split("'M:\\Mendix\\Apps'").length - 1, 1);
    });
});
