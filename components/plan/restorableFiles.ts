/**
 * The earliest instant Azure can restore the files to, from the blob service's restore policy as
 * Azure reports it: not before `minRestoreTime` ("the minimum date and time that the restore can be
 * started", which a restore policy turned on recently or an account failover moves forward), and not
 * more than the policy's `days` back from now (the window as deployed, not as a config edit in the same
 * run would widen it). Undefined when point-in-time restore is off.
 */
export function laterRestorableFiles(
    policy: { readonly enabled: boolean; readonly days?: number; readonly minRestoreTime?: string } | undefined, now: Date,
): string | undefined {
    if (policy?.enabled !== true || policy.minRestoreTime === undefined || policy.days === undefined) {
        return undefined;
    }
    const windowStart = new Date(now.getTime() - policy.days * 24 * 60 * 60 * 1000);
    const min = new Date(policy.minRestoreTime);
    return (min > windowStart ? min : windowStart).toISOString().replace(/\.\d{3}Z$/, "Z");
}
