import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import { catalog, catalogEntry, CatalogEntry } from "../components/catalog";
import { azureResourceId, offlineDeployerObjectId, offlineSubscriptionId, offlineTenantId, stableGuid } from "./azureIds";

/**
 * What Azure and the random provider would answer for the resources the program registers: ids in
 * Azure Resource Manager's shape (nested for child resources, read off the catalogue), the outputs
 * Azure computes (sub-resource ids, endpoints, identities), and values distinctive enough that a
 * test can search for them (the secrets above all).
 */
export const offlineSecrets = {
    storageKey: "offline-storage-key-Zq81",
    secondStorageKey: "offline-storage-key2-Wp47",
    /** New keepers make a new password (the random provider replaces the resource when they change). */
    randomPassword: (name: string, keepers?: unknown) => keepers === undefined
        ? `offline-random-password-${name}`
        : `offline-random-password-${name}-${createHash("md5").update(JSON.stringify(keepers)).digest("hex").slice(0, 8)}`,
};

export const offlinePublicIp = "20.50.60.70";

/**
 * When point-in-time restore began, offline: the blob service's `restorePolicy.minRestoreTime` and
 * a database's `earliestRestoreDate` are Azure's clock, which mocks do not have; offline they count
 * as long past, so that only the retention window bounds a restore.
 */
export const offlineRestorableSince = "2025-01-01T00:00:00Z";

type Inputs = Record<string, unknown>;

/**
 * What a test says Azure reports now of how far back it can restore: the files' restore policy
 * (`minRestoreTime`, `days`) and each database's `earliestRestoreDate` by name; what is not said is
 * `offlineRestorableSince`, with a window of 14 days.
 */
export interface ReportedRestorable {
    /** null: the restore policy is off. */
    readonly files?: { readonly minRestoreTime: string; readonly days: number } | null;
    readonly databases?: Readonly<Record<string, string | null>>;
}

/** What a test says Azure reports of a deployed VM. */
export interface ReportedVm {
    readonly encryptionAtHost: boolean;
    readonly deallocated?: boolean;
}

/** Azure gives each named sub-resource kept inline (a pool, a probe, an IP configuration) an id under its parent's. */
function withChildIds(entry: CatalogEntry, id: string, inputs: Inputs): Inputs {
    const children = Object.fromEntries(entry.inlineChildren.flatMap((collection) => {
        const items = inputs[collection];
        if (!Array.isArray(items)) {
            return [];
        }
        return [[collection, items.map((item: unknown) => {
            const name = (item as { name?: unknown }).name;
            if (typeof name !== "string") {
                throw new Error(`${entry.token}: an item of ${collection} has no name, so Azure could give it no id`);
            }
            return { ...(item as Inputs), id: `${id}/${collection}/${name}` };
        })]];
    }));
    return { ...inputs, ...children };
}

function computedState(type: string, name: string, id: string, inputs: Inputs): Inputs {
    switch (type) {
        case catalog.randomString.token:
            return { result: "k3x9q2".slice(0, Number(inputs["length"] ?? 6)) };
        case catalog.randomPassword.token:
            return { result: offlineSecrets.randomPassword(name, inputs["keepers"]) };
        case catalog.storageAccount.token:
            return { primaryEndpoints: { blob: `https://${String(inputs["accountName"])}.blob.core.windows.net/` } };
        case catalog.sqlServer.token:
            return { fullyQualifiedDomainName: `${String(inputs["serverName"])}.database.windows.net` };
        case catalog.sqlDatabase.token:
            return { earliestRestoreDate: offlineRestorableSince };
        case catalog.blobServiceProperties.token: {
            const policy = inputs["restorePolicy"] as { enabled?: boolean } | undefined;
            return policy?.enabled === true ? { restorePolicy: { ...policy, lastEnabledTime: offlineRestorableSince, minRestoreTime: offlineRestorableSince } } : {};
        }
        case catalog.filesRestore.token: {
            // What the provider's create answers once Azure restored every batch of ten ranges.
            const batches = Math.ceil((Array.isArray(inputs["blobRanges"]) ? inputs["blobRanges"].length : 0) / 10);
            return { restoreIds: Array.from({ length: batches }, (_, index) => stableGuid(`restore/${id}/${index}`)), status: "Complete" };
        }
        case catalog.publicIpAddress.token: {
            // Azure names a labelled public IP <label>.<region>.cloudapp.azure.com.
            const label = (inputs["dnsSettings"] as { domainNameLabel?: string } | undefined)?.domainNameLabel;
            return {
                ipAddress: offlinePublicIp,
                ...(label === undefined ? {} : { dnsSettings: { domainNameLabel: label, fqdn: `${label}.${String(inputs["location"])}.cloudapp.azure.com` } }),
            };
        }
        case catalog.virtualMachine.token: {
            const identity = inputs["identity"] as { type?: string; userAssignedIdentities?: unknown } | undefined;
            const systemAssigned = identity?.type?.includes("SystemAssigned") === true;
            return {
                vmId: stableGuid(`vm/${id}`),
                identity: identity === undefined ? undefined : {
                    ...identity,
                    ...(systemAssigned ? { principalId: stableGuid(`principal/${id}`), tenantId: offlineTenantId } : {}),
                },
            };
        }
        case catalog.userAssignedIdentity.token:
            return { principalId: stableGuid(`principal/${id}`), clientId: stableGuid(`client/${id}`), tenantId: offlineTenantId };
        case catalog.trafficManagerProfile.token: {
            // Azure names the profile <relativeName>.trafficmanager.net and gives each endpoint an id under the profile by its type.
            const dns = inputs["dnsConfig"] as { relativeName?: string } | undefined;
            const endpoints = Array.isArray(inputs["endpoints"]) ? inputs["endpoints"] as Inputs[] : [];
            return {
                dnsConfig: { ...dns, fqdn: `${String(dns?.relativeName)}.trafficmanager.net` },
                endpoints: endpoints.map((endpoint) => ({ ...endpoint, id: `${id}/${String(endpoint["type"]).split("/").pop()}/${String(endpoint["name"])}` })),
            };
        }
        case catalog.keyVault.token:
            return { properties: { ...(inputs["properties"] as Inputs), vaultUri: `https://${String(inputs["vaultName"])}.vault.azure.net/` } };
        case catalog.keyVaultSecret.token: {
            // Azure makes a new version whenever the value changes. The properties arrive as a
            // secret (they hold one), so the version is taken from their serialized form.
            const version = createHash("md5").update(JSON.stringify(inputs["properties"] ?? null)).digest("hex");
            const uri = `https://${String(inputs["vaultName"])}.vault.azure.net/secrets/${String(inputs["secretName"])}`;
            return { properties: { secretUri: uri, secretUriWithVersion: `${uri}/${version}` } };
        }
        default:
            return {};
    }
}

