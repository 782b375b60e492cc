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
 * The stack gives every VM Premium SSD disks, so the size must support premium storage: an `s`
 * among the size's feature letters (`Standard_D4s_v5`, `Standard_E8ds_v5`) or a `DS`/`GS` family.
 * Source: https://learn.microsoft.com/azure/virtual-machines/vm-naming-conventions
 */
export const vmSizeRule = "an Azure VM size that supports Premium SSD, such as Standard_D4s_v5 or Standard_E8ds_v5";

export function vmSizeProblem(size: string): boolean {
    const match = /^Standard_([A-Z]+)(\d+)(-\d+)?([a-z]*)(_[A-Za-z0-9]+)*$/.exec(size);
    if (!match) {
        return true;
    }
    const family = match[1] ?? "";
    const features = match[4] ?? "";
    return !(features.includes("s") || family.endsWith("S"));
}
