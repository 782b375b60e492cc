import * as sql from "@pulumi/azure-native/sql";
import * as storage from "@pulumi/azure-native/storage";
import * as pulumi from "@pulumi/pulumi";
import { DatabaseLineage, RestorableSince } from "./plan/restore";
import { laterRestorableFiles } from "./plan/restorableFiles";

/** Where the last deployment's databases and files are, as its outputs name them. */
export interface RestoreTarget {
    readonly resourceGroupName: string;
    readonly storageAccountName: string;
    readonly sqlServerName: string;
    readonly databases: DatabaseLineage;
}

/**
 * How far back Azure can restore the files and each database kept, asked of Azure now, before a
 * restore is planned. The stack's outputs cannot say it: Pulumi reads a resource's outputs only
 * when it changes it (or on `pulumi refresh`), so a database's `earliestRestoreDate` there is the
 * one of its creation, and the files' `minRestoreTime` the one of the deployment that turned their
 * restore policy on, whatever a failover or a later change of the window did since.
 */
export async function readRestorableSince(target: RestoreTarget, now: Date): Promise<RestorableSince> {
    const { resourceGroupName } = target;
    const blobService = await ask(`the blob service of storage account ${target.storageAccountName}`, () =>
        storage.getBlobServiceProperties({ resourceGroupName, accountName: target.storageAccountName, blobServicesName: "default" }));
    const databaseNames = Object.values(target.databases).flatMap((lineage) => lineage.map((database) => database.name));
    const byDatabase = Object.fromEntries(await Promise.all(databaseNames.map(async (databaseName) => {
        const database = await ask(`database ${databaseName} of SQL server ${target.sqlServerName}`, () =>
            sql.getDatabase({ resourceGroupName, serverName: target.sqlServerName, databaseName }));
        return [databaseName, database.earliestRestoreDate] as const;
    })));
    const reported = Object.fromEntries(Object.entries(byDatabase).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
    const inUse = Object.fromEntries(Object.entries(target.databases).flatMap(([app, lineage]) => {
        const last = lineage[lineage.length - 1];
        const since = last === undefined ? undefined : reported[last.name];
        return since === undefined ? [] : [[app, since]];
    }));
    return { files: laterRestorableFiles(blobService.restorePolicy, now), databases: inUse, byDatabase: reported };
}

async function ask<T>(what: string, read: () => Promise<T>): Promise<T> {
    try {
        return await read();
    } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new pulumi.RunError(`restore.pointInTime: Azure did not say how far back ${what} can be restored (${message}). ` +
            "A restore is planned only on what Azure reports now; check that the deployer may read the stack's resource group, and run again. Nothing was changed.");
    }
}
