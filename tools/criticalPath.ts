import { dependencyTargets, GraphResource } from "./dependencyGraph";

/** How long one step typically takes, and where that figure comes from. */
export interface TypicalTime {
    readonly seconds: number;
    readonly source: string;
}

/**
 * What a first deployment's steps take: the Azure create time of each resource type, and the node
 * agent's run in two parts, preparation (no database needed) and starting the app (needs the
 * app's database, which the agent waits for at run time).
 */
export interface DeploymentTimes {
    readonly byType: Readonly<Record<string, TypicalTime>>;
    /** Types not listed. */
    readonly otherwise: TypicalTime;
    readonly agentPreparation: TypicalTime;
    readonly appStart: TypicalTime;
}

export interface DeploymentModel {
    readonly times: DeploymentTimes;
    /** Whether a resource's create is a node agent's run. */
    readonly isAgentRun: (resource: GraphResource) => boolean;
    /** The resources the app's part of an agent run needs at run time, though no dependency says so. */
    readonly appNeeds: (resource: GraphResource) => boolean;
}

export interface Step {
    readonly id: string;
    readonly label: string;
    readonly time: TypicalTime;
    readonly after: readonly string[];
}

export interface TimedStep {
    readonly step: Step;
    readonly startsAt: number;
    readonly endsAt: number;
}

export interface CriticalPath {
    readonly seconds: number;
    /** The steps of the longest path, first to last. */
    readonly path: readonly TimedStep[];
}

const preparation = (urn: string) => `${urn}#preparation`;
const appStart = (urn: string) => `${urn}#app`;

/**
 * The steps of a deployment from the graph: one per custom resource, two per agent run. Waiting for
 * an agent run means waiting for the end of its run.
 */
export function deploymentSteps(resources: readonly GraphResource[], model: DeploymentModel): Step[] {
    const custom = resources.filter((resource) => resource.custom);
    const isAgentRun = new Set(custom.filter(model.isAgentRun).map((resource) => resource.urn));
    const endOf = (urn: string) => (isAgentRun.has(urn) ? appStart(urn) : urn);
    const waitsFor = (resource: GraphResource) => [...new Set(resource.dependencies.flatMap((urn) => dependencyTargets(resources, urn)))].map(endOf);
    const appNeeds = custom.filter(model.appNeeds).map((resource) => endOf(resource.urn));
    return custom.flatMap((resource): Step[] => {
        if (!isAgentRun.has(resource.urn)) {
            return [{ id: resource.urn, label: resource.name, time: model.times.byType[resource.type] ?? model.times.otherwise, after: waitsFor(resource) }];
        }
        return [
            { id: preparation(resource.urn), label: `${resource.name}: preparation`, time: model.times.agentPreparation, after: waitsFor(resource) },
            { id: appStart(resource.urn), label: `${resource.name}: app started`, time: model.times.appStart, after: [preparation(resource.urn), ...appNeeds] },
        ];
    });
}

/** The longest path through the steps: how long the deployment takes with unlimited parallelism. */
export function criticalPath(steps: readonly Step[]): CriticalPath {
    const byId = new Map(steps.map((step) => [step.id, step]));
    const timed = new Map<string, { endsAt: number; startsAt: number; previous: string | undefined }>();
    const visit = (id: string, trail: readonly string[]): number => {
        const known = timed.get(id);
        if (known !== undefined) {
            return known.endsAt;
        }
        if (trail.includes(id)) {
            throw new Error(`the steps wait in a circle: ${[...trail, id].join(" -> ")}`);
        }
        const step = byId.get(id);
        if (step === undefined) {
            throw new Error(`a step waits for ${id}, which is no step`);
        }
        let startsAt = 0;
        let previous: string | undefined;
        for (const before of step.after) {
            const end = visit(before, [...trail, id]);
            if (previous === undefined || end > startsAt) {
                startsAt = end;
                previous = before;
            }
        }
        const endsAt = startsAt + step.time.seconds;
        timed.set(id, { startsAt, endsAt, previous });
        return endsAt;
    };
    let last: string | undefined;
    let seconds = 0;
    for (const step of steps) {
        const end = visit(step.id, []);
        if (last === undefined || end > seconds) {
            seconds = end;
            last = step.id;
        }
    }
    const path: TimedStep[] = [];
    for (let id = last; id !== undefined; id = timed.get(id)?.previous) {
        const at = timed.get(id);
        const step = byId.get(id);
        if (at === undefined || step === undefined) {
            throw new Error(`no timing for step ${id}`);
        }
        path.unshift({ step, startsAt: at.startsAt, endsAt: at.endsAt });
    }
    return { seconds, path };
}
