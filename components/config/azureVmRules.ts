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
 * The VM sizes a node may have: every series here takes Premium SSD, which the stack gives every
 * node's disks, and runs x64 Windows Server (no Arm64 `p` sizes). A size of another series is
 * refused until its row is added here from its Microsoft page.
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
    { series: "Dsv6", page: "general-purpose/dsv6-series", sizes: perVcpu("Standard_D{n}s_v6", [2, 4, 8, 16, 32, 48, 64, 96, 128], 4) },
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

/** What is wrong with a node's VM size, as the `allowed` of a config error; undefined when it will do. */
export function vmSizeProblem(size: string): string | undefined {
    const memory = vmSizeMemoryGiB(size);
    if (memory === undefined) {
        return `a VM size of a series this stack knows (${knownSeries}; Premium SSD, x64, its memory from Microsoft's size page in ` +
            "components/config/azureVmRules.ts), such as Standard_D4s_v5 or Standard_E8ds_v5";
    }
    if (memory < minimumMemoryGiB) {
        return `a size with at least ${minimumMemoryGiB} GiB of memory, such as Standard_D2s_v5 (${size} has ${memory} GiB; ` +
            "Windows Server 2022 with Desktop Experience takes 2 GB before IIS, the Service Console and a Mendix runtime)";
    }
    return undefined;
}
