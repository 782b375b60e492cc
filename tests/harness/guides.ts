import * as fs from "node:fs";
import * as path from "node:path";
import { repositoryRoot } from "../../offline/stackConfig";

/** A Markdown file of the repository, by its path from the repository root (`docs/security.md`). */
export function readGuide(file: string): string {
    return fs.readFileSync(path.join(repositoryRoot, file), "utf8");
}

/**
 * The text under a heading (`## Rules`), up to the next heading of the same or a higher level;
 * throws when the heading is not there, so a test that reads a section also proves it exists.
 */
export function guideSection(file: string, heading: string): string {
    const level = /^#+/.exec(heading)?.[0].length;
    if (level === undefined) {
        throw new Error(`${heading}: not a Markdown heading`);
    }
    const lines = readGuide(file).split("\n");
    const start = lines.indexOf(heading);
    if (start < 0) {
        throw new Error(`${file} has no heading "${heading}"`);
    }
    const end = lines.findIndex((line, index) => index > start && /^#+ /.test(line) && (/^#+/.exec(line)?.[0].length ?? 0) <= level);
    return lines.slice(start + 1, end < 0 ? undefined : end).join("\n");
}

/** The Markdown files whose relative links must resolve: the front page, the agent's README, every guide. */
export function documentationFiles(): string[] {
    const guides = fs.readdirSync(path.join(repositoryRoot, "docs")).filter((file) => file.endsWith(".md")).sort().map((file) => `docs/${file}`);
    return ["README.md", "agent/README.md", ...guides];
}
