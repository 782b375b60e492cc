/** The command line of `npm run plan`, read without side effects. */

export const planFormats = ["text", "markdown"] as const;
export type PlanFormat = (typeof planFormats)[number];

export interface PlanArguments {
    readonly help: boolean;
    /** No stand-ins: a required key the stack file lacks is refused, as `pulumi up` refuses it. */
    readonly strict: boolean;
    readonly stack: string;
    readonly against: string | undefined;
    readonly format: PlanFormat;
}

export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
    }
}

const valueOptions = ["--stack", "--against", "--format"] as const;
type ValueOption = (typeof valueOptions)[number];

function isValueOption(name: string): name is ValueOption {
    return (valueOptions as readonly string[]).includes(name);
}

/** Reads `--stack prod`, `--stack=prod`, `--against <ref>`, `--format markdown`, `--strict`, `--help`. */
export function parsePlanArguments(argv: readonly string[]): PlanArguments {
    const values = new Map<ValueOption, string>();
    let help = false;
    let strict = false;
    for (let index = 0; index < argv.length; index++) {
        const argument = argv[index] ?? "";
        if (argument === "--help" || argument === "-h") {
            help = true;
            continue;
        }
        if (argument === "--strict") {
            strict = true;
            continue;
        }
        const [name = "", inline] = argument.startsWith("--") && argument.includes("=")
            ? [argument.slice(0, argument.indexOf("=")), argument.slice(argument.indexOf("=") + 1)]
            : [argument, undefined];
        if (!isValueOption(name)) {
            throw new UsageError(`${argument}: not an option of plan; allowed: ${valueOptions.join(", ")}, --strict, --help`);
        }
        const value = inline ?? argv[++index];
        if (value === undefined || value === "" || (inline === undefined && value.startsWith("--"))) {
            throw new UsageError(`${name}: needs a value`);
        }
        if (values.has(name)) {
            throw new UsageError(`${name}: given twice (${values.get(name)}, ${value}); allowed: once`);
        }
        values.set(name, value);
    }
    const format = values.get("--format") ?? "text";
    if (!(planFormats as readonly string[]).includes(format)) {
        throw new UsageError(`--format: got ${JSON.stringify(format)}; allowed: ${planFormats.join(" or ")}`);
    }
    const stack = values.get("--stack");
    if (stack === undefined && !help) {
        throw new UsageError("--stack: missing; allowed: the name of a stack with a Pulumi.<stack>.yaml, such as dev or prod");
    }
    return { help, strict, stack: stack ?? "", against: values.get("--against"), format: format as PlanFormat };
}

export const planUsage = `Usage: npm run plan -- --stack <stack> [--against <git-ref>] [--format text|markdown] [--strict]

Prints what the Pulumi program would register for a stack, computed offline: the program runs
under Pulumi's mocks with the config the Pulumi CLI would assemble (Pulumi.yaml's defaults, then
Pulumi.<stack>.yaml). It is not \`pulumi preview\`: it cannot see drift or provider-side defaults,
and what Azure or the random provider would compute shows as placeholders.

Options:
  --stack <stack>      a stack with a Pulumi.<stack>.yaml in this directory, such as dev or prod
  --against <git-ref>  also evaluate the stack at that revision (a branch, tag or commit) and print
                       what this working tree adds, changes (input by input) and removes
  --format <format>    text (the default) or markdown, for a pull-request comment
  --strict             no stand-ins (see Limits): a deployerCidrs or installers the stack file
                       lacks is refused with exit code 4, as \`pulumi up\` refuses it; the
                       pull-request workflow plans so
  -h, --help           this text

Exit codes:
  0  the plan was computed, and nothing below applies
  1  the program could not be evaluated: it crashed, or, with --against, the revision could not
     be evaluated (it has no program the plan can run, or its program failed or refused its
     config under this working tree's mocks): said once, naming the revision, and no verdict
     on the working tree
  2  bad arguments: an unknown option, stack or git ref
  3  with --against: a protected resource, or one that holds data (a SQL server or database,
     storage account, file container, data disk, the Key Vault, the audit workspace), would be
     replaced or removed, a node that stays would have its VM or data disk replaced or removed
     (the node is rebuilt), the scale set would be replaced (every node with it), nodes' VMs
     would restart together (a vmSize change restarts every node at the same time), a VM would
     change what Azure changes only once it is deallocated by hand (encryptionAtHost), the leader
     would move to another node, or an app's nodes would use another database (a restore). A node
     that a lower nodeCount removes takes its own VM and data disk with it: that is routine,
     and the plan names each node that leaves and what goes
  4  the program refused the stack's input, as \`pulumi up\` would: a config value (each wrong
     key named, with what is allowed; with --strict, a required key the stack file lacks), an
     edit Azure refuses on a deployed stack (a smaller dataDiskSizeGb, another adminPassword,
     a VM size with another disk controller), a file the config names, or the agent not built
     (npm run build); the program's own messages are on standard error

Limits:
  - Config values a stack file holds encrypted (secure:) cannot be decrypted offline. The program
    runs with a placeholder secret in each one's place, one per ciphertext, and the plan names
    them; what depends on their values cannot show. A value set again (a new ciphertext) counts
    as changed, even when only re-encrypted.
  - Without --strict, stand-ins for the two keys every real stack file must set and a fresh clone
    does not: deployerCidrs (the address pulumi up runs from) becomes a documentation address,
    and installers (with no image either) a placeholder Service Console URL and hash; the plan
    notes each, and \`pulumi up\` would refuse the stack file as it is. A value the file sets
    is used as written, so a value the program refuses fails the plan (exit 4), and a real
    address shows in the diff. The revision --against names gets the stand-ins either way.
  - --against compares the working tree, uncommitted edits included, with the ref. It exports the
    ref's files with \`git archive\` into a temporary directory and runs that revision's
    components/program.ts (mendixClusterProgram) with this working tree's mocks, capture,
    node_modules and published agent (npm run build). A revision whose program has another entry
    point or needs other packages cannot be evaluated; an edit of the agent itself shows in
    \`pulumi preview\` (as new agent blobs and update tags), not here, and the plan says so.
  - Both sides read the ref's outputs as the last deployment's, as \`pulumi up\` after a merge would.
`;
