import * as compute from "@pulumi/azure-native/compute";
import * as features from "@pulumi/azure-native/features";
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { loadAgentPackage } from "./agentPackage";
import { RawConfig } from "./config/configReader";
import { ConfigError } from "./config/configError";
import { vmSizeRefusal, vmSizeWarning } from "./config/azureVmRules";
import { ClusterConfig, projectName } from "./config/contract";
import { parseClusterConfig, wantedVmSize } from "./config/parseClusterConfig";
import { stackFileSecurePaths } from "./config/securePaths";
import { standbyPairWarning } from "./config/standbyConfig";
import { InputError } from "./inputError";
import { loadInstallerPackage } from "./installerPackage";
import { LastDeployment, noSqlAdminLogin, readLastDeployment } from "./lastDeployment";
import { MendixCluster } from "./mendixCluster";
import { loadModelPackages, ModelPackage } from "./modelPackage";
import { certificateDescription, healthProbePath } from "./plan/delivery";
import { alertRecipients, noAlertRecipientsWarning } from "./plan/alerts";
import { adminPasswordFingerprint, refusedChanges } from "./plan/deployedChanges";
import {
    DeployedVmEncryption, encryptionAtHostChangeIssue, encryptionAtHostChanges, encryptionAtHostFeature, encryptionAtHostOffWarning, encryptionAtHostRefusal,
    encryptionAtHostUnreadable, encryptionAtHostUnreadWarning, reportedVm,
} from "./plan/encryptionAtHost";
import { unlicensedApps, unlicensedAppWarning } from "./plan/licensing";
import { clusterNames, RegionRole } from "./plan/names";
import { nodeIndex, planNodes } from "./plan/nodes";
import { vaultSecretNames } from "./plan/keyVaultReference";
import { activeStandbyRefusals } from "./plan/regions";
import { vaultedSettings } from "./plan/vaultedSettings";
import { planRestore, restoreAsked, RestoreInput, restoreNodeCountRefusal, restoreRefusal } from "./plan/restore";
import { readRestorableSince } from "./restorableSince";
import { deployerSignIn } from "./blobRestore/deployerSignIn";
import { serverNameOf } from "./plan/sqlEndpoint";
import { appSignIn, clusterSignIn, secretsSignInWarning, storageKeyRenewalWarning } from "./plan/signIn";
import { entraAdminRefusal, planSqlAuthentication, sqlAuthenticationRefusal } from "./plan/sqlAuthentication";

// The SDK exports this at run time but leaves it out of its typings; it is how Pulumi itself tells
// which config values were set with --secret.
const runtimeConfig = require("@pulumi/pulumi/runtime/config") as { isConfigSecret(key: string): boolean };

const projectDirectory = path.join(__dirname, "..");

export interface ProgramOptions {
    /** Where the published agent is; the repository's `agent/publish/net48` by default. */
    readonly agentDirectory?: string;
    /** What relative paths in the config (apps[].mda) are relative to; the project's folder by default. */
    readonly projectDirectory?: string;
    /** The time of the run; the clock's by default. */
    readonly now?: Date;
}

/**
 * The stack file's config as written (`Pulumi.<stack>.yaml` in the project directory), where the CLI
 * read it from; none when there is no such file (the config came from elsewhere).
 */
function readStackFile(directory: string): Record<string, unknown> {
    const file = path.join(directory, `Pulumi.${pulumi.getStack()}.yaml`);
    if (!fs.existsSync(file)) {
        return {};
    }
    const document = parse(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null;
    return document?.config ?? {};
}

/**
 * This project's keys from the stack config, without the `mendix-cluster:` namespace, and which of
 * their values are secret: Pulumi says which keys hold a secret, the stack file which values within.
 */
export function readRawConfig(directory: string): RawConfig {
    const prefix = `${projectName}:`;
    const values: Record<string, string> = {};
    const secretKeys = new Set<string>();
    for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
        if (key.startsWith(prefix)) {
            const name = key.slice(prefix.length);
            values[name] = value;
            if (runtimeConfig.isConfigSecret(key)) {
                secretKeys.add(name);
            }
        }
    }
    return { values, secretKeys, securePaths: stackFileSecurePaths(readStackFile(directory), projectName) };
}

