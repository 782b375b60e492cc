import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { healthProbePath } from "../../components/plan/delivery";
import { runStateOverrideScript } from "../../components/plan/runStateOverride";
import { startAppsScript, stopAppsScript } from "../../components/plan/stopAppsScript";
import { repositoryRoot } from "../../offline/stackConfig";

/**
 * The Run Command scripts that stop and start apps are PowerShell for Windows PowerShell 5.1 on a
 * node. They are run where the agent's own scripts are: under PowerShell 7 against the stand-in
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
        stopApps: { apps: ["app", "crm"], by: "mendix-stop-0123abcd", script: stopAppsScript(["app", "crm"], "mendix-stop-0123abcd") },
        startLeader: { apps: ["app", "crm"], readySeconds: 600, script: startAppsScript(["app", "crm"], true, healthUrl, 600) },
        startFollower: { apps: ["app"], readySeconds: 300, script: startAppsScript(["app"], false, healthUrl, 300) },
        serving: { apps: ["app"], by: "failover-toStandby", script: runStateOverrideScript(["app"], true, "failover-toStandby") },
    };
    return `${JSON.stringify({ renderedBy: "tests/unit/runCommandScripts.test.ts", scripts }, null, 2)}\n`;
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
        const script = stopAppsScript(["app"], "mendix-stop-0123abcd");
        assert.equal(script.split("'M:\\Mendix\\Apps'").length - 1, 1);
    });
});
