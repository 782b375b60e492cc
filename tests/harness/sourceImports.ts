import * as fs from "node:fs";
import * as path from "node:path";
import { repositoryRoot } from "../../offline/stackConfig";

/** The repository files a source file imports (`import ... from`, `export ... from`, `require`, `import()`), relative to the repository. */
export function importedFiles(file: string, text = fs.readFileSync(path.join(repositoryRoot, file), "utf8")): string[] {
    const specifiers = [...text.matchAll(/(?:\bfrom\s+|\brequire\(\s*|\bimport\(\s*|^\s*import\s+)["']([^"']+)["']/gm)].map((match) => match[1] ?? "");
    return specifiers
        .filter((specifier) => specifier.startsWith("."))
        .map((specifier) => path.relative(repositoryRoot, path.resolve(repositoryRoot, path.dirname(file), specifier)));
}
