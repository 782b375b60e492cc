import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { projectName } from "../../components/config/contract";
import { knownStacks } from "../../offline/stackConfig";
import { repositoryRoot } from "../../offline/stackConfig";
import { guideSection } from "../harness/guides";

/** The workflows in .github/workflows, read as GitHub reads them: YAML documents. */

type Mapping = Record<string, unknown>;

interface Step {
    readonly name?: string;
    readonly uses?: string;
    readonly run?: string;
    readonly with?: Mapping;
    readonly env?: Mapping;
    readonly if?: string;
    readonly id?: string;
}

interface Job {
    readonly "runs-on"?: unknown;
    readonly steps?: readonly Step[];
    readonly needs?: string | readonly string[];
    readonly environment?: string | { readonly name?: string };
    readonly permissions?: Mapping;
    readonly strategy?: { readonly matrix?: Mapping };
    readonly env?: Mapping;
}

interface Workflow {
    readonly file: string;
    readonly on: Mapping;
    readonly permissions?: Mapping;
    readonly jobs: Readonly<Record<string, Job>>;
}

const workflowDirectory = path.join(repositoryRoot, ".github", "workflows");
const workflowFiles = fs.readdirSync(workflowDirectory).filter((file) => /\.ya?ml$/.test(file)).sort();

