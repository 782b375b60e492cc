import { RegisteredResource } from "../offline/evaluate";
import { changeRows } from "./changeRows";
import { ClusterNode } from "./clusterNodes";
import { compareForTree } from "./planTree";
import { changeCounts, EvaluatedStack, leaderSentence, leavingSentences, offlineDisclaimer, parentName, PlanReport, riskSentences, StackComparison } from "./planReport";
import { resourceFacts } from "./resourceFacts";

/** A table cell: pipes escaped, on one line; `code` puts it in a code span when that is safe. */
export function markdownCell(text: string, code = false): string {
    const oneLine = text.replace(/\r?\n/g, " ").replace(/\|/g, "\\|");
    if (oneLine === "") {
        return "";
    }
    return code && !oneLine.includes("`") ? `\`${oneLine}\`` : oneLine.replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
    return [
        `| ${headers.join(" | ")} |`,
        `| ${headers.map(() => "---").join(" | ")} |`,
        ...rows.map((row) => `| ${row.join(" | ")} |`),
    ];
}

function escapeHtml(text: string): string {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Prose that may hold code spans: HTML escaped outside them, since a code span shows entities as typed. */
export function markdownProse(text: string): string {
    return text.split(/(`[^`]*`)/).map((part, index) => (index % 2 === 1 ? part : escapeHtml(part))).join("");
}

/** A collapsible section; an empty one says so instead of showing an empty table. */
function details(title: string, count: number, body: readonly string[]): string[] {
    return ["", `<details><summary>${escapeHtml(title)} (${count})</summary>`, "", ...(count === 0 ? ["None."] : body), "", "</details>"];
}

function header(title: string, notes: readonly string[], warnings: readonly string[]): string[] {
    return [
        `### ${title}`, "", `> ${offlineDisclaimer}`,
        ...notes.flatMap((note) => ["", `> **Note:** ${markdownProse(note)}`]),
        ...warnings.flatMap((warning) => ["", `> **Warning from the program:** ${markdownProse(warning)}`]),
        "",
    ];
}

function resourceRows(resources: readonly RegisteredResource[], nodes: readonly ClusterNode[]): string[][] {
    return [...resources].sort(compareForTree).map((resource) => [
        markdownCell(resource.name, true),
        markdownCell(resource.type, true),
        markdownCell(parentName(resource), true),
        markdownCell(resourceFacts(resource, nodes).join(" · ")),
    ]);
}

const resourceHeaders = ["resource", "type", "parent", "facts"] as const;

function renderStack(stack: EvaluatedStack): string[] {
    const settingRows = stack.nodes.flatMap((node) => node.apps.flatMap((app) => [
        ...Object.entries(app.runtimeSettings).map(([name, value]) => [node.name, app.app, "runtime", name, value]),
        ...Object.entries(app.customSettings).map(([name, value]) => [node.name, app.app, "custom", name, value]),
    ].map((cells) => cells.map((cell) => markdownCell(cell, true)))));
    return [
        ...header(`Offline plan: \`${stack.stack}\` (${escapeHtml(stack.revision)})`, stack.notes, stack.warnings),
        `**Summary:** ${stack.resources.length} resources, ${stack.nodes.length} nodes, leader ${stack.leader === undefined ? "(none)" : `\`${stack.leader}\``}.`,
        ...details("Resources", stack.resources.length, markdownTable(resourceHeaders, resourceRows(stack.resources, stack.nodes))),
        ...details("Nodes", stack.nodes.length, markdownTable(["node", "role", "computer", "zone", "size", "apps"], stack.nodes.map((node) => [
            markdownCell(node.name, true),
            node.leader ? "leader" : "follower",
            markdownCell(node.computerName, true),
            markdownCell(node.zone ?? ""),
            markdownCell(node.vmSize ?? "", true),
            markdownCell(node.apps.map((app) => app.app).join(", ")),
        ]))),
        ...details("Node settings", settingRows.length, markdownTable(["node", "app", "kind", "setting", "value"], settingRows)),
    ];
}

function renderComparison(comparison: StackComparison): string[] {
    const { before, after, diff, verdict } = comparison;
    const beforeByUrn = new Map(before.resources.map((resource) => [resource.urn, resource]));
    const afterByUrn = new Map(after.resources.map((resource) => [resource.urn, resource]));
    const risks = riskSentences(verdict);
    const changedRows = [...diff.changed]
        .sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name, "en", { numeric: true }))
        .flatMap((change) => {
            const previous = beforeByUrn.get(change.urn);
            const next = afterByUrn.get(change.urn);
            return previous === undefined || next === undefined ? [] : changeRows(change, previous, next).map((row) => [
                markdownCell(change.name, true),
                markdownCell(change.type, true),
                markdownCell(row.property, true),
                markdownCell(row.before, true),
                markdownCell(row.after, true),
                row.replaces ? "**replace**" : "update",
            ]);
        });
    return [
        ...header(`Offline plan: \`${after.stack}\`, ${escapeHtml(after.revision)} against ${escapeHtml(before.revision)}`, [...new Set([...before.notes, ...after.notes])], after.warnings),
        `**Summary:** ${changeCounts(diff)}; ${leaderSentence(verdict)}.`,
        ...(risks.length === 0 ? [] : ["", "> [!WARNING]", "> **Needs attention**", ...risks.map((risk) => `> - ${markdownProse(risk)}`)]),
        ...(verdict.leaving.length === 0 ? [] : ["", "**Nodes leaving** (routine):", "", ...leavingSentences(verdict).map((sentence) => `- ${markdownProse(sentence)}`)]),
        ...details("Added", diff.added.length, markdownTable(resourceHeaders, resourceRows(diff.added, after.nodes))),
        ...details("Changed", diff.changed.length, markdownTable(["resource", "type", "property", "before", "after", "effect"], changedRows)),
        ...details("Removed", diff.removed.length, markdownTable(resourceHeaders, resourceRows(diff.removed, before.nodes))),
    ];
}

export function renderMarkdown(report: PlanReport): string {
    return `${(report.kind === "plan" ? renderStack(report.stack) : renderComparison(report)).join("\n")}\n`;
}
