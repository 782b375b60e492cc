import { RolloutConfig } from "../config/contract";
import { probeIntervalSeconds, probeThreshold, webPorts } from "./loadBalancing";

/**
 * What the node agent needs to know about a rollout, the same in every blob of one run: the load
 * balancer's HTTP health probe (so that it can tell when a node is back in the pool, or out of it)
 * and how long it waits for an app to get ready, for the pool to drain, for the database and for
 * the leader's synchronisation of the database.
 */
export interface RolloutSettings {
    readonly healthProbe: { readonly port: number; readonly intervalSeconds: number; readonly threshold: number };
    readonly readyTimeoutSeconds: number;
    readonly drainSeconds: number;
    readonly databaseWaitSeconds: number;
    /** The bound of the leader's start with database synchronisation. */
    readonly databaseSyncTimeoutSeconds: number;
}

export function rolloutSettings(rollout: RolloutConfig): RolloutSettings {
    const httpProbe = webPorts.find((web) => web.probeProtocol === "Http");
    if (httpProbe === undefined) {
        throw new Error("the load balancer plan has no HTTP probe for the node agent to watch");
    }
    return {
        healthProbe: { port: httpProbe.port, intervalSeconds: probeIntervalSeconds, threshold: probeThreshold },
        readyTimeoutSeconds: rollout.readyTimeoutSeconds,
        drainSeconds: rollout.drainSeconds,
        databaseWaitSeconds: rollout.databaseWaitSeconds,
        databaseSyncTimeoutSeconds: rollout.databaseSyncTimeoutSeconds,
    };
}