function isMapping(value: unknown): value is Mapping {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function readWorkflow(file: string): Workflow {
    const document = parse(fs.readFileSync(path.join(workflowDirectory, file), "utf8")) as unknown;
    assert.ok(isMapping(document), `${file} is a mapping`);
    assert.ok(isMapping(document["on"]), `${file} has \`on\``);
    assert.ok(isMapping(document["jobs"]) && Object.keys(document["jobs"]).length > 0, `${file} has jobs`);
    return { file, ...(document as Omit<Workflow, "file">) };
}

const workflows = workflowFiles.map(readWorkflow);
const workflowNamed = (file: string) => workflows.find((workflow) => workflow.file === file) ?? assert.fail(`${file} is missing`);
const jobsOf = (workflow: Workflow) => Object.entries(workflow.jobs);
const allSteps = () => workflows.flatMap((workflow) => jobsOf(workflow).flatMap(([id, job]) => (job.steps ?? []).map((step) => ({ workflow, id, job, step }))));
const action = (uses: string | undefined) => uses?.split("@")[0];
const needs = (job: Job) => (job.needs === undefined ? [] : typeof job.needs === "string" ? [job.needs] : [...job.needs]);
const environmentOf = (job: Job) => (typeof job.environment === "string" ? job.environment : job.environment?.name);
/** Every job that runs a Pulumi command with the Pulumi action, with that step's index. */
const pulumiCommandJobs = () => workflows.flatMap((workflow) => jobsOf(workflow).flatMap(([id, job]) => {
    const index = (job.steps ?? []).findIndex((step) => action(step.uses) === "pulumi/actions" && step.with?.["command"] !== undefined);
    const command = String(job.steps?.[index]?.with?.["command"]);
    return index < 0 ? [] : [{ workflow, id, job, index, command }];
}));
const scripts = (JSON.parse(fs.readFileSync(path.join(repositoryRoot, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;

/** The npm scripts a shell script runs: `npm run [flags] X`, `npm test`. */
function npmScriptsRun(script: string): string[] {
    const names: string[] = [];
    for (const match of script.matchAll(/\bnpm\s+(?:run(?:-script)?((?:\s+-[-\w]+)*)\s+([\w:.-]+)|(test|start|stop|restart)\b)/g)) {
        names.push(match[2] ?? match[3] ?? "");
    }
    return names;
}

/** Tokens of a shell script that name a file of this repository: relative paths with a slash. */
function repositoryPathsIn(script: string): string[] {
    return script
        .split(/[\s"'`;|&()<>=]+/)
        .filter((token) => /^(\.\/)?[\w.-]+(\/[\w.-]+)+\/?$/.test(token) && !token.includes("://"));
}

describe("the workflow files", () => {
    it("exist: one for pull requests, one for deployments", () => {
        assert.deepEqual(workflowFiles, ["deploy.yml", "pull-request.yml"]);
    });

    it("give every job a runner and steps, and every step one thing to do", () => {
        for (const workflow of workflows) {
            for (const [id, job] of jobsOf(workflow)) {
                assert.ok(job["runs-on"], `${workflow.file} ${id}: runs-on`);
                assert.ok(Array.isArray(job.steps) && job.steps.length > 0, `${workflow.file} ${id}: steps`);
                for (const step of job.steps) {
                    assert.ok((step.uses === undefined) !== (step.run === undefined), `${workflow.file} ${id}: a step with uses or run: ${JSON.stringify(step)}`);
                }
            }
        }
    });

    it("run only npm scripts that package.json has", () => {
        const run = allSteps().flatMap(({ step }) => npmScriptsRun(step.run ?? ""));
        assert.ok(run.includes("plan") && run.includes("test") && run.includes("build"), `found ${run.join(", ")}`);
        for (const name of run) {
            assert.ok(name in scripts, `npm script ${name} is not in package.json`);
        }
    });

    it("pin every action to a major version, and every local reference exists", () => {
        const referenced: string[] = [];
        for (const { workflow, id, step } of allSteps()) {
            if (step.uses?.startsWith("./")) {
                referenced.push(step.uses);
            } else if (step.uses !== undefined) {
                assert.match(step.uses, /^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@v\d+$/, `${workflow.file} ${id}: ${step.uses}`);
            }
            for (const key of ["work-dir", "cache-dependency-path", "global-json-file"]) {
                const value = step.with?.[key];
                if (typeof value === "string") {
                    referenced.push(value);
                }
            }
            referenced.push(...repositoryPathsIn(step.run ?? ""));
        }
        assert.ok(referenced.length > 0, "some local path is referenced");
        for (const reference of referenced) {
            assert.ok(fs.existsSync(path.join(repositoryRoot, reference)), `${reference} does not exist`);
        }
    });

    it("sign in to Azure with OpenID Connect only, from repository variables, with id-token: write", () => {
        const logins = allSteps().filter(({ step }) => action(step.uses) === "azure/login");
        assert.equal(logins.length, 3, "the preview job (for every stack), up on dev, up on prod");
        for (const { workflow, id, job, step } of logins) {
            assert.deepEqual(Object.keys(step.with ?? {}).sort(), ["client-id", "subscription-id", "tenant-id"], `${workflow.file} ${id}`);
            for (const value of Object.values(step.with ?? {})) {
                assert.match(String(value), /^\$\{\{ vars\.[A-Z_]+ \}\}$/, `${workflow.file} ${id}: ${String(value)}`);
            }
            assert.equal((job.permissions ?? workflow.permissions)?.["id-token"], "write", `${workflow.file} ${id}: id-token`);
            assert.equal(job.env?.["ARM_CLIENT_ID"], step.with?.["client-id"], `${workflow.file} ${id}: the provider signs in as the CLI does`);
        }
    });

    it("preview with the read-only identity and deploy with the deploying one, never the other way", () => {
        const identityOf = (command: string) => [...new Set(pulumiCommandJobs().filter(({ command: run }) => run === command)
            .map(({ job }) => String((job.steps ?? []).find((step) => action(step.uses) === "azure/login")?.with?.["client-id"])))];
        assert.deepEqual(identityOf("preview"), ["${{ vars.AZURE_PREVIEW_CLIENT_ID }}"]);
        assert.deepEqual(identityOf("up"), ["${{ vars.AZURE_CLIENT_ID }}"]);
    });

    it("create the stack when it is missing, before any Pulumi command", () => {
        const jobs = pulumiCommandJobs();
        assert.equal(jobs.length, 3, "preview, up on dev, up on prod");
        for (const { workflow, id, job, index } of jobs) {
            const steps = job.steps ?? [];
            const select = steps.findIndex((step) => step.run === 'pulumi stack select --create "$STACK"');
            assert.ok(select >= 0 && select < index, `${workflow.file} ${id}: pulumi stack select --create before the command`);
            assert.ok(steps.slice(0, select).some((step) => action(step.uses) === "pulumi/auth-actions"), `${workflow.file} ${id}: signed in to Pulumi Cloud first`);
        }
    });

    it("enforce the policy pack in every preview and up, with its own packages installed", () => {
        assert.ok(fs.existsSync(path.join(repositoryRoot, "policy", "PulumiPolicy.yaml")), "policy/ is a policy pack");
        for (const { workflow, id, job, index } of pulumiCommandJobs()) {
            const steps = job.steps ?? [];
            assert.equal(steps[index]?.with?.["policyPacks"], "policy", `${workflow.file} ${id}: policyPacks`);
            assert.equal(steps[index]?.with?.["work-dir"], ".", `${workflow.file} ${id}: policy is relative to the project`);
            const install = steps.findIndex((step) => step.run === "cd policy && npm ci");
            assert.ok(install >= 0 && install < index, `${workflow.file} ${id}: cd policy && npm ci before the command`);
        }
    });

    it("let the deploying runner through the storage firewall for the run only, and previews not at all", () => {
        for (const { workflow, id, job, command, index } of pulumiCommandJobs()) {
            const steps = job.steps ?? [];
            const scripts = steps.map((step) => step.run ?? "").join("\n");
            assert.ok(!/pulumi config set|deployerCidrs\[/.test(scripts), `${workflow.file} ${id}: nothing writes the runner's address to the stack config`);
            const add = steps.findIndex((step) => /az storage account network-rule add /.test(step.run ?? ""));
            const remove = steps.findIndex((step) => /az storage account network-rule remove /.test(step.run ?? ""));
            if (command === "preview") {
                assert.deepEqual([add, remove], [-1, -1], `${workflow.file} ${id}: a preview writes no blob, so it needs no firewall rule`);
                continue;
            }
            assert.ok(add >= 0 && add < index, `${workflow.file} ${id}: the rule is added before up`);
            assert.equal(steps[add]?.id, "firewall");
            assert.ok(remove > index, `${workflow.file} ${id}: the rule is removed after up`);
            assert.equal(steps[remove]?.if, "always() && steps.firewall.outputs.address != ''", `${workflow.file} ${id}: removed whatever became of the run`);
            assert.deepEqual(steps[remove]?.env, { ACCOUNT: "${{ steps.firewall.outputs.account }}", ADDRESS: "${{ steps.firewall.outputs.address }}" });
            assert.match(steps[add]?.run ?? "", /echo "address=\$address" >> "\$GITHUB_OUTPUT"/);
        }
    });

    it("run the Node.js version of .nvmrc, the one the README and package.json state", () => {
        const version = fs.readFileSync(path.join(repositoryRoot, ".nvmrc"), "utf8").trim();
        assert.match(version, /^\d+$/, ".nvmrc holds a major version");
        const setups = allSteps().filter(({ step }) => action(step.uses) === "actions/setup-node");
        assert.equal(setups.length, 6, "every job sets up Node.js");
        for (const { workflow, id, step } of setups) {
            assert.equal(step.with?.["node-version-file"], ".nvmrc", `${workflow.file} ${id}`);
            assert.equal(step.with?.["node-version"], undefined, `${workflow.file} ${id}: no second version`);
        }
        const readme = fs.readFileSync(path.join(repositoryRoot, "README.md"), "utf8");
        assert.deepEqual([...new Set([...readme.matchAll(/Node\.js (\d+)/g)].map((match) => match[1]))], [version], "the README names one Node.js version");
        const engines = (JSON.parse(fs.readFileSync(path.join(repositoryRoot, "package.json"), "utf8")) as { engines: { node: string } }).engines;
        assert.equal(engines.node, `>=${version}`);
    });

    it("read only repository variables the guide \"Reviewing changes\" documents, with the federated credential subjects", () => {
        const readme = guideSection("docs/reviewing-changes.md", "## Setting up the workflows");
        const variables = new Set(workflowFiles.flatMap((file) => [...fs.readFileSync(path.join(workflowDirectory, file), "utf8").matchAll(/vars\.(\w+)/g)].map((match) => match[1] ?? "")));
        assert.deepEqual([...variables].sort(), ["AZURE_CLIENT_ID", "AZURE_PREVIEW_CLIENT_ID", "AZURE_SUBSCRIPTION_ID", "AZURE_TENANT_ID", "PULUMI_ORGANIZATION"]);
        for (const variable of variables) {
            assert.ok(readme.includes(`\`${variable}\``), `the guide documents ${variable}`);
        }
        for (const subject of ["repo:<owner>/<repo>:pull_request", "repo:<owner>/<repo>:ref:refs/heads/main", "repo:<owner>/<repo>:environment:production"]) {
            assert.ok(readme.includes(`\`${subject}\``), `the guide names the subject ${subject}`);
        }
    });

    it("check out Git LFS files in every job, since each runs the program, which reads the Service Console MSI the stack file names", () => {
        const checkouts = allSteps().filter(({ step }) => action(step.uses) === "actions/checkout");
        assert.equal(checkouts.length, workflows.reduce((count, workflow) => count + jobsOf(workflow).length, 0), "one checkout per job");
        for (const { workflow, id, step } of checkouts) {
            assert.equal(step.with?.["lfs"], true, `${workflow.file} ${id}: lfs: true`);
        }
    });

    it("sign in to Pulumi Cloud with OpenID Connect, and read no stored secret", () => {
        const pulumiJobs = allSteps().filter(({ step }) => action(step.uses) === "pulumi/actions" && step.with?.["command"] !== undefined);
        for (const { workflow, id, job } of pulumiJobs) {
            const auth = (job.steps ?? []).find((step) => action(step.uses) === "pulumi/auth-actions");
            assert.equal(auth?.with?.["requested-token-type"], "urn:pulumi:token-type:access_token:organization", `${workflow.file} ${id}`);
        }
        for (const file of workflowFiles) {
            const text = fs.readFileSync(path.join(workflowDirectory, file), "utf8");
            assert.deepEqual([...text.matchAll(/secrets\.(\w+)/g)].map((match) => match[1]), [], `${file} reads stored secrets`);
            assert.ok(!/client-secret|creds:/.test(text), `${file} signs in with a client secret`);
        }
    });
});

/**
 * Runs a step's shell script as GitHub's default shell does (`bash -eo pipefail`), with stand-ins for
 * commands put first on the PATH; returns its exit code, output, $GITHUB_OUTPUT and the files it left.
 */
function runStep(script: string, env: Record<string, string>, standIns: Record<string, string> = {}) {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), "workflow-step-"));
    try {
        for (const [command, body] of Object.entries(standIns)) {
            fs.writeFileSync(path.join(directory, command), `#!/usr/bin/env bash\n${body}\n`, { mode: 0o755 });
        }
        const output = path.join(directory, "github-output");
        fs.writeFileSync(output, "");
        const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], {
            cwd: directory, encoding: "utf8",
            env: { PATH: `${directory}:${process.env["PATH"] ?? ""}`, GITHUB_OUTPUT: output, GITHUB_REPOSITORY: "owner/repo", GITHUB_STEP_SUMMARY: path.join(directory, "summary"), ...env },
        });
        const outputs = Object.fromEntries(fs.readFileSync(output, "utf8").split("\n").filter((line) => line.includes("=")).map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]));
        const files = Object.fromEntries(fs.readdirSync(directory).map((file) => [file, fs.readFileSync(path.join(directory, file), "utf8")]));
        return { status: result.status, stdout: result.stdout, stderr: result.stderr, outputs, files };
    } finally {
        fs.rmSync(directory, { recursive: true, force: true });
    }
}

describe("the repository variables' check", () => {
    const script = path.join(repositoryRoot, ".github", "scripts", "require-variables.sh");

    it("runs first in every job that signs in, on every variable the job reads, before it signs in", () => {
        const signingIn = workflows.flatMap((workflow) => jobsOf(workflow)
            .filter(([, job]) => (job.steps ?? []).some((step) => action(step.uses) === "azure/login"))
            .map(([id, job]) => ({ workflow, id, job })));
        assert.equal(signingIn.length, 3);
        for (const { workflow, id, job } of signingIn) {
            const steps = job.steps ?? [];
            const check = steps.findIndex((step) => (step.run ?? "").startsWith("bash .github/scripts/require-variables.sh "));
            assert.equal(check, 1, `${workflow.file} ${id}: right after the checkout`);
            const signIn = steps.findIndex((step) => action(step.uses) === "azure/login" || action(step.uses) === "pulumi/auth-actions");
            assert.ok(check < signIn, `${workflow.file} ${id}: before signing in`);
            const read = [...new Set([...JSON.stringify(job).matchAll(/vars\.(\w+)/g)].map((match) => match[1] ?? ""))].sort();
            const named = (steps[check]?.run ?? "").split(" ").slice(2).sort();
            assert.deepEqual(named, read, `${workflow.file} ${id}: checks every variable it reads`);
            assert.deepEqual(steps[check]?.env, Object.fromEntries(named.map((name) => [name, `\${{ vars.${name} }}`])));
        }
    });

    it("names each missing variable in an error and where the guide sets it, and passes when all are set", () => {
        const missing = runStep(`bash ${script} AZURE_TENANT_ID AZURE_CLIENT_ID PULUMI_ORGANIZATION`, { AZURE_CLIENT_ID: "00000000-0000-0000-0000-000000000001" });
        assert.equal(missing.status, 1);
        assert.deepEqual(missing.stdout.trimEnd().split("\n").map((line) => /^::error title=Repository variable (\w+) is not set::/.exec(line)?.[1]), ["AZURE_TENANT_ID", "PULUMI_ORGANIZATION"]);
        assert.match(missing.stdout, /docs\/reviewing-changes\.md describes \("Setting up the workflows"\)/);
        assert.ok(guideSection("docs/reviewing-changes.md", "## Setting up the workflows").length > 0, "the guide has that section");
        assert.equal(runStep(`bash ${script} AZURE_TENANT_ID`, { AZURE_TENANT_ID: "x" }).status, 0);
    });
});

describe("the pull-request workflow", () => {
    const workflow = workflowNamed("pull-request.yml");

    it("runs on pull requests and runs the tests with Node and the .NET 10 SDK", () => {
        assert.ok("pull_request" in workflow.on);
        const test = jobsOf(workflow).find(([, job]) => (job.steps ?? []).some((step) => step.run === "npm ci && npm test"));
        assert.ok(test, "a job runs npm ci && npm test");
        const uses = (test[1].steps ?? []).map((step) => step.uses ?? "");
        assert.ok(uses.some((used) => action(used) === "actions/setup-node"));
        const dotnet = (test[1].steps ?? []).find((step) => action(step.uses) === "actions/setup-dotnet");
        assert.match(String(dotnet?.with?.["dotnet-version"]), /^10\./);
    });

    it("comments the offline plan of every stack, in markdown, against the base commit with its history fetched", () => {
        const [, job] = jobsOf(workflow).find(([, candidate]) => (candidate.steps ?? []).some((step) => npmScriptsRun(step.run ?? "").includes("plan"))) ?? assert.fail("no plan job");
        const steps = job.steps ?? [];
        assert.equal(steps.find((step) => action(step.uses) === "actions/checkout")?.with?.["fetch-depth"], 0);
        const plan = steps.find((step) => npmScriptsRun(step.run ?? "").includes("plan")) ?? assert.fail("no plan step");
        assert.equal(plan.env?.["BASE_SHA"], "${{ github.event.pull_request.base.sha }}");
        const invocation = /npm run --silent plan -- (.*)/.exec(plan.run ?? "")?.[1]?.split(/\s+/) ?? [];
        assert.deepEqual(invocation.slice(0, 7), ["--stack", "\"$stack\"", "--against", "\"$BASE_SHA\"", "--format", "markdown", "--strict"],
            "strict: a stack file without deployerCidrs or installers is refused, as pulumi up refuses it");
        assert.ok((plan.run ?? "").includes(`for stack in ${knownStacks().join(" ")}; do`), plan.run);
        const comment = steps.slice(steps.indexOf(plan)).find((step) => action(step.uses) === "actions/github-script");
        assert.match(String(comment?.with?.["script"]), /createComment/);
        assert.equal(job.permissions?.["pull-requests"], "write");
    });

    describe("the label plan-reviewed", () => {
        const [, job] = jobsOf(workflow).find(([, candidate]) => (candidate.steps ?? []).some((step) => npmScriptsRun(step.run ?? "").includes("plan"))) ?? assert.fail("no plan job");
        const steps = job.steps ?? [];
        const stepWithId = (id: string) => steps.find((step) => step.id === id) ?? assert.fail(`no step ${id}`);
        const gh = (labels: string) => `if [ "$1 $2" = "pr view" ]; then printf '%s\\n' ${labels}; else echo "$@" >> gh-calls; fi`;
        const review = (action: string, labels: string, head = "owner/repo", label = "") =>
            runStep(stepWithId("review").run ?? "", { GH_TOKEN: "token", PR: "7", ACTION: action, LABEL: label, HEAD_SHA: "0123456789abcdef", HEAD_REPOSITORY: head }, { gh: gh(labels) });
        // `npm run --silent plan -- --stack <stack> ...` standing in for the plan: it prints a plan and exits with the stack's code.
        const npm = (codes: Record<string, number>) => [
            'stack="$6"', 'echo "### plan of $stack"',
            `case "$stack" in ${Object.entries(codes).map(([stack, code]) => `${stack}) exit ${code};;`).join(" ")} esac`, "exit 0",
        ].join("\n");

        it("runs the checks again when a label comes or goes", () => {
            const types = (workflow.on["pull_request"] as { types?: string[] }).types ?? [];
            assert.deepEqual([...types].sort(), ["labeled", "opened", "reopened", "synchronize", "unlabeled"]);
        });

        it("counts only in the run its adding starts, which plans the commit it was given on; a new commit takes it off", () => {
            assert.deepEqual(review("labeled", "bug plan-reviewed", "owner/repo", "plan-reviewed").outputs, { reviewed: "true" });
            assert.deepEqual(review("labeled", "bug plan-reviewed", "someone/fork", "plan-reviewed").outputs, { reviewed: "true" });
            assert.deepEqual(review("opened", "bug").outputs, { reviewed: "false" });
            const pushed = review("synchronize", "plan-reviewed");
            assert.equal(pushed.outputs["reviewed"], "false");
            assert.match(pushed.outputs["note"] ?? "", /^The label plan-reviewed counts only in the run that adding it starts, for the commit it was given on; this run \(synchronize\) plans 0123456/);
            assert.equal(pushed.files["gh-calls"], "pr edit 7 --repo owner/repo --remove-label plan-reviewed\n");
            assert.equal(review("synchronize", "plan-reviewed", "someone/fork").files["gh-calls"], undefined, "a fork's read-only token removes nothing");
            // A fork's label stays through its new commits: another label, or a reopening, must not let those commits through.
            for (const [action, label] of [["labeled", "bug"], ["unlabeled", "bug"], ["reopened", ""], ["synchronize", ""]]) {
                const run = review(action ?? "", "plan-reviewed", "someone/fork", label);
                assert.equal(run.outputs["reviewed"], "false", `${action} ${label}`);
                assert.match(run.outputs["note"] ?? "", /remove the label and add it again/);
            }
        });

        it("lets a plan that needs attention pass, saying so in the comment, and nothing else", () => {
            const plan = (reviewed: string, codes: Record<string, number>) =>
                runStep(stepWithId("plan").run ?? "", { BASE_SHA: "abc", REVIEWED: reviewed, REVIEW_NOTE: "" }, { npm: npm(codes) });
            const fail = (code: number, reviewed: string) => runStep(steps.find((step) => (step.name ?? "").startsWith("Fail when"))?.run ?? "", { EXIT_CODE: String(code), REVIEWED: reviewed });
            const reviewedRun = plan("true", { prod: 3 });
            assert.equal(reviewedRun.outputs["exit-code"], "3");
            assert.match(reviewedRun.files["offline-plan.md"] ?? "", /### plan of prod\n\n> \*\*Reviewed:\*\* this plan needs attention \(exit code 3\), and the label `plan-reviewed` lets it pass/);
            assert.doesNotMatch(plan("false", { prod: 3 }).files["offline-plan.md"] ?? "", /Reviewed/);
            assert.equal(fail(3, "true").status, 0);
            assert.equal(fail(3, "false").status, 1);
            assert.equal(fail(4, "true").status, 1);
            assert.equal(fail(1, "true").status, 1);
        });
    });

    it("previews every stack with the Pulumi action, as a diff commented on the pull request", () => {
        const [, job] = jobsOf(workflow).find(([, candidate]) => (candidate.steps ?? []).some((step) => step.with?.["command"] === "preview")) ?? assert.fail("no preview job");
        assert.deepEqual(job.strategy?.matrix?.["stack"], knownStacks());
        assert.ok(String(job.env?.["STACK"]).endsWith(`/${projectName}/${"${{ matrix.stack }}"}`), String(job.env?.["STACK"]));
        const preview = (job.steps ?? []).find((step) => step.with?.["command"] === "preview");
        assert.equal(action(preview?.uses), "pulumi/actions");
        assert.equal(preview?.with?.["comment-on-pr"], true);
        assert.equal(preview?.with?.["diff"], true);
        assert.equal(preview?.with?.["stack-name"], "${{ env.STACK }}");
    });
});

describe("the deployment workflow", () => {
    const workflow = workflowNamed("deploy.yml");
    const upJob = (stack: string) => jobsOf(workflow).find(([, job]) =>
        (job.steps ?? []).some((step) => step.with?.["command"] === "up") && String(job.env?.["STACK"]).endsWith(`/${projectName}/${stack}`))
        ?? assert.fail(`no pulumi up job for ${stack}`);

    it("runs on pushes to main", () => {
        const push = workflow.on["push"];
        assert.ok(isMapping(push));
        assert.deepEqual(push["branches"], ["main"]);
    });

    it("updates dev first, after the tests, with no approval", () => {
        const [, dev] = upJob("dev");
        assert.ok(needs(dev).some((id) => (workflow.jobs[id]?.steps ?? []).some((step) => step.run === "npm ci && npm test")));
        assert.equal(environmentOf(dev), undefined);
    });

    it("updates prod only after dev, behind the production environment", () => {
        const [devId] = upJob("dev");
        const [, prod] = upJob("prod");
        assert.ok(needs(prod).includes(devId), `prod needs ${devId}`);
        assert.equal(environmentOf(prod), "production");
    });
});

describe("the workflow test's readers", () => {
    it("find npm scripts after npm run's flags, and npm test", () => {
        assert.deepEqual(npmScriptsRun("npm ci && npm test\nnpm run --silent plan -- --stack dev; npm run build"), ["test", "plan", "build"]);
    });

    it("find relative paths, not URLs or words", () => {
        assert.deepEqual(repositoryPathsIn("curl https://api.ipify.org; cat tools/plan.ts > out.md; ./x/y"), ["tools/plan.ts", "./x/y"]);
    });
});
