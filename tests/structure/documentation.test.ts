import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { repositoryRoot } from "../../offline/stackConfig";
import { documentationFiles, readGuide } from "../harness/guides";

/** The anchor GitHub gives a heading: lower case, punctuation but hyphens dropped, spaces as hyphens. */
export function headingAnchor(heading: string): string {
    return heading.trim().toLowerCase().replace(/[`*_]/g, "").replace(/[^\p{L}\p{N} -]/gu, "").replace(/ /g, "-");
}

function anchorsOf(markdown: string): Set<string> {
    const anchors = new Set<string>();
    let inCode = false;
    for (const line of markdown.split("\n")) {
        if (line.startsWith("```")) {
            inCode = !inCode;
        } else if (!inCode && /^#{1,6} /.test(line)) {
            anchors.add(headingAnchor(line.replace(/^#+ /, "")));
        }
    }
    return anchors;
}

/** Every `[text](target)` outside code blocks whose target is not a URL. */
function relativeLinks(markdown: string): string[] {
    const withoutCode = markdown.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
    return [...withoutCode.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1] ?? "").filter((target) => !/^[a-z]+:/.test(target));
}

describe("the documentation", () => {
    it("reads headings as GitHub anchors them", () => {
        assert.equal(headingAnchor("Rolling out: readiness gate, drain, database wait"), "rolling-out-readiness-gate-drain-database-wait");
        assert.equal(headingAnchor("Storage firewall and `deployerCidrs`"), "storage-firewall-and-deployercidrs");
    });

    for (const file of documentationFiles()) {
        it(`${file}: every relative link leads to a file, and every anchor to a heading of it`, () => {
            const broken: string[] = [];
            for (const link of relativeLinks(readGuide(file))) {
                const [target = "", anchor] = link.split("#");
                const resolved = target === "" ? file : path.normalize(path.join(path.dirname(file), target));
                if (!fs.existsSync(path.join(repositoryRoot, resolved))) {
                    broken.push(`${link} (no file ${resolved})`);
                } else if (anchor !== undefined && resolved.endsWith(".md") && !anchorsOf(readGuide(resolved)).has(anchor)) {
                    broken.push(`${link} (no heading of ${resolved} has the anchor #${anchor})`);
                }
            }
            assert.deepEqual(broken, []);
        });
    }

    it("has a front page of at most 250 lines that links every guide in docs/", () => {
        const readme = readGuide("README.md");
        assert.ok(readme.split("\n").length <= 250, `README.md has ${readme.split("\n").length} lines`);
        const guides = documentationFiles().filter((file) => file.startsWith("docs/"));
        const linked = new Set(relativeLinks(readme).map((link) => link.split("#")[0]));
        assert.deepEqual(guides.filter((guide) => !linked.has(guide)), []);
    });

    it("starts every guide with its title and who it is for", () => {
        for (const file of documentationFiles().filter((name) => name.startsWith("docs/"))) {
            const [title, blank, opening] = readGuide(file).split("\n");
            assert.match(title ?? "", /^# \S/, `${file} starts with its title`);
            assert.equal(blank, "", file);
            assert.match(opening ?? "", /^For /, `${file} says who it is for`);
        }
    });

    it("has .ci/run call exactly the front page's test command", () => {
        const command = /```sh\n(npm [^\n]+)\n```/.exec(readGuide("README.md"))?.[1];
        assert.equal(command, "npm ci && npm test");
        const run = fs.readFileSync(path.join(repositoryRoot, ".ci", "run"), "utf8").split("\n").filter((line) => line !== "" && !line.startsWith("#") && !line.startsWith("set ") && !line.startsWith("cd "));
        assert.deepEqual(run, [command]);
    });
});