/** The location comes from the provider's own config key, as `pulumi config set azure-native:location` sets it. */
export function readLocation(): string {
    const location = new pulumi.Config("azure-native").get("location");
    if (location === undefined || !/^[a-z0-9]+$/.test(location)) {
        throw new InputError(
            `azure-native:location: got ${JSON.stringify(location ?? null)}; allowed: an Azure region name such as westeurope ` +
            "(set it with `pulumi config set azure-native:location westeurope`); no resource was registered",
        );
    }
    return location;
}

/** An InputError stops the program with its message alone. */
function refusingInputErrors<T>(decide: () => T): T {
    try {
        return decide();
    } catch (error) {
        if (error instanceof InputError) {
            throw new pulumi.RunError(error.message);
        }
        throw error;
    }
}

/** The last deployment's outputs, read once, when first asked for. */
type LastDeploymentReader = () => Promise<LastDeployment>;

function lastDeploymentReader(): LastDeploymentReader {
    let reading: Promise<LastDeployment> | undefined;
    return () => (reading ??= readLastDeployment());
}

/**
 * Reads and checks everything a user can get wrong, before a single resource is registered. The
 * last deployment is read first only where the VM size would be refused: the size its nodes run on
 * is kept, never refused.
 */
async function validatedInputs(options: ProgramOptions, lastDeployment: LastDeploymentReader) {
    const directory = options.projectDirectory ?? projectDirectory;
    const { raw, location } = refusingInputErrors(() => ({ location: readLocation(), raw: readRawConfig(directory) }));
    const deployedVmSize = vmSizeRefusal(wantedVmSize(raw)) === undefined ? undefined : (await lastDeployment()).vmSize;
    return refusingInputErrors(() => {
        const config = parseClusterConfig(raw, location, deployedVmSize);
        const agent = loadAgentPackage(options.agentDirectory);
        const models = loadModelPackages(config.apps, directory);
        const serviceConsole = loadInstallerPackage(config.delivery, directory);
        const apps = config.apps.map((app) => ({ name: app.name, signIn: appSignIn(models[app.name]?.runtimeVersion) }));
        const signIn = clusterSignIn(apps);
        const entraAdmin = entraAdminRefusal(config.sql.entraAdmin, signIn);
        if (entraAdmin !== undefined) {
            throw new InputError(entraAdmin);
        }
        const sizeWarning = vmSizeWarning(config.vmSize, deployedVmSize);
        return { config, location, agent, models, serviceConsole, apps, signIn, sizeWarning };
    });
}

/** Reads the subscription's registration of encryption at host; refuses when it is not registered. */
async function checkEncryptionAtHost(wanted: boolean): Promise<void> {
    if (!wanted) {
        void pulumi.log.warn(encryptionAtHostOffWarning);
        return;
    }
    let refusal: string | undefined;
    try {
        const registration = await features.getSubscriptionFeatureRegistration({ ...encryptionAtHostFeature });
        refusal = encryptionAtHostRefusal(registration.properties.state);
    } catch (error) {
        refusal = encryptionAtHostUnreadable(error instanceof Error ? error.message : String(error));
    }
    if (refusal !== undefined) {
        throw new pulumi.RunError(refusal);
    }
}

/** What decides every app's databases and the restore to declare: the config, what the last deployment left, the time. */
function restoreInput(config: ClusterConfig, lastDeployment: LastDeployment, now: Date): RestoreInput {
    return {
        pointInTime: config.restore.pointInTime,
        keepFormerDatabases: config.restore.keepFormerDatabases,
        apps: config.apps.map((app) => app.name),
        nodeCount: config.nodeCount,
        deployed: { nodes: lastDeployment.nodes, ...lastDeployment.restore },
        retentionDays: config.sql.backupRetentionDays,
        standby: config.standby !== undefined,
        now,
        names: clusterNames(pulumi.getStack()),
    };
}

/**
 * A new restore is planned on how far back Azure says it can restore now (`restorableSince.ts`),
 * not on what the last deployment's outputs recorded. Not read on a stack with a standby, which
 * refuses a restore whatever the instant.
 */
