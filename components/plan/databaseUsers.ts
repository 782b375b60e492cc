import { createHash } from "crypto";
import { NodePlan } from "./nodes";

/**
 * Each app that signs in with its identity needs a user for that identity in its database, with
 * the rights a Mendix runtime needs: it synchronises the schema (tables, indexes, stored functions),
 * for which Mendix recommends `db_owner` (mendix/docs,
 * `deployment/on-premises-design/ms-windows/sql-server/setting-up-the-database-user.md`: "The
 * recommended database role is `db_owner`"; `db_ddladmin` is not enough when stored functions are
 * added). The user is contained in its database: it reaches no other app's database, and the
 * server-level rights stay with the Entra admin.
 *
 * Only T-SQL makes such a user, and only something inside the network reaches the server (its
 * private endpoint): the deployer cannot. It is run by `agent/scripts/database-users.ps1` as a Run
 * Command on one node, signed in as the server's Entra admin, the stack's own identity, which that
 * node alone carries. The script names each user by its identity's client id
 * (`CREATE USER ... WITH SID = <client id as binary>, TYPE = E`), which needs no Microsoft Graph
 * lookup, so neither the server nor the deployer needs Directory Readers; it is idempotent, and tested
 * against an emulator of what SQL does with its statements (agent tests, `DatabaseUsersScriptTests`).
 */
export interface DatabaseUser {
    readonly database: string;
    /** The identity's name, as the database user's name: it is what the audit records show. */
    readonly user: string;
    /** The identity's client (application) id: the SID Azure SQL keeps for it. */
    readonly clientId: string;
}

/**
 * The Run Command's name and parameters, as `database-users.ps1` takes them. Windows' Run Command
 * hands parameter values to the script on a command line that cmd.exe reads: it strips `"` and `^`
 * and takes `& | < >` as its own (Azure/azure-powershell#7269, #29880). So the users' JSON goes as
 * base64 (`UsersBase64`), whose letters cmd.exe leaves alone, and every other value is a GUID, a
 * host name or a number.
 */
export interface DatabaseUsersCommand {
    /** Changes with what the command creates: a new set of users is a new command, which runs once. */
    readonly key: string;
    readonly parameters: readonly { readonly name: string; readonly value: string }[];
}

export function databaseUsersCommand(adminClientId: string, serverFqdn: string, users: readonly DatabaseUser[], waitSeconds: number): DatabaseUsersCommand {
    const sorted = [...users].sort((a, b) => a.database.localeCompare(b.database));
    const what = { adminClientId, serverFqdn, users: sorted };
    return {
        key: createHash("sha256").update(JSON.stringify(what)).digest("hex").slice(0, 8),
        parameters: [
            { name: "AdminClientId", value: adminClientId },
            { name: "Server", value: serverFqdn },
            { name: "UsersBase64", value: Buffer.from(JSON.stringify(sorted), "utf8").toString("base64") },
            { name: "WaitSeconds", value: String(waitSeconds) },
        ],
    };
}

/**
 * The node that carries the Entra admin identity and runs the command: the first follower, else the
 * leader. Its own agent run waits for the command; every other node's agent waits for its database
 * to let it in (`rollout.databaseWaitSeconds`). On a first deployment the followers wait for the
 * leader's run anyway, so the leader keeps preparing while SQL is created; in a rollout that moves
 * apps to their identities the users exist before any node that waits for them gives up.
 */
export function databaseUsersNode(nodes: readonly NodePlan[]): NodePlan {
    const node = nodes.find((candidate) => !candidate.leader) ?? nodes.find((candidate) => candidate.leader);
    if (node === undefined) {
        throw new Error("a cluster without nodes has no node to create its database users");
    }
    return node;
}
