import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { securityRules } from "../../policy/rules";
import { guideSection } from "../harness/guides";

interface RuleRow {
    readonly policy: string;
    readonly rule: string;
    readonly checkov: readonly string[];
    readonly benchmark: readonly string[];
}

/** The security guide's table of rules: `| policy | rule | checkov | benchmark |`, under "Rules". */
function readmeRuleRows(): RuleRow[] {
    const section = guideSection("docs/security.md", "## Rules");
    const lines = section.split("\n").filter((line) => line.startsWith("|"));
    const [header, separator, ...rows] = lines.map((line) => line.slice(1, -1).split("|").map((cell) => cell.trim()));
    assert.deepEqual(header, ["policy", "rule", "checkov", "benchmark"]);
    assert.ok(separator?.every((cell) => /^-+$/.test(cell)));
    const ids = (cell: string) => (cell === "—" ? [] : cell.split(",").map((id) => id.trim()));
    return rows.map(([policy = "", rule = "", checkov = "", benchmark = ""]) => ({
        policy: policy.replace(/^`|`$/g, ""), rule, checkov: ids(checkov), benchmark: ids(benchmark),
    }));
}

describe("the security guide's rules", () => {
    const rows = readmeRuleRows();

    it("lists every policy of the pack, in the pack's order, with its description", () => {
        assert.deepEqual(rows.map((row) => row.policy), securityRules.map((rule) => rule.name));
        for (const rule of securityRules) {
            assert.equal(rows.find((row) => row.policy === rule.name)?.rule, rule.description, rule.name);
        }
    });

    it("maps each policy to the checkov checks and benchmark controls the pack declares", () => {
        for (const rule of securityRules) {
            const row = rows.find((candidate) => candidate.policy === rule.name);
            assert.deepEqual(row?.checkov, [...rule.checkov], `${rule.name}'s checkov ids`);
            assert.deepEqual(row?.benchmark, [...rule.benchmark], `${rule.name}'s benchmark controls`);
        }
    });

    it("names checkov ids and benchmark controls in their published forms", () => {
        for (const row of rows) {
            assert.ok(row.checkov.every((id) => /^CKV2?_AZURE_\d+$/.test(id)), row.policy);
            // A dash: no benchmark control tests it (zone resilience is no security control).
            assert.ok(row.benchmark.every((id) => /^(NS|IM|PA|DP|AM|LT|IR|PV|ES|BR|DS|GS)-\d+$/.test(id)), row.policy);
        }
    });
});
