import { readAlerts } from "./alertsConfig";
import { readLicensedApps } from "./appsConfig";
import { adminPasswordProblem, adminPasswordRule, adminUsernameProblem, adminUsernameRule, vmSizeRefusal } from "./azureVmRules";
import { cidrProblem, cidrRule, coversTheInternet } from "./cidr";
import { ConfigReader, RawConfig } from "./configReader";
import { allZones, ClusterConfig, defaults, limits, Zone } from "./contract";
import { deployerCidrProblem, deployerCidrRule, deployerCidrsRequiredRule } from "./deployerCidrs";
import { readDelivery } from "./delivery";
import { dnsLabelPattern, dnsLabelRule } from "./dnsLabel";
import { readRestore } from "./restoreConfig";
import { readRollout } from "./rolloutConfig";
import { readRotation, readSecrets } from "./secretsConfig";
import { objectIdPattern, readSql } from "./sqlConfig";
import { readStandby } from "./standbyConfig";
import { readStorage } from "./storageConfig";

export const configKeys = [
    "nodeCount", "vmSize", "zones", "dataDiskSizeGb", "adminUsername", "adminPassword", "rdpSourceCidrs",
    "deployerCidrs", "sql", "apps", "protect", "rollout", "licenseSecrets", "requireLicense", "installers", "image",
    "certificate", "encryptionAtHost", "bastion", "dnsLabel", "adminPasswordReaders", "storage", "secrets", "rotation", "alerts",
    "standby", "restore",
] as const;

/** Keys set with `pulumi config set --secret`; Pulumi.yaml cannot declare them (a secret has no plaintext default). */
export const secretConfigKeys: readonly (typeof configKeys)[number][] = ["adminPassword", "licenseSecrets"];

/**
 * Optional mappings whose absence means something (no image, a self-signed certificate, the
 * installers' built-in URLs): Pulumi.yaml cannot declare a key without a default without making
 * it required, so they are described there in comments.
 */
export const optionalConfigKeys: readonly (typeof configKeys)[number][] = ["installers", "image", "certificate", "dnsLabel", "storage", "standby", "restore"];

/**
 * Reads and validates the whole stack config. Throws one `ConfigError` that names every wrong value
 * (key, value, what is allowed); returns a config every component can trust. `location` is the
 * stack's own region (`azure-native:location`), which the standby's must differ from;
 * `deployedVmSize` the VM size the last deployment gave the nodes, which is never refused.
 */
export function parseClusterConfig(raw: RawConfig, location?: string, deployedVmSize?: string): ClusterConfig {
    const reader = new ConfigReader(raw);
    for (const key of reader.keysOtherThan(configKeys)) {
        reader.report(key, reader.rawString(key), `a known key: ${configKeys.join(", ")}`, reader.isSecret(key));
    }
    const requireLicense = reader.boolean("requireLicense", defaults.requireLicense);
    const zones = readZones(reader);
    const nodeCount = reader.integer("nodeCount", defaults.nodeCount, limits.nodeCount);
    const sql = readSql(reader);
    const storage = readStorage(reader, zones, sql.backupRetentionDays);
    const config: ClusterConfig = {
        nodeCount,
        vmSize: readVmSize(reader, wantedVmSize(raw), deployedVmSize),
        zones,
        dataDiskSizeGb: reader.integer("dataDiskSizeGb", defaults.dataDiskSizeGb, limits.dataDiskSizeGb),
        adminUsername: readAdminUsername(reader),
        adminPassword: readAdminPassword(reader),
        rdpSourceCidrs: readRdpSourceCidrs(reader),
        deployerCidrs: readDeployerCidrs(reader),
        sql,
        apps: readLicensedApps(reader, requireLicense),
        protect: reader.boolean("protect", defaults.protect),
        rollout: readRollout(reader),
        requireLicense,
        delivery: readDelivery(reader),
        encryptionAtHost: reader.boolean("encryptionAtHost", defaults.encryptionAtHost),
        bastion: reader.boolean("bastion", defaults.bastion),
        dnsLabel: readDnsLabel(reader),
        adminPasswordReaders: readAdminPasswordReaders(reader),
        storage,
        secrets: readSecrets(reader),
        rotation: readRotation(reader),
        alerts: readAlerts(reader, requireLicense),
        standby: readStandby(reader, { location, zones, replication: storage.replication, nodeCount }),
        restore: readRestore(reader),
    };
    reader.finish();
    return config;
}

