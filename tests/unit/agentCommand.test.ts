import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { agentArguments, agentBlobName, agentCommandLine, containerBlobUrl, customScriptSettings, downloadedPath } from "../../components/plan/agentCommand";

/** Splits a command line the way cmd.exe and Windows do for arguments without quotes or carets. */
function argv(commandLine: string): string[] {
    assert.doesNotMatch(commandLine, /["^&|<>%]/, "the command needs no quoting or escaping");
    return commandLine.split(/\s+/).filter((token) => token.length > 0);
}

const blobs = {
    agentFiles: ["agent/YamlDotNet.dll", "agent/mendix-node-agent.exe", "agent/mendix-node-agent.exe.config"],
    agentExecutable: "agent/mendix-node-agent.exe",
    settings: ["nodes/node-0/app.yaml", "nodes/node-0/crm.yaml"],
    models: ["models/app/app-0123456789ab.mda"],
    installers: ["installers/serviceConsole-0123456789ab.msi"],
};

describe("the agent's command", () => {
    it("names the agent and each settings file by its path in the download folder", () => {
        assert.deepEqual(argv(agentCommandLine("agent/mendix-node-agent.exe", ["nodes/node-0/app.yaml", "nodes/node-0/crm.yaml"])),
            ["agent\\mendix-node-agent.exe", "apply", "--settings", "nodes/node-0/app.yaml", "--settings", "nodes/node-0/crm.yaml"]);
    });

    it("follows the blob names, however deep", () => {
        assert.deepEqual(agentArguments("tools/v2/agent.exe", ["x.yaml"]), ["tools\\v2\\agent.exe", "apply", "--settings", "x.yaml"]);
    });

    it("puts the agent's files under agent/", () => {
        assert.equal(agentBlobName("mendix-node-agent.exe"), "agent/mendix-node-agent.exe");
    });

    it("refuses a blob name that is not a plain relative path", () => {
        for (const name of ["../app.yaml", "nodes//app.yaml", "/nodes/app.yaml", "nodes/./app.yaml", "my app.yaml", "nodes\\app.yaml"]) {
            assert.throws(() => downloadedPath(name), /not a plain relative path/, name);
        }
    });
});

describe("customScriptSettings", () => {
    it("downloads every blob it names from the container, and runs the agent on the settings among them", () => {
        const settings = customScriptSettings("https://acct.blob.core.windows.net/node-settings/", blobs);
        assert.deepEqual(settings.fileUris, [
            "https://acct.blob.core.windows.net/node-settings/agent/YamlDotNet.dll",
            "https://acct.blob.core.windows.net/node-settings/agent/mendix-node-agent.exe",
            "https://acct.blob.core.windows.net/node-settings/agent/mendix-node-agent.exe.config",
            "https://acct.blob.core.windows.net/node-settings/nodes/node-0/app.yaml",
            "https://acct.blob.core.windows.net/node-settings/nodes/node-0/crm.yaml",
            "https://acct.blob.core.windows.net/node-settings/models/app/app-0123456789ab.mda",
            "https://acct.blob.core.windows.net/node-settings/installers/serviceConsole-0123456789ab.msi",
        ]);
        assert.equal(settings.commandToExecute, "agent\\mendix-node-agent.exe apply --settings nodes/node-0/app.yaml --settings nodes/node-0/crm.yaml");
    });

    it("names a blob by the same URL the extension downloads it from", () => {
        assert.equal(containerBlobUrl("https://acct.blob.core.windows.net/node-settings/", "installers/serviceConsole-0123456789ab.msi"),
            "https://acct.blob.core.windows.net/node-settings/installers/serviceConsole-0123456789ab.msi");
        assert.throws(() => containerBlobUrl("https://acct.blob.core.windows.net/node-settings", "x.msi"), /must end with '\/'/);
    });

    it("refuses a program the extension would not download", () => {
        assert.throws(() => customScriptSettings("https://acct.blob.core.windows.net/node-settings/", { ...blobs, agentExecutable: "agent/other.exe" }), /not among the agent files/);
    });
});
