import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseMarkdown, tableCells } from "./markdownDocument";

describe("the test's Markdown reader", () => {
    it("splits table cells on unescaped pipes and unwraps code spans", () => {
        assert.deepEqual(tableCells("| `a\\|b` | plain | |"), ["a|b", "plain", ""]);
    });

    it("reads headings, quotes, paragraphs and tables inside and outside <details>", () => {
        const document = parseMarkdown([
            "### Title", "", "> quoted", "> on", "", "Some **text**.", "",
            "<details><summary>Part (1)</summary>", "", "| a | b |", "| --- | --- |", "| 1 | 2 |", "", "</details>",
        ].join("\n"));
        assert.deepEqual(document.headings, [{ level: 3, text: "Title" }]);
        assert.deepEqual(document.quotes, ["quoted on"]);
        assert.deepEqual(document.paragraphs, ["Some **text**."]);
        assert.equal(document.details[0]?.summary, "Part (1)");
        assert.deepEqual(document.details[0]?.tables, [{ headers: ["a", "b"], rows: [["1", "2"]] }]);
    });

    it("refuses a table whose rows do not match the header, or a section never closed", () => {
        assert.throws(() => parseMarkdown("| a | b |\n| --- | --- |\n| 1 |"), /1 cells under 2 headers/);
        assert.throws(() => parseMarkdown("| a | b |\n| 1 | 2 |"), /separator/);
        assert.throws(() => parseMarkdown("<details><summary>x</summary>\n\nbody"), /unclosed/);
    });
});