/**
 * Where Azure Resource Manager finds a resource: its path under `providers/` (names in lower case,
 * as ARM compares them) and the resource groups a resource of that path was registered in.
 */
class Placements {
    private readonly groupsByPath = new Map<string, Set<string>>();

    /** Records a resource of the stack's; returns a refusal when a parent it names lives in another resource group. */
    place(type: string, logicalName: string, id: string): string | undefined {
        const match = /^\/subscriptions\/[^/]+\/resourceGroups\/([^/]+)\/providers\/(.+)$/i.exec(id);
        if (match === null) {
            return undefined;
        }
        const group = (match[1] ?? "").toLowerCase();
        const segments = (match[2] ?? "").toLowerCase().split("/");
        // A parent's path: the namespace, then type/name pairs (`Microsoft.Storage/storageAccounts/a/blobServices/default/...`).
        for (let length = 3; length < segments.length; length += 2) {
            const parent = segments.slice(0, length).join("/");
            const groups = this.groupsByPath.get(parent);
            if (groups !== undefined && !groups.has(group)) {
                return `${type} ${logicalName} names resource group ${match[1] ?? ""}, but its parent ${parent} is in ${[...groups].join(", ")}: ` +
                    "Azure answers 404 ParentResourceNotFound (for a blob, azure-native reads the account's keys in the blob's resource group first: " +
                    "provider custom_storage_azidentity.go, ResourceNotFound)";
            }
        }
        const path = segments.join("/");
        this.groupsByPath.set(path, new Set([...(this.groupsByPath.get(path) ?? []), group]));
        return undefined;
    }
}

/** What a call to a resource group in `lostResourceGroups` fails with. */
export const noAnswer = "no answer (its region is down)";

/**
 * A failed call as the engine hands it back to the program: the SDK reports a failed invoke by the
 * RPC error's `details` (`@pulumi/pulumi/runtime/invoke.js`), which a plain Error lacks.
 */
function callFailure(message: string): Error {
    return Object.assign(new Error(message), { details: message });
}

/**
 * Mocks of Azure; `lastOutputs` are the stack outputs of the previous deployment, which the program
 * reads through a stack reference to itself (none: a stack never deployed). `featureStates`: the
 * subscription's feature registrations by `<namespace>/<feature>`, as the Features API reports
 * `properties.state` (Registered, NotRegistered, Pending, ...); a feature not listed is Registered.
 * A type the catalogue lacks is refused: the catalogue is where the stack's types are described.
 * `failures`: logical name -> the error Azure (or a provider) answers when the resource is created,
 * to follow what a deployment does when one step fails. A child resource (a blob, a database, an
 * extension) whose parent the program registered in another resource group than the one it names is
 * refused, as Azure refuses it. `vms`: VM name -> what Azure reports of a deployed VM
 * (`compute.getVirtualMachine`); offline, Azure's VMs cannot be read, and any other VM is answered
 * with an error saying so. `lostResourceGroups`: resource groups whose region is down; a call
 * about a resource in one gets no answer (`pulumi up` runs every invoke, whatever changed), and
 * `onFailedCall` hears of it: a failed call in an output rejects the registration of every resource
 * that takes the output, which under mocks would otherwise leave the run waiting for ever.
 */
