import { RegisteredResource } from "../offline/evaluate";
import { changeRows } from "./changeRows";
import { ClusterNode } from "./clusterNodes";
import { buildPlanTree, compareForTree, PlanTreeNode } from "./planTree";
import { changeCounts, EvaluatedStack, leaderSentence, leavingSentences, offlineDisclaimer, parentName, PlanReport, riskSentences, StackComparison } from "./planReport";
import { resourceFacts } from "./resourceFacts";

const width = 100;

/** Breaks a paragraph into lines of at most `width` characters: the first after `firstIndent`, the rest after `indent`. */
export function wrap(text: string, indent = "", firstIndent = ""): string[] {
    const lines: string[] = [];
    let line = firstIndent;
    let empty = true;
    for (const word of text.split(/\s+/).filter((part) => part !== "")) {
        if (!empty && line.length + 1 + word.length > width) {
            lines.push(line);
            line = indent + word;
        } else {
            line = empty ? line + word : `${line} ${word}`;
        }
        empty = false;
    }
    return empty ? lines : [...lines, line];
}

function describe(resource: RegisteredResource, nodes: readonly ClusterNode[]): string {
    const facts = resourceFacts(resource, nodes);
    return facts.length === 0 ? `${resource.type} ${resource.name}` : `${resource.type} ${resource.name}  [${facts.join(" · ")}]`;
}

/** Roots flush left; every child under its parent with a branch. */
function treeLines(trees: readonly PlanTreeNode[], nodes: readonly ClusterNode[], prefix?: string): string[] {
    return trees.flatMap((tree, index) => {
        const last = index === trees.length - 1;
        const line = prefix === undefined ? describe(tree.resource, nodes) : `${prefix}${last ? "└─ " : "├─ "}${describe(tree.resource, nodes)}`;
        const below = prefix === undefined ? "" : `${prefix}${last ? "   " : "│  "}`;
        return [line, ...treeLines(tree.children, nodes, below)];
    });
}

function settingLines(title: string, settings: Readonly<Record<string, string>>, indent: string): string[] {
    const entries = Object.entries(settings);
    return entries.length === 0 ? [] : [`${indent}${title}:`, ...entries.map(([name, value]) => `${indent}  ${name} = ${value}`)];
}

function nodeLines(nodes: readonly ClusterNode[]): string[] {
    return nodes.flatMap((node) => [
        `  ${node.name}  ${node.leader ? "leader" : "follower"}  computer ${node.computerName}` +
            `${node.zone === undefined ? "" : `  zone ${node.zone}`}${node.vmSize === undefined ? "" : `  size ${node.vmSize}`}`,
        ...node.apps.flatMap((app) => [
            `    app ${app.app}`,
            ...settingLines("runtime settings", app.runtimeSettings, "      "),
            ...settingLines("custom settings", app.customSettings, "      "),
        ]),
    ]);
}

function header(title: string, notes: readonly string[], warnings: readonly string[]): string[] {
    return [
        title, "", ...wrap(offlineDisclaimer),
        ...notes.flatMap((note) => ["", ...wrap(`Note: ${note}`, "  ")]),
        ...warnings.flatMap((warning) => ["", ...wrap(`Warning from the program: ${warning}`, "  ")]),
        "",
    ];
}

function renderStack(stack: EvaluatedStack): string[] {
    return [
        ...header(`Offline plan for stack ${stack.stack} (${stack.revision})`, stack.notes, stack.warnings),
        `${stack.resources.length} resources; ${stack.nodes.length} nodes; leader ${stack.leader ?? "(none)"}.`,
        "",
        ...treeLines(buildPlanTree(stack.resources), stack.nodes),
        "",
        `Nodes (${stack.nodes.length})`,
        ...nodeLines(stack.nodes),
    ];
}

function listed(sign: string, resource: RegisteredResource, nodes: readonly ClusterNode[]): string {
    const parent = parentName(resource);
    return `  ${sign} ${describe(resource, nodes)}${parent === "" ? "" : `  (in ${parent})`}`;
}

/** An added or removed resource; a node settings blob with the settings it holds. */
function listedWithSettings(sign: string, resource: RegisteredResource, nodes: readonly ClusterNode[]): string[] {
    const app = nodes.flatMap((node) => node.apps).find((entry) => entry.blobUrn === resource.urn);
    return [
        listed(sign, resource, nodes),
        ...(app === undefined ? [] : [
            ...settingLines("runtime settings", app.runtimeSettings, "      "),
            ...settingLines("custom settings", app.customSettings, "      "),
        ]),
    ];
}

function section(title: string, count: number, lines: readonly string[]): string[] {
    return ["", `${title} (${count})`, ...(count === 0 ? ["  (none)"] : lines)];
}

function renderComparison(comparison: StackComparison): string[] {
    const { before, after, diff, verdict } = comparison;
    const beforeByUrn = new Map(before.resources.map((resource) => [resource.urn, resource]));
    const afterByUrn = new Map(after.resources.map((resource) => [resource.urn, resource]));
    const risks = riskSentences(verdict);
    const leaving = leavingSentences(verdict);
    const changed = [...diff.changed].sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name, "en", { numeric: true })).flatMap((change) => {
        const previous = beforeByUrn.get(change.urn);
        const next = afterByUrn.get(change.urn);
        if (previous === undefined || next === undefined) {
            return [];
        }
        const rows = changeRows(change, previous, next);
        return [
            `${listed("~", next, after.nodes)}${change.replacedBy.length > 0 ? "  REPLACED" : ""}`,
            ...rows.map((row) => `      ${row.property}: ${row.before} -> ${row.after}${row.replaces ? "  (forces replacement)" : ""}`),
        ];
    });
    return [
        ...header(`Offline plan for stack ${after.stack}: ${after.revision} against ${before.revision}`, [...new Set([...before.notes, ...after.notes])], after.warnings),
        ...wrap(`Summary: ${changeCounts(diff)}; ${leaderSentence(verdict)}.`),
        ...(risks.length === 0 ? [] : ["", "Needs attention:", ...risks.flatMap((risk) => wrap(`! ${risk}`, "    ", "  "))]),
        ...(leaving.length === 0 ? [] : ["", "Nodes leaving (routine):", ...leaving.flatMap((sentence) => wrap(`- ${sentence}`, "    ", "  "))]),
        ...section("Added", diff.added.length, [...diff.added].sort(compareForTree).flatMap((resource) => listedWithSettings("+", resource, after.nodes))),
        ...section("Changed", diff.changed.length, changed),
        ...section("Removed", diff.removed.length, [...diff.removed].sort(compareForTree).flatMap((resource) => listedWithSettings("-", resource, before.nodes))),
    ];
}

export function renderText(report: PlanReport): string {
    return `${(report.kind === "plan" ? renderStack(report.stack) : renderComparison(report)).join("\n")}\n`;
}