async function withRestorableSinceFromAzure(input: RestoreInput, lastDeployment: LastDeployment): Promise<RestoreInput> {
    if (!restoreAsked(input) || input.standby || lastDeployment.nodes.length === 0) {
        return input;
    }
    try {
        // The restore of the files signs in as the deployer: an environment it cannot sign in from is refused before any app stops.
        deployerSignIn(process.env);
    } catch (error) {
        throw new pulumi.RunError(`restore.pointInTime: ${error instanceof Error ? error.message : String(error)}. Nothing was changed.`);
    }
    const { storageAccountName, sqlServerHost } = lastDeployment;
    if (storageAccountName === undefined || sqlServerHost === undefined) {
        throw new pulumi.RunError("restore.pointInTime: the last deployment's outputs name no storageAccountName or sqlServerHost, so what to restore is not known; " +
            "run pulumi up once without restore.pointInTime, then restore. Nothing was changed.");
    }
    const target = {
        resourceGroupName: clusterNames(pulumi.getStack()).resourceGroup, storageAccountName, sqlServerName: serverNameOf(sqlServerHost), databases: input.deployed.databases,
    };
    return { ...input, deployed: { ...input.deployed, restorableSince: await readRestorableSince(target, input.now) } };
}

/** The VMs of the nodes the last deployment left, in both regions, as Azure names them. */
function deployedVms(lastDeployment: LastDeployment): { resourceGroupName: string; vmName: string }[] {
    const vms = (nodes: readonly string[], role: RegionRole) => {
        const names = clusterNames(pulumi.getStack(), role);
        return nodes.flatMap((node) => {
            const index = nodeIndex(node);
            return index === undefined ? [] : [{ resourceGroupName: names.resourceGroup, vmName: names.vm(index) }];
        });
    };
    return [...vms(lastDeployment.nodes, "primary"), ...vms(lastDeployment.standbyNodes, "standby")];
}

/** Each deployed node's encryption at host and power state as Azure reports them; the setting undefined where it could not be read. */
async function readVmEncryption(lastDeployment: LastDeployment): Promise<DeployedVmEncryption[]> {
    return Promise.all(deployedVms(lastDeployment).map(async (vm) => {
        try {
            return { ...vm, ...reportedVm(await compute.getVirtualMachine({ ...vm, expand: "instanceView" })) };
        } catch {
            return { ...vm, encryptionAtHost: undefined, deallocated: false };
        }
    }));
}

/**
 * Refuses what Azure would refuse on what the last deployment left, a restore to an instant it
 * cannot restore to among it, and an edit that would reach the lost region while the standby
 * serves, before anything is registered; returns the admin password's fingerprint for the next run
 * to compare with.
 */
async function checkAgainstLastDeployment(
    config: ClusterConfig, lastDeployment: LastDeployment, restore: RestoreInput, models: Readonly<Record<string, ModelPackage>>,
): Promise<string> {
    const fingerprint = adminPasswordFingerprint(config.adminPassword, `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`);
    const restoreIssues = [restoreRefusal(restore), restoreNodeCountRefusal(restore)].flatMap((issue) => (issue === undefined ? [] : [issue]));
    const vmEncryption = encryptionAtHostChanges(lastDeployment.encryptionAtHost, config.encryptionAtHost, lastDeployment.nodes.length)
        ? await readVmEncryption(lastDeployment)
        : [];
    const encryptionIssue = encryptionAtHostChangeIssue(config.encryptionAtHost, vmEncryption);
    const issues = [
        ...refusedChanges(lastDeployment, { dataDiskSizeGb: config.dataDiskSizeGb, adminPasswordFingerprint: fingerprint, vmSize: config.vmSize }),
        ...(encryptionIssue === undefined ? [] : [encryptionIssue]),
        ...restoreIssues,
        ...activeStandbyRefusals({
            standby: config.standby,
            deployed: {
                nodes: lastDeployment.nodes, standby: lastDeployment.standby, apps: Object.keys(lastDeployment.restore.databases), models: lastDeployment.models,
                vaultSecrets: lastDeployment.vaultSecrets,
            },
            wanted: {
                nodeCount: config.nodeCount,
                nodes: planNodes(config.nodeCount, config.zones, clusterNames(pulumi.getStack())).map((node) => node.name),
                apps: config.apps.map((app) => app.name),
                models: Object.fromEntries(Object.values(models).map((model) => [model.app, model.sha256])),
                appSecrets: config.apps.flatMap((app, index) => [
                    ...(app.license === undefined ? [] : [{ key: `apps[${index}].license`, vaultSecretName: vaultSecretNames.license(app.name) }]),
                    ...vaultedSettings(app).map((setting) => ({ key: `apps[${index}].customSettings.${setting.setting}`, vaultSecretName: setting.vaultSecretName })),
                ]),
            },
        }),
    ];
    if (issues.length > 0) {
        throw new pulumi.RunError(new ConfigError(issues).message);
    }
    const unread = encryptionAtHostUnreadWarning(config.encryptionAtHost, vmEncryption);
    if (unread !== undefined) {
        void pulumi.log.warn(unread);
    }
    return fingerprint;
}

