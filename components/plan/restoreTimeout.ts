/**
 * How long a deployment lets a restore run. Azure SQL documents no bound for a point-in-time
 * restore: it "depends on the size of the database, the number of transaction logs involved, the
 * amount of activity that needs to be replayed" and "can take several hours" for a large one
 * (Microsoft Learn, "Restore a database from a backup in Azure SQL Database", Recovery time), while
 * azure-native waits about two hours for a create by default. The files' restore is bounded the same
 * (Microsoft's largest example: "about two hours" for a million blobs 30 days back). A deployment
 * that outlasts it is recovered as docs/restoring.md says.
 */
export const restoreTimeoutHours = 24;

/** As Pulumi's `customTimeouts` take it. */
export const restoreCreateTimeout = `${restoreTimeoutHours}h`;