export const azureMocks = (
    lastOutputs: Readonly<Record<string, unknown>> = {}, featureStates: Readonly<Record<string, string>> = {}, failures: Readonly<Record<string, string>> = {},
    vms: Readonly<Record<string, ReportedVm>> = {}, lostResourceGroups: readonly string[] = [], onFailedCall: (message: string) => void = () => undefined,
    restorable: ReportedRestorable = {},
): pulumi.runtime.Mocks => {
    const placements = new Placements();
    return {
        newResource(args) {
            const inputs = args.inputs as Inputs;
            const failure = failures[args.name];
            if (failure !== undefined) {
                throw new Error(failure);
            }
            if (args.type === "pulumi:pulumi:StackReference") {
                return { id: String(inputs["name"]), state: { name: inputs["name"], outputs: lastOutputs, secretOutputNames: [] } };
            }
            if (args.custom === false) {
                return { id: undefined, state: {} };
            }
            const entry = catalogEntry(args.type);
            if (entry === undefined) {
                throw new Error(`${args.type} is not in components/catalog.ts, the catalogue these mocks answer from`);
            }
            const id = entry.idTemplate === undefined ? `${args.name}-${stableGuid(`${args.type}/${args.name}`).slice(0, 8)}` : azureResourceId(entry, inputs, args.name);
            const misplaced = placements.place(args.type, args.name, id);
            if (misplaced !== undefined) {
                throw new Error(misplaced);
            }
            const name = entry.nameInput === undefined ? undefined : inputs[entry.nameInput] ?? id.slice(id.lastIndexOf("/") + 1);
            return {
                id,
                state: { ...withChildIds(entry, id, inputs), ...(name === undefined ? {} : { name }), ...computedState(args.type, args.name, id, inputs) },
            };
        },
        call(args) {
            const group = args.inputs["resourceGroupName"];
            if (typeof group === "string" && lostResourceGroups.includes(group)) {
                const message = `${args.token} on resource group ${group}: ${noAnswer}`;
                onFailedCall(message);
                throw callFailure(message);
            }
            switch (args.token) {
                case "azure-native:storage:listStorageAccountKeys":
                    return { keys: [
                        { keyName: "key1", permissions: "FULL", value: offlineSecrets.storageKey },
                        { keyName: "key2", permissions: "FULL", value: offlineSecrets.secondStorageKey },
                    ] };
                case "azure-native:features:getSubscriptionFeatureRegistration": {
                    const feature = `${String(args.inputs["providerNamespace"])}/${String(args.inputs["featureName"])}`;
                    return {
                        id: `/subscriptions/${offlineSubscriptionId}/providers/Microsoft.Features/featureProviders/${String(args.inputs["providerNamespace"])}/subscriptionFeatureRegistrations/${String(args.inputs["featureName"])}`,
                        name: args.inputs["featureName"],
                        type: "Microsoft.Features/featureProviders/subscriptionFeatureRegistrations",
                        properties: { state: featureStates[feature] ?? "Registered" },
                    };
                }
                case "azure-native:compute:getVirtualMachine": {
                    const vmName = String(args.inputs["vmName"]);
                    const vm = vms[vmName];
                    if (vm === undefined) {
                        throw new Error(`offline, the VM ${vmName} cannot be read from Azure`);
                    }
                    return {
                        name: vmName, type: "Microsoft.Compute/virtualMachines",
                        securityProfile: { securityType: "TrustedLaunch", ...(vm.encryptionAtHost ? { encryptionAtHost: true } : {}) },
                        instanceView: { statuses: [{ code: "ProvisioningState/succeeded" }, { code: vm.deallocated === true ? "PowerState/deallocated" : "PowerState/running" }] },
                    };
                }
                case "azure-native:storage:getBlobServiceProperties": {
                    const policy = restorable.files === undefined ? { minRestoreTime: offlineRestorableSince, days: 14 } : restorable.files;
                    return { name: "default", type: "Microsoft.Storage/storageAccounts/blobServices", restorePolicy: policy === null ? { enabled: false } : { enabled: true, ...policy } };
                }
                case "azure-native:sql:getDatabase": {
                    const databaseName = String(args.inputs["databaseName"]);
                    const reported = restorable.databases?.[databaseName];
                    return { name: databaseName, type: "Microsoft.Sql/servers/databases", ...(reported === null ? {} : { earliestRestoreDate: reported ?? offlineRestorableSince }) };
                }
                case "azure-native:authorization:getClientConfig":
                    return { subscriptionId: offlineSubscriptionId, tenantId: offlineTenantId, clientId: stableGuid("client"), objectId: offlineDeployerObjectId };
                default:
                    throw callFailure(`no mock for the call ${args.token}`);
            }
        },
    };
};
