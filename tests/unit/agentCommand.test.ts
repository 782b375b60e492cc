import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { agentCommandLine, settingsFileName } from "../../components/plan/agentCommand";

/** Splits a command line the way Windows does for arguments without quotes or backslashes. */
function argv(commandLine: string): string[] {
    assert.doesNotMatch(commandLine, /["\\^&|<>%]/, "the command needs no quoting or escaping");
    return commandLine.split(/\s+/).filter((token) => token.length > 0);
}

describe("agentCommandLine", () => {
    it("runs the agent's apply with one --settings per app", () => {
        const command = agentCommandLine(["app.yaml", "crm.yaml"].map((file) => file));
        assert.deepEqual(argv(command), ["mendix-node-agent.exe", "apply", "--settings", "app.yaml", "--settings", "crm.yaml"]);
    });

    it("names each app's settings file after the app", () => {
        assert.equal(settingsFileName("crm"), "crm.yaml");
    });

    it("refuses an argument that would need quoting", () => {
        assert.throws(() => agentCommandLine(["my app.yaml"]), /would need quoting/);
    });
});
