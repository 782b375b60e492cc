/**
 * How the restore of the files signs in to Azure Resource Manager: as whoever runs `pulumi up`, the
 * way azure-native itself does, from the same `ARM_*` variables (Pulumi's "Azure Native:
 * Installation & Configuration": the Azure CLI, OpenID Connect, a service principal's secret, a
 * managed identity). The restore needs write access to every container of the account ("Storage
 * Account Contributor" or above: Microsoft Learn, "Point-in-time restore for block blobs",
 * Permissions); the deploying identity, an Owner of the stack's resource group, has it.
 */

export type DeployerSignIn =
    /** `ARM_USE_OIDC`: a federated token, `ARM_OIDC_TOKEN` or one asked of GitHub Actions for each sign-in (tokens last minutes; a restore, hours). */
    | { readonly kind: "oidc"; readonly tenantId: string; readonly clientId: string; readonly token: string | undefined; readonly requestUrl: string | undefined; readonly requestToken: string | undefined }
    | { readonly kind: "clientSecret"; readonly tenantId: string; readonly clientId: string; readonly clientSecret: string }
    | { readonly kind: "managedIdentity"; readonly clientId: string | undefined }
    /** `az login`, as a person deploys. */
    | { readonly kind: "azureCli" };

type Environment = Readonly<Record<string, string | undefined>>;

function needed(env: Environment, name: string, why: string): string {
    const value = env[name];
    if (value === undefined || value === "") {
        throw new Error(`${name} is not set, and ${why} needs it: set it as for azure-native`);
    }
    return value;
}

/** Which sign-in the environment asks for, in azure-native's order. */
export function deployerSignIn(env: Environment): DeployerSignIn {
    if (env["ARM_USE_OIDC"] === "true") {
        const requestUrl = env["ARM_OIDC_REQUEST_URL"] ?? env["ACTIONS_ID_TOKEN_REQUEST_URL"];
        const requestToken = env["ARM_OIDC_REQUEST_TOKEN"] ?? env["ACTIONS_ID_TOKEN_REQUEST_TOKEN"];
        const token = env["ARM_OIDC_TOKEN"];
        if (token === undefined && (requestUrl === undefined || requestToken === undefined)) {
            throw new Error("ARM_USE_OIDC is true but there is no federated token: set ARM_OIDC_TOKEN, or run in GitHub Actions with `id-token: write`");
        }
        return {
            kind: "oidc", tenantId: needed(env, "ARM_TENANT_ID", "ARM_USE_OIDC"), clientId: needed(env, "ARM_CLIENT_ID", "ARM_USE_OIDC"),
            token, requestUrl, requestToken,
        };
    }
    if (env["ARM_CLIENT_SECRET"] !== undefined && env["ARM_CLIENT_SECRET"] !== "") {
        return {
            kind: "clientSecret", tenantId: needed(env, "ARM_TENANT_ID", "ARM_CLIENT_SECRET"), clientId: needed(env, "ARM_CLIENT_ID", "ARM_CLIENT_SECRET"),
            clientSecret: env["ARM_CLIENT_SECRET"],
        };
    }
    if (env["ARM_CLIENT_CERTIFICATE_PATH"] !== undefined && env["ARM_CLIENT_CERTIFICATE_PATH"] !== "") {
        throw new Error("ARM_CLIENT_CERTIFICATE_PATH is set: the restore of the files does not sign in with a client certificate; " +
            "sign in with OpenID Connect (ARM_USE_OIDC), a client secret (ARM_CLIENT_SECRET), a managed identity (ARM_USE_MSI) or az login for the run that restores");
    }
    if (env["ARM_USE_MSI"] === "true") {
        return { kind: "managedIdentity", clientId: env["ARM_CLIENT_ID"] || undefined };
    }
    return { kind: "azureCli" };
}

/** The audience GitHub's token must carry for Microsoft Entra's workload identity federation. */
export const federationAudience = "api://AzureADTokenExchange";

/**
 * A function that returns a bearer token for `endpoint` (Azure Resource Manager), renewed as it
 * expires. `@azure/identity` is loaded only here, when a restore runs: a preview never loads it.
 */
export function armTokenSource(signIn: DeployerSignIn, endpoint: string, fetchToken: typeof fetch = fetch): () => Promise<string> {
    const identity = require("@azure/identity") as typeof import("@azure/identity");
    const scope = `${endpoint.replace(/\/$/, "")}/.default`;
    const credential = (() => {
        switch (signIn.kind) {
            case "oidc":
                return new identity.ClientAssertionCredential(signIn.tenantId, signIn.clientId, async () => {
                    if (signIn.requestUrl === undefined || signIn.requestToken === undefined) {
                        return signIn.token ?? "";
                    }
                    const url = `${signIn.requestUrl}${signIn.requestUrl.includes("?") ? "&" : "?"}audience=${encodeURIComponent(federationAudience)}`;
                    const response = await fetchToken(url, { headers: { Authorization: `Bearer ${signIn.requestToken}` } });
                    if (!response.ok) {
                        throw new Error(`GitHub Actions refused a federated token: ${response.status}`);
                    }
                    return String(((await response.json()) as { value?: unknown }).value);
                });
            case "clientSecret":
                return new identity.ClientSecretCredential(signIn.tenantId, signIn.clientId, signIn.clientSecret);
            case "managedIdentity":
                return signIn.clientId === undefined ? new identity.ManagedIdentityCredential() : new identity.ManagedIdentityCredential({ clientId: signIn.clientId });
            case "azureCli":
                return new identity.AzureCliCredential();
        }
    })();
    return async () => {
        const token = await credential.getToken(scope);
        if (token === null) {
            throw new Error(`no token for ${scope} from the ${signIn.kind} sign-in`);
        }
        return token.token;
    };
}
