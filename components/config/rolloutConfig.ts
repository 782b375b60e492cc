import { ConfigReader } from "./configReader";
import { defaults, limits, RolloutConfig } from "./contract";

/** The `rollout` key: how edits reach running nodes, and the agent's waits while it does so. */

const rolloutKeys = ["maxUnavailable", "modelChange", "readyTimeoutSeconds", "drainSeconds", "databaseWaitSeconds", "databaseSyncTimeoutSeconds"] as const;
const modelChanges: readonly RolloutConfig["modelChange"][] = ["rolling", "stopAll"];
type WaitKey = "readyTimeoutSeconds" | "drainSeconds" | "databaseWaitSeconds" | "databaseSyncTimeoutSeconds";
const waitKeys: readonly WaitKey[] = ["readyTimeoutSeconds", "drainSeconds", "databaseWaitSeconds", "databaseSyncTimeoutSeconds"];

export function readRollout(reader: ConfigReader): RolloutConfig {
    const rollout = reader.mapping("rollout", rolloutKeys);
    if (rollout === undefined) {
        return defaults.rollout;
    }
    const maxUnavailable = reader.checkInteger("rollout.maxUnavailable", rollout["maxUnavailable"] ?? defaults.rollout.maxUnavailable, limits.maxUnavailable);
    const modelChange = rollout["modelChange"] ?? defaults.rollout.modelChange;
    const knownModelChange = modelChanges.find((candidate) => candidate === modelChange);
    if (knownModelChange === undefined) {
        reader.report("rollout.modelChange", modelChange, `${modelChanges.join(" or ")}: a new model reaches the nodes one batch at a time, or all nodes stop before the leader starts it`);
    }
    const wait = (key: WaitKey) => reader.checkInteger(`rollout.${key}`, rollout[key] ?? defaults.rollout[key], limits[key]) ?? defaults.rollout[key];
    const waits = Object.fromEntries(waitKeys.map((key) => [key, wait(key)])) as Record<WaitKey, number>;
    return {
        maxUnavailable: maxUnavailable ?? defaults.rollout.maxUnavailable,
        modelChange: knownModelChange ?? defaults.rollout.modelChange,
        ...waits,
    };
}