/** The whole program: the stack's outputs, for `index.ts` to export. Nothing is registered before every check passed. */
export async function mendixClusterProgram(options: ProgramOptions = {}) {
    const readDeployment = lastDeploymentReader();
    const { config, location, agent, models, serviceConsole, apps, signIn, sizeWarning } = await validatedInputs(options, readDeployment);
    await checkEncryptionAtHost(config.encryptionAtHost);
    const lastDeployment = await readDeployment();
    const restoring = await withRestorableSinceFromAzure(restoreInput(config, lastDeployment, options.now ?? new Date()), lastDeployment);
    const passwordFingerprint = await checkAgainstLastDeployment(config, lastDeployment, restoring, models);
    if (sizeWarning !== undefined) {
        void pulumi.log.warn(sizeWarning);
    }
    const restore = planRestore(restoring);
    const sqlInput = { signIn, recordedAdminLogin: lastDeployment.sqlAdminLogin, deployedBefore: lastDeployment.nodes.length > 0, configuredEntraAdmin: config.sql.entraAdmin };
    const sqlRefusal = sqlAuthenticationRefusal(sqlInput);
    if (sqlRefusal !== undefined) {
        throw new pulumi.RunError(sqlRefusal);
    }
    const sqlAuthentication = planSqlAuthentication(sqlInput);
    for (const app of apps) {
        const warning = secretsSignInWarning(app.name, app.signIn);
        if (warning !== undefined) {
            void pulumi.log.warn(warning);
        }
    }
    const renewal = storageKeyRenewalWarning(signIn, { storageKeyInUse: lastDeployment.storageKeyInUse, deployedBefore: sqlInput.deployedBefore });
    if (renewal !== undefined) {
        void pulumi.log.warn(renewal);
    }
    const unlicensed = unlicensedApps(config.apps);
    for (const app of unlicensed) {
        void pulumi.log.warn(unlicensedAppWarning(app));
    }
    const pairWarning = config.standby === undefined ? undefined : standbyPairWarning(location, config.standby);
    if (pairWarning !== undefined) {
        void pulumi.log.warn(pairWarning);
    }
    if (alertRecipients(config.alerts) === undefined) {
        void pulumi.log.warn(noAlertRecipientsWarning);
    }
    const cluster = new MendixCluster("mendix", {
        config, stack: pulumi.getStack(), location, agent, models, serviceConsole, lastDeployment, now: restoring.now, restore, signIn, sqlAuthentication,
    });
    return {
        url: cluster.url,
        publicIpAddress: cluster.publicIpAddress,
        nodes: cluster.nodes,
        leader: cluster.leader,
        settingsBlobs: cluster.settingsBlobs,
        sqlServerHost: cluster.sqlServerHost,
        databaseNames: cluster.databaseNames,
        databases: cluster.databases,
        restore: cluster.restore,
        restorableSince: cluster.restorableSince,
        storageAccountName: cluster.storageAccountName,
        resourceGroupName: cluster.resourceGroupName,
        keyVaultName: cluster.keyVaultName,
        nodeUpdateTags: cluster.updateTags,
        unlicensedApps: unlicensed,
        deployedModels: Object.fromEntries(Object.values(models).map((model) => [model.app, model.sha256])),
        healthProbePath,
        httpsCertificate: certificateDescription(config.delivery),
        secretRotation: cluster.secretRotation,
        sqlAdminLogin: cluster.sqlAdminLogin ?? noSqlAdminLogin,
        storageKeyInUse: signIn.needsStorageKey,
        vaultSecrets: cluster.vaultSecrets,
        workbookUrl: cluster.workbookUrl,
        // Read back by the next run, which refuses what Azure cannot do to what exists.
        dataDiskSizeGb: config.dataDiskSizeGb,
        vmSize: config.vmSize,
        encryptionAtHost: config.encryptionAtHost,
        adminPasswordFingerprint: pulumi.secret(passwordFingerprint),
        // A stack in one region has exactly the outputs it had before the standby existed.
        ...(cluster.standby === undefined ? {} : { standby: cluster.standby, standbyNodes: cluster.standbyNodes }),
    };
}
