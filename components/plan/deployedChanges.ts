import { scryptSync } from "crypto";
import { diskControllerOf } from "../config/azureVmRules";
import { ConfigIssue, secretPlaceholder } from "../config/configError";

/**
 * Edits Azure refuses on a stack that is already deployed, decided from what its last deployment
 * left in the stack outputs (read back through the stack's reference to itself): a smaller data
 * disk, another admin password for VMs that exist, a VM size with another disk controller.
 */

/** The fingerprint of a password the stack generated (random.RandomPassword) rather than took from the config. */
export const generatedPassword = "generated";

/**
 * What the nodes' admin password was, for the stack output `adminPasswordFingerprint`: `generated`,
 * or `scrypt:<hex>` of a configured one. The program must tell whether the config's password is the
 * one the VMs were created with, and must never keep that password, or a hash anyone could test
 * guesses against, where it can be read. So the output is a Pulumi secret (encrypted in the state,
 * `[secret]` in `pulumi stack output`), and what it holds is scrypt's slow, salted key derivation
 * of the password: salted with the stack's own name, so the same password on two stacks gives two
 * fingerprints, and stable across runs, so the output changes only when the password does.
 */
export function adminPasswordFingerprint(password: string | undefined, stackName: string): string {
    if (password === undefined) {
        return generatedPassword;
    }
    return `scrypt:${scryptSync(password, `mendix-cluster admin password of ${stackName}`, 32).toString("hex")}`;
}

/** A fingerprint this program wrote; anything else (an older stack's outputs, none) reads as unknown. */
export function readAdminPasswordFingerprint(value: unknown): string | undefined {
    return typeof value === "string" && (value === generatedPassword || /^scrypt:[0-9a-f]{64}$/.test(value)) ? value : undefined;
}

/** The data disk size the last deployment gave every node; undefined when it left none. */
export function readDataDiskSizeGb(value: unknown): number | undefined {
    return typeof value === "number" && Number.isInteger(value) && value > 0 ? value : undefined;
}

/** The VM size the last deployment gave every node; undefined when it left none. */
export function readVmSize(value: unknown): string | undefined {
    return typeof value === "string" && value !== "" ? value : undefined;
}

/** Whether the last deployment's nodes have encryption at host; undefined when it left no record. */
export function readEncryptionAtHost(value: unknown): boolean | undefined {
    return typeof value === "boolean" ? value : undefined;
}

/**
 * Azure grows an attached Standard HDD, Standard SSD or Premium SSD data disk without stopping its VM,
 * except from 4 TiB or less to more than 4 TiB, which needs the VM deallocated and the disk detached
 * (Microsoft Learn, "Expand virtual hard disks attached to a Windows virtual machine", expand without downtime).
 */
export const liveGrowthLimitGb = 4096;

export interface DeployedValues {
    /** Names of the nodes the last deployment had: none for a stack never deployed. */
    readonly nodes: readonly string[];
    readonly dataDiskSizeGb: number | undefined;
    readonly adminPasswordFingerprint: string | undefined;
    readonly vmSize: string | undefined;
}

export interface WantedValues {
    readonly dataDiskSizeGb: number;
    readonly adminPasswordFingerprint: string;
    readonly vmSize: string;
}

const passwordRefusal =
    "Azure refuses to change the admin password of a VM that exists (\"Changing property 'adminPassword' is not allowed\"); " +
    "change it on the nodes themselves (docs/rotating-secrets.md) and leave the config as the nodes were deployed";

/** Each edit of a deployed stack that Azure would refuse, as a config issue; none for a stack never deployed. */
export function refusedChanges(last: DeployedValues, wanted: WantedValues): ConfigIssue[] {
    if (last.nodes.length === 0) {
        return [];
    }
    const issues: ConfigIssue[] = [];
    if (last.dataDiskSizeGb !== undefined && wanted.dataDiskSizeGb < last.dataDiskSizeGb) {
        issues.push({
            key: "dataDiskSizeGb",
            value: String(wanted.dataDiskSizeGb),
            allowed: `${last.dataDiskSizeGb} or more: every node's data disk has ${last.dataDiskSizeGb} GB, and Azure cannot shrink a managed disk`,
        });
    } else if (last.dataDiskSizeGb !== undefined && last.dataDiskSizeGb <= liveGrowthLimitGb && wanted.dataDiskSizeGb > liveGrowthLimitGb) {
        issues.push({
            key: "dataDiskSizeGb",
            value: String(wanted.dataDiskSizeGb),
            allowed: `${last.dataDiskSizeGb} to ${liveGrowthLimitGb}: Azure grows a Premium SSD data disk of ${liveGrowthLimitGb} GB or less past ` +
                `${liveGrowthLimitGb} GB only while its VM is deallocated and the disk detached, which this stack does not do`,
        });
    }
    if (last.vmSize !== undefined && diskControllerOf(last.vmSize) !== diskControllerOf(wanted.vmSize)) {
        issues.push({
            key: "vmSize",
            value: wanted.vmSize,
            allowed: `a size with ${diskControllerOf(last.vmSize)} disks, as ${last.vmSize} has, which every node runs on: Azure changes a VM's disk controller ` +
                "only while it is deallocated, a Trusted Launch VM such as these \"can't move from SCSI to NVMe\" at all (Microsoft Learn, \"General FAQ for NVMe\"), " +
                "and the node agent finds the data disk by its SCSI LUN",
        });
    }
    const before = last.adminPasswordFingerprint;
    if (before !== undefined && before !== wanted.adminPasswordFingerprint) {
        issues.push(before === generatedPassword
            ? { key: "adminPassword", value: secretPlaceholder, allowed: `none, as the nodes were deployed with the password the stack generated: ${passwordRefusal}` }
            : wanted.adminPasswordFingerprint === generatedPassword
                ? { key: "adminPassword", value: "nothing", allowed: `the password the nodes were deployed with, which the config no longer sets (the stack would generate another): ${passwordRefusal}` }
                : { key: "adminPassword", value: secretPlaceholder, allowed: `the password the nodes were deployed with, not another: ${passwordRefusal}` });
    }
    return issues;
}
