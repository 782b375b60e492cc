import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { describe, it } from "node:test";
import { isServiceConsoleKey, serviceConsoleKeys } from "../../components/config/serviceConsoleKeys";
import { configIssues, parseValues } from "../harness/parseConfig";
import { repositoryRoot } from "../../offline/stackConfig";

const layoutFile = path.join(repositoryRoot, "agent", "src", "MendixNodeAgent", "Settings", "SettingsYamlLayout.cs");

/** The names in a C# array initialiser: string literals, and `const string` names resolved to their values. */
function namesIn(initialiser: string, constants: ReadonlyMap<string, string>): string[] {
    return initialiser
        .split(",")
        .map((item) => item.trim())
        .filter((item) => item !== "")
        .map((item) => {
            const literal = /^"([^"]*)"$/.exec(item);
            if (literal?.[1] !== undefined) {
                return literal[1];
            }
            const value = constants.get(item);
            if (value === undefined) {
                throw new Error(`${layoutFile}: '${item}' is neither a string literal nor a const string of the class`);
            }
            return value;
        });
}

/** The agent's refused custom-setting names: ConsoleRuntimeKeys followed by the keys ReadBeforeCustomSettings adds. */
function agentRefusedKeys(): string[] {
    const source = fs.readFileSync(layoutFile, "utf8");
    const constants = new Map([...source.matchAll(/const string (\w+) = "([^"]*)";/g)].map((match) => [match[1] ?? "", match[2] ?? ""]));
    const consoleKeys = /ConsoleRuntimeKeys = new\[\]\s*\{([^}]*)\}/.exec(source)?.[1];
    const added = /ReadBeforeCustomSettings = ConsoleRuntimeKeys\.Concat\(new\[\]\s*\{([^}]*)\}/.exec(source)?.[1];
    assert.ok(consoleKeys !== undefined && added !== undefined, `${layoutFile} no longer declares ConsoleRuntimeKeys and ReadBeforeCustomSettings as this test reads them`);
    return [...namesIn(consoleKeys, constants), ...namesIn(added, constants)];
}

describe("serviceConsoleKeys", () => {
    it("is the agent's list of refused custom settings, in the same order", () => {
        const agentKeys = agentRefusedKeys();
        assert.ok(agentKeys.includes("RuntimePortNumber") && agentKeys.includes("JavaPath"), JSON.stringify(agentKeys));
        assert.deepEqual([...serviceConsoleKeys], agentKeys);
    });

    it("matches without regard to case, as the agent does", () => {
        for (const key of ["MendixPath", "javapath", "SERVERPORTNUMBER", "DTAPMode", "StartMode", "DatabaseUseIntegratedSecurity"]) {
            assert.equal(isServiceConsoleKey(key), true, key);
        }
        for (const key of ["SessionTimeout", "JavaPaths", "Runtime", "com.mendix.core.SessionIdCookieName"]) {
            assert.equal(isServiceConsoleKey(key), false, key);
        }
    });
});

function issuesOf(customSettings: Record<string, unknown>) {
    return configIssues({ apps: [{ name: "crm", customSettings }] });
}

describe("apps[].customSettings and the Service Console's own keys", () => {
    it("refuses each console key, naming the key, the value and what is allowed", () => {
        for (const key of ["MendixPath", "JavaPath", "ProjectPath", "LogPath", "BackupPath", "UploadedFilesPath", "TempPath", "MaxJavaHeapSize",
            "OtherVMArguments", "RuntimePortNumber", "ServerPortNumber", "ApplicationRootUrl", "ScheduledEventExecution",
            "RuntimeListenAddresses", "AdminListenAddresses", "DTAPMode", "runtimeportnumber", "QSlotId", "StartMode"]) {
            const issues = issuesOf({ [key]: "C:/mendix" });
            assert.equal(issues.length, 1, `${key}: ${JSON.stringify(issues)}`);
            assert.equal(issues[0]?.key, `apps[0].customSettings.${key}`);
            assert.equal(issues[0]?.value, "\"C:/mendix\"");
            assert.match(issues[0]?.allowed ?? "", /not one of the Service Console's own settings \(MendixPath, JavaPath, .*DatabaseUseIntegratedSecurity\)/);
        }
    });

    it("hides the value of a password-named console key", () => {
        const issues = issuesOf({ ServerPassword: "fixture-admin-password" });
        assert.equal(issues[0]?.key, "apps[0].customSettings.ServerPassword");
        assert.doesNotMatch(JSON.stringify(issues), /fixture-admin-password/);
    });

    it("reports every refused key at once and keeps the others", () => {
        const issues = issuesOf({ JavaPath: "x", SessionTimeout: 600000, DTAPMode: "P" });
        assert.deepEqual(issues.map((issue) => issue.key), ["apps[0].customSettings.JavaPath", "apps[0].customSettings.DTAPMode"]);
        assert.deepEqual(parseValues({ apps: [{ name: "crm", customSettings: { SessionTimeout: 600000 } }] }).apps[0]?.customSettings, { SessionTimeout: "600000" });
    });
});
