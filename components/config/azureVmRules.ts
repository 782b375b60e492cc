/**
 * What Azure accepts for a Windows VM's size and local administrator, checked before deploying.
 * Source: https://learn.microsoft.com/azure/virtual-machines/windows/faq
 * ("What are the username requirements", "What are the password requirements").
 */

const reservedUsernames = new Set([
    "1", "123", "a", "actuser", "adm", "admin", "admin1", "admin2", "administrator", "aspnet", "backup",
    "console", "david", "guest", "john", "owner", "root", "server", "sql", "support", "support_388945a0",
    "sys", "test", "test1", "test2", "test3", "user", "user1", "user2", "user3", "user4", "user5",
]);

const reservedPasswords = new Set([
    "abc@123", "iloveyou!", "P@$$w0rd", "P@ssw0rd", "P@ssword123", "Pa$$word", "pass@word1", "Password!",
    "Password1", "Password22",
]);

export const adminUsernameRule =
    "1-20 characters, none of \\ / \" [ ] : | < > + = ; , ? * @ &, not ending in '.', and not a reserved name such as admin or administrator";

export function adminUsernameProblem(name: string): boolean {
    return (
        name.length < 1 ||
        name.length > 20 ||
        /[\\/"[\]:|<>+=;,?*@&\s]/.test(name) ||
        name.endsWith(".") ||
        reservedUsernames.has(name.toLowerCase())
    );
}

export const adminPasswordRule =
    "12-123 characters with three of: a lower-case letter, an upper-case letter, a digit, a special character; not a well-known password";

export function adminPasswordProblem(password: string): boolean {
    const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^a-zA-Z0-9]/].filter((pattern) => pattern.test(password)).length;
    return password.length < 12 || password.length > 123 || classes < 3 || reservedPasswords.has(password);
}

/**
 * Windows Server 2022 with Desktop Experience needs 2 GB of memory on its own ("Hardware
 * requirements for Windows Server", learn.microsoft.com/windows-server/get-started/hardware-requirements),
 * before IIS, the Service Console and a Mendix runtime (a JVM) take theirs.
 */
export const minimumMemoryGiB = 4;

interface VmSizeSeries {
    readonly series: string;
    /** Microsoft's page of the series under learn.microsoft.com/azure/virtual-machines/sizes/, whose "Basics" table gives each size's memory. */
    readonly page: string;
    /** Size name -> memory in GiB. */
    readonly sizes: Readonly<Record<string, number>>;
}

/**
 * VM sizes whose memory the stack knows, each from its series' Microsoft page: every series here
 * takes Premium SSD, which the stack gives every node's disks, runs x64 Windows Server (no Arm64
 * `p` sizes) and has SCSI disks (no NVMe-only series: see `nvmeOnly`). A size of another series is
 * taken on its name alone, with a warning naming what is not checked.
 */
const vmSizeSeries: readonly VmSizeSeries[] = [
    { series: "Bv1", page: "general-purpose/bv1-series", sizes: { Standard_B1s: 1, Standard_B1ms: 2, Standard_B2s: 4, Standard_B2ms: 8, Standard_B4ms: 16, Standard_B8ms: 32, Standard_B12ms: 48, Standard_B16ms: 64, Standard_B20ms: 80 } },
    { series: "Bsv2", page: "general-purpose/bsv2-series", sizes: {
        Standard_B2ts_v2: 1, Standard_B2ls_v2: 4, Standard_B2s_v2: 8, Standard_B4ls_v2: 8, Standard_B4s_v2: 16, Standard_B8ls_v2: 16, Standard_B8s_v2: 32,
        Standard_B16ls_v2: 32, Standard_B16s_v2: 64, Standard_B32ls_v2: 64, Standard_B32s_v2: 128,
    } },
    { series: "Basv2", page: "general-purpose/basv2-series", sizes: {
        Standard_B2ats_v2: 1, Standard_B2als_v2: 4, Standard_B2as_v2: 8, Standard_B4als_v2: 8, Standard_B4as_v2: 16, Standard_B8als_v2: 16, Standard_B8as_v2: 32,
        Standard_B16als_v2: 32, Standard_B16as_v2: 64, Standard_B32als_v2: 64, Standard_B32as_v2: 128,
    } },
    { series: "DSv2", page: "general-purpose/dsv2-series", sizes: { Standard_DS1_v2: 3.5, Standard_DS2_v2: 7, Standard_DS3_v2: 14, Standard_DS4_v2: 28, Standard_DS5_v2: 56 } },
    { series: "Dsv3", page: "general-purpose/dsv3-series", sizes: perVcpu("Standard_D{n}s_v3", [2, 4, 8, 16, 32, 48, 64], 4) },
    { series: "Dsv4", page: "general-purpose/dsv4-series", sizes: perVcpu("Standard_D{n}s_v4", [2, 4, 8, 16, 32, 48, 64], 4) },
    { series: "Dsv5", page: "general-purpose/dsv5-series", sizes: perVcpu("Standard_D{n}s_v5", [2, 4, 8, 16, 32, 48, 64, 96], 4) },
    { series: "Ddsv5", page: "general-purpose/ddsv5-series", sizes: perVcpu("Standard_D{n}ds_v5", [2, 4, 8, 16, 32, 48, 64, 96], 4) },
    { series: "Dasv5", page: "general-purpose/dasv5-series", sizes: perVcpu("Standard_D{n}as_v5", [2, 4, 8, 16, 32, 48, 64, 96], 4) },
    { series: "Esv5", page: "memory-optimized/esv5-series", sizes: { ...perVcpu("Standard_E{n}s_v5", [2, 4, 8, 16, 20, 32, 48, 64], 8), Standard_E96s_v5: 672, Standard_E104is_v5: 672 } },
    { series: "Edsv5", page: "memory-optimized/edsv5-series", sizes: { ...perVcpu("Standard_E{n}ds_v5", [2, 4, 8, 16, 20, 32, 48, 64], 8), Standard_E96ds_v5: 672, Standard_E104ids_v5: 672 } },
    { series: "Fsv2", page: "compute-optimized/fsv2-series", sizes: perVcpu("Standard_F{n}s_v2", [2, 4, 8, 16, 32, 48, 64, 72], 2) },
];

