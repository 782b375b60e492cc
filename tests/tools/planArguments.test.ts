import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { exitCodes } from "../../tools/planVerdict";
import { parsePlanArguments, planUsage, UsageError } from "../../tools/planArguments";
import { guideSection } from "../harness/guides";

describe("parsePlanArguments", () => {
    it("reads the stack, the ref and the format, in either spelling", () => {
        assert.deepEqual(parsePlanArguments(["--stack", "prod"]), { help: false, strict: false, stack: "prod", against: undefined, format: "text" });
        assert.deepEqual(
            parsePlanArguments(["--stack=dev", "--against", "origin/main", "--format=markdown", "--strict"]),
            { help: false, strict: true, stack: "dev", against: "origin/main", format: "markdown" },
        );
    });

    it("asks for no stack with --help", () => {
        assert.equal(parsePlanArguments(["--help"]).help, true);
        assert.equal(parsePlanArguments(["-h", "--stack", "dev"]).help, true);
    });

    it("refuses what it does not know, naming the option, the value and what is allowed", () => {
        const refused: [string[], RegExp][] = [
            [[], /--stack: missing; allowed: the name of a stack/],
            [["--stack", "prod", "--verbose"], /--verbose: not an option of plan; allowed: --stack, --against, --format, --strict, --help/],
            [["--stack"], /--stack: needs a value/],
            [["--stack", "--against", "HEAD"], /--stack: needs a value/],
            [["--stack", "dev", "--stack", "prod"], /--stack: given twice \(dev, prod\); allowed: once/],
            [["--stack", "prod", "--format", "json"], /--format: got "json"; allowed: text or markdown/],
        ];
        for (const [argv, message] of refused) {
            assert.throws(() => parsePlanArguments(argv), (error: unknown) => error instanceof UsageError && message.test(error.message), argv.join(" "));
        }
    });
});

describe("planUsage", () => {
    it("documents every option and exit code", () => {
        assert.deepEqual(Object.values(exitCodes), [0, 1, 2, 3, 4]);
        for (const part of ["--stack <stack>", "--against <git-ref>", "--format <format>", "--strict", "--help", "\n  0  ", "\n  1  ", "\n  2  ", "\n  3  ", "\n  4  ", "Limits:"]) {
            assert.ok(planUsage.includes(part), part);
        }
    });

    it("lists the same exit codes in the guide \"Reviewing changes\"", () => {
        const section = guideSection("docs/reviewing-changes.md", "## The offline plan");
        const listed = [...section.matchAll(/^\| `(\d+)` \| /gm)].map((match) => Number(match[1]));
        assert.deepEqual(listed, Object.values(exitCodes));
    });
});
