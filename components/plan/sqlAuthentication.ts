import { SqlEntraAdmin } from "../config/contract";
import { ClusterSignIn, identitySignInSince } from "./signIn";

/** The SQL admin login a server gets when some app signs in with a password. */
export const sqlAdminLogin = "mendixsql";

const since = `${identitySignInSince.major}.${identitySignInSince.minor}`;

/**
 * How the SQL server takes sign-ins, from how the apps sign in and what the server already is.
 *
 * - A server created while every app signs in with its identity has no SQL admin login at all: Azure
 *   creates it Entra-only when `administrators` names its Entra admin with `azureADOnlyAuthentication`
 *   (azure-native `sql.Server.administrators`, API 2023-08-01), and no password ever exists.
 * - A server created with the admin login keeps it: a changed `administratorLogin` replaces the server
 *   (`components/catalog.ts`), which holds the data. When no app needs the password any more, the
 *   login is refused by Entra-only authentication and no password is generated or kept.
 * - Whenever an app signs in with its identity, the server's Microsoft Entra admin is the stack's own
 *   user-assigned identity, set by its client id: the deployer needs no Microsoft Graph permission.
 *   It creates the apps' database users (`plan/databaseUsers.ts`). A server has one Entra admin, so
 *   `sql.entraAdmin` is for clusters whose apps all sign in with the password.
 */
export interface SqlAuthentication {
    /** The server's SQL admin login; undefined: it has none (created Entra-only). */
    readonly adminLogin: string | undefined;
    /** The admin login's password is generated, set and handed to the nodes: some app signs in with it. */
    readonly password: boolean;
    readonly entraAdmin: { readonly kind: "stackIdentity" } | { readonly kind: "configured"; readonly admin: SqlEntraAdmin } | undefined;
    /** Only Microsoft Entra sign-ins: no app signs in with the password. */
    readonly entraOnly: boolean;
    /** The server is (or was) created Entra-only, its Entra admin named at creation. */
    readonly createdEntraOnly: boolean;
}

export interface SqlAuthenticationInput {
    readonly signIn: ClusterSignIn;
    /**
     * The admin login the last deployment recorded (stack output `sqlAdminLogin`): a login, null (the
     * server has none), or undefined: not recorded, by a stack never deployed or by one deployed
     * before the record existed, whose server has the login every server had then.
     */
    readonly recordedAdminLogin: string | null | undefined;
    readonly deployedBefore: boolean;
    readonly configuredEntraAdmin: SqlEntraAdmin | undefined;
}

/** Why the config may not name an Entra admin of its own: an app signs in with its identity. */
export function entraAdminRefusal(configured: SqlEntraAdmin | undefined, signIn: ClusterSignIn): string | undefined {
    const apps = signIn.identityApps;
    return configured === undefined || apps.length === 0 ? undefined :
        `sql.entraAdmin: got ${JSON.stringify(configured)}; allowed: no Entra admin of your own while an app signs in with its managed identity ` +
        `(${apps.map((app) => `apps[${app}]`).join(", ")} run${apps.length === 1 ? "s" : ""} Mendix ${since} or later): the server's one Entra admin is then ` +
        "the stack's own identity, which creates the apps' database users. Remove sql.entraAdmin; docs/security.md says how people reach the databases; no resource was registered";
}

function adminLoginOf(input: SqlAuthenticationInput): string | undefined {
    return input.recordedAdminLogin !== undefined
        ? input.recordedAdminLogin ?? undefined
        : input.deployedBefore || input.signIn.needsSqlPassword ? sqlAdminLogin : undefined;
}

/** Why the stack cannot be deployed as configured: what `entraAdminRefusal` refuses, or an app with a password on a server without a login. */
export function sqlAuthenticationRefusal(input: SqlAuthenticationInput): string | undefined {
    const { secretApps } = input.signIn;
    return entraAdminRefusal(input.configuredEntraAdmin, input.signIn) ?? (adminLoginOf(input) !== undefined || secretApps.length === 0 ? undefined :
        `${secretApps.map((app) => `apps[${app}]`).join(", ")}: sign${secretApps.length === 1 ? "s" : ""} in to SQL with a password (an MDA older than Mendix ${since}, or none), ` +
        "but this stack's SQL server was created without a SQL admin login, when every app signed in with its managed identity, and Azure cannot add one " +
        `to an existing server; allowed: apps with an MDA of Mendix ${since} or later on this stack; no resource was registered`);
}

/** How the server takes sign-ins; `sqlAuthenticationRefusal` says first whether it can. */
export function planSqlAuthentication(input: SqlAuthenticationInput): SqlAuthentication {
    const { signIn } = input;
    const adminLogin = adminLoginOf(input);
    return {
        adminLogin,
        password: signIn.needsSqlPassword,
        entraAdmin: signIn.identityApps.length > 0
            ? { kind: "stackIdentity" }
            : input.configuredEntraAdmin === undefined ? undefined : { kind: "configured", admin: input.configuredEntraAdmin },
        entraOnly: signIn.entraOnly,
        createdEntraOnly: adminLogin === undefined,
    };
}