/** The sizes of a series whose pages list memory as a fixed number of GiB per vCPU. */
function perVcpu(pattern: string, vcpus: readonly number[], gibPerVcpu: number): Record<string, number> {
    return Object.fromEntries(vcpus.map((count) => [pattern.replace("{n}", String(count)), count * gibPerVcpu]));
}

const memoryBySize: ReadonlyMap<string, number> = new Map(vmSizeSeries.flatMap((row) => Object.entries(row.sizes)));

/** A size's memory in GiB, as Microsoft's size page states it; undefined for a size the table lacks. */
export function vmSizeMemoryGiB(size: string): number | undefined {
    return memoryBySize.get(size);
}

const knownSeries = vmSizeSeries.map((row) => row.series).join(", ");

/**
 * A size's name, as Microsoft's naming convention builds it: `Standard_`, the family (upper case,
 * `DS` and `GS` for the old premium-storage families), the vCPUs, the lower-case features, the
 * version. Source: https://learn.microsoft.com/azure/virtual-machines/vm-naming-conventions
 */
interface SizeName {
    readonly family: string;
    /** `a` AMD, `d` local disk, `l` low memory, `p` Arm64, `s` Premium Storage, `t` tiny memory, ... */
    readonly features: string;
    /** 1 where the name carries none. */
    readonly version: number;
}

function parseSizeName(size: string): SizeName | undefined {
    const match = /^Standard_([A-Z]+)(\d+)(?:-\d+)?([a-z]*)(?:_v(\d+))?(?:_[A-Za-z0-9]+)*$/.exec(size);
    return match === null ? undefined : { family: match[1] ?? "", features: match[3] ?? "", version: Number(match[4] ?? "1") };
}

/** The VM's disk controller: how Windows sees its data disk. */
export type DiskController = "SCSI" | "NVMe";

/**
 * Sizes of the D, E and F families from version 6 on present their disks over NVMe only: "The newer
 * generations (Da/Ea/Fav6 and newer) typically support only the NVMe storage interface"; D/Ev5,
 * Fv2 and older support SCSI (Microsoft Learn, "General FAQ for NVMe",
 * azure-compute-docs articles/virtual-machines/enable-nvme-faqs.yml). The node agent finds the data
 * disk by its SCSI LUN, and a Trusted Launch VM "can't move from SCSI to NVMe" (same page).
 */
export function diskControllerOf(size: string): DiskController {
    const name = parseSizeName(size);
    return name !== undefined && /^[DEF]/.test(name.family) && name.version >= 6 ? "NVMe" : "SCSI";
}

/**
 * Why Azure or the nodes cannot take a VM size for a node, as the `allowed` of a config error;
 * undefined when it will do (it may still deserve a warning: `vmSizeWarning`). Refused: a name
 * that is no size, an Arm64 size, a size without Premium Storage, an NVMe-only size, a size the
 * table knows to have too little memory.
 */
export function vmSizeRefusal(size: string): string | undefined {
    const name = parseSizeName(size);
    const example = "such as Standard_D4s_v5 or Standard_E8ds_v5";
    if (name === undefined) {
        return `an Azure VM size name, ${example}`;
    }
    if (name.features.includes("p")) {
        return `an x64 VM size, ${example}: the p in ${size} marks an Arm64 size, which the Windows Server 2022 x64 image does not run on`;
    }
    if (!(name.features.includes("s") || name.family.endsWith("S"))) {
        return `a VM size that supports Premium SSD, which every node's disks are (an s among its feature letters, or a DS or GS family), ${example}`;
    }
    if (diskControllerOf(size) === "NVMe") {
        return `a VM size with SCSI disks, ${example}: ${size} presents its disks over NVMe only (D, E and F sizes from v6 on), ` +
            "and the node agent finds the data disk by its SCSI LUN; a Trusted Launch VM cannot move from SCSI to NVMe either";
    }
    const memory = vmSizeMemoryGiB(size);
    if (memory !== undefined && memory < minimumMemoryGiB) {
        return `a size with at least ${minimumMemoryGiB} GiB of memory, such as Standard_D2s_v5 (${size} has ${memory} GiB; ` +
            "Windows Server 2022 with Desktop Experience takes 2 GB before IIS, the Service Console and a Mendix runtime)";
    }
    return undefined;
}

/**
 * What `pulumi up` warns of for a VM size it takes: one outside the table, whose memory is not
 * checked; one refused now that the last deployment used, which is kept rather than refused (its
 * nodes exist: a stack that cannot run `pulumi up` cannot be put right). Undefined: nothing to say.
 */
export function vmSizeWarning(size: string, deployedSize: string | undefined): string | undefined {
    const refusal = vmSizeRefusal(size);
    if (refusal !== undefined) {
        return size === deployedSize
            ? `vmSize ${size} is what the last deployment used, so it is kept, though a new stack would be refused it; allowed for a new stack: ${refusal}`
            : undefined;
    }
    return vmSizeMemoryGiB(size) === undefined
        ? `vmSize ${size} is not among the sizes whose memory this stack knows (${knownSeries}: components/config/azureVmRules.ts): ` +
            `its name says it takes Premium SSD, runs x64 and has SCSI disks, but not that it has the ${minimumMemoryGiB} GiB of memory a node needs; check its Microsoft size page`
        : undefined;
}