/** The nodes' VM size; the one the last deployment used is kept whatever the rules say now (the program warns). */
export function wantedVmSize(raw: RawConfig): string {
    return raw.values["vmSize"] ?? defaults.vmSize;
}

function readVmSize(reader: ConfigReader, size: string, deployedVmSize: string | undefined): string {
    const refusal = vmSizeRefusal(size);
    if (refusal !== undefined && size !== deployedVmSize) {
        reader.report("vmSize", size, refusal);
    }
    return size;
}

function readZones(reader: ConfigReader): readonly Zone[] {
    const zones = reader.stringList("zones", defaults.zones);
    const valid = zones.filter((zone): zone is Zone => (allZones as readonly string[]).includes(zone));
    if (valid.length !== zones.length || new Set(zones).size !== zones.length) {
        reader.report("zones", zones, `a list of distinct zones out of "1", "2", "3"; an empty list for no zones`);
    }
    return valid;
}

function readAdminUsername(reader: ConfigReader): string {
    const name = reader.string("adminUsername", defaults.adminUsername);
    if (adminUsernameProblem(name)) {
        reader.report("adminUsername", name, adminUsernameRule);
    }
    return name;
}

function readAdminPassword(reader: ConfigReader): string | undefined {
    const password = reader.rawString("adminPassword");
    if (password === undefined || password === "") {
        return undefined;
    }
    if (!reader.isSecret("adminPassword")) {
        reader.report("adminPassword", password, "a secret: set it with `pulumi config set --secret adminPassword`", true);
    } else if (adminPasswordProblem(password)) {
        reader.report("adminPassword", password, adminPasswordRule, true);
    }
    return password;
}

function readRdpSourceCidrs(reader: ConfigReader): readonly string[] {
    const cidrs = reader.stringList("rdpSourceCidrs", defaults.rdpSourceCidrs);
    cidrs.forEach((cidr, index) => {
        if (cidrProblem(cidr)) {
            reader.report(`rdpSourceCidrs[${index}]`, cidr, cidrRule);
        }
    });
    if (coversTheInternet(cidrs)) {
        reader.report("rdpSourceCidrs", cidrs, "blocks that together leave out some of the internet: these cover all of 0.0.0.0/0, which is never allowed");
    }
    return cidrs;
}

function readDeployerCidrs(reader: ConfigReader): readonly string[] {
    const cidrs = reader.stringList("deployerCidrs", defaults.deployerCidrs);
    if (cidrs.length === 0) {
        reader.report("deployerCidrs", cidrs, deployerCidrsRequiredRule);
    }
    cidrs.forEach((cidr, index) => {
        const problem = deployerCidrProblem(cidr);
        if (problem !== undefined) {
            reader.report(`deployerCidrs[${index}]`, cidr, `${deployerCidrRule} (this one is ${problem})`);
        } else if (cidrs.indexOf(cidr) !== index) {
            reader.report(`deployerCidrs[${index}]`, cidr, "each address once");
        }
    });
    return cidrs;
}

function readDnsLabel(reader: ConfigReader): string | undefined {
    const label = reader.rawString("dnsLabel");
    if (label !== undefined && !dnsLabelPattern.test(label)) {
        reader.report("dnsLabel", label, dnsLabelRule);
    }
    return label;
}

function readAdminPasswordReaders(reader: ConfigReader): readonly string[] {
    const readers = reader.stringList("adminPasswordReaders", defaults.adminPasswordReaders);
    readers.forEach((objectId, index) => {
        if (!objectIdPattern.test(objectId)) {
            reader.report(`adminPasswordReaders[${index}]`, objectId, "the Entra object id (a GUID) of a user or group that may read the nodes' admin password");
        }
    });
    return readers;
}
