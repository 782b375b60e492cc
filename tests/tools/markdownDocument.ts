/**
 * A small reader of the Markdown the plan writes: headings, block quotes, paragraphs, GitHub
 * tables and <details> sections. It throws on a table whose rows do not match its header, so a
 * test that reads a table also proves it is well formed.
 */

export interface MarkdownTable {
    readonly headers: readonly string[];
    readonly rows: readonly (readonly string[])[];
}

export interface MarkdownBlocks {
    readonly headings: readonly { readonly level: number; readonly text: string }[];
    /** Each block quote's lines, joined by spaces, without the `>` markers. */
    readonly quotes: readonly string[];
    readonly paragraphs: readonly string[];
    readonly tables: readonly MarkdownTable[];
}

export interface DetailsSection extends MarkdownBlocks {
    readonly summary: string;
}

export interface MarkdownDocument extends MarkdownBlocks {
    readonly details: readonly DetailsSection[];
}

/** A table row's cells: split on pipes that are not escaped, code spans unwrapped, `\|` read as `|`. */
export function tableCells(line: string): string[] {
    const trimmed = line.trim();
    if (!trimmed.startsWith("|") || !trimmed.endsWith("|")) {
        throw new Error(`not a table row: ${line}`);
    }
    const cells: string[] = [];
    let cell = "";
    for (let index = 1; index < trimmed.length - 1; index++) {
        const character = trimmed[index];
        if (character === "\\" && trimmed[index + 1] === "|") {
            cell += "|";
            index++;
        } else if (character === "|") {
            cells.push(cell);
            cell = "";
        } else {
            cell += character;
        }
    }
    cells.push(cell);
    return cells.map((text) => text.trim()).map((text) => (/^`[^`]*`$/.test(text) ? text.slice(1, -1) : text));
}

function readBlocks(lines: readonly string[]): MarkdownBlocks {
    const headings: { level: number; text: string }[] = [];
    const quotes: string[] = [];
    const paragraphs: string[] = [];
    const tables: MarkdownTable[] = [];
    for (let index = 0; index < lines.length;) {
        const line = lines[index] ?? "";
        const heading = /^(#{1,6}) (.*)$/.exec(line);
        if (heading) {
            headings.push({ level: heading[1]?.length ?? 0, text: heading[2] ?? "" });
            index++;
        } else if (line.startsWith(">")) {
            const quote: string[] = [];
            while (index < lines.length && (lines[index] ?? "").startsWith(">")) {
                quote.push((lines[index] ?? "").replace(/^> ?/, ""));
                index++;
            }
            quotes.push(quote.join(" "));
        } else if (line.startsWith("|")) {
            const headers = tableCells(line);
            const separator = tableCells(lines[index + 1] ?? "");
            if (separator.length !== headers.length || !separator.every((cell) => /^:?-{3,}:?$/.test(cell))) {
                throw new Error(`table without a separator row under: ${line}`);
            }
            const rows: string[][] = [];
            index += 2;
            while (index < lines.length && (lines[index] ?? "").startsWith("|")) {
                const row = tableCells(lines[index] ?? "");
                if (row.length !== headers.length) {
                    throw new Error(`row of ${row.length} cells under ${headers.length} headers: ${lines[index]}`);
                }
                rows.push(row);
                index++;
            }
            tables.push({ headers, rows });
        } else if (line.trim() !== "") {
            const paragraph: string[] = [];
            while (index < lines.length && (lines[index] ?? "").trim() !== "" && !/^(#|>|\|)/.test(lines[index] ?? "")) {
                paragraph.push(lines[index] ?? "");
                index++;
            }
            paragraphs.push(paragraph.join(" "));
        } else {
            index++;
        }
    }
    return { headings, quotes, paragraphs, tables };
}

export function parseMarkdown(text: string): MarkdownDocument {
    const lines = text.split("\n");
    const outside: string[] = [];
    const details: DetailsSection[] = [];
    for (let index = 0; index < lines.length; index++) {
        const open = /^<details( open)?><summary>(.*)<\/summary>$/.exec(lines[index] ?? "");
        if (!open) {
            if ((lines[index] ?? "").includes("details>")) {
                throw new Error(`stray details tag: ${lines[index]}`);
            }
            outside.push(lines[index] ?? "");
            continue;
        }
        const end = lines.indexOf("</details>", index + 1);
        if (end < 0) {
            throw new Error(`unclosed <details>: ${lines[index]}`);
        }
        details.push({ summary: open[2] ?? "", ...readBlocks(lines.slice(index + 1, end)) });
        index = end;
    }
    return { ...readBlocks(outside), details };
}

/** A table's rows as records by header. */
export function tableRecords(table: MarkdownTable): Record<string, string>[] {
    return table.rows.map((row) => Object.fromEntries(table.headers.map((header, index) => [header, row[index] ?? ""])));
}
