/**
 * Splits a script of simple commands into commands and their words as PowerShell reads them:
 * single-quoted literals verbatim (a doubled quote is one quote), other words up to white space.
 */
export function powerShellWords(script: string): string[][] {
    return script.split("\n").map((line) => {
        const words: string[] = [];
        const pattern = /'((?:[^']|'')*)'|(\S+)/g;
        let match: RegExpExecArray | null;
        while ((match = pattern.exec(line)) !== null) {
            words.push(match[1] !== undefined ? match[1].replace(/''/g, "'") : match[2] ?? "");
        }
        return words;
    });
}
