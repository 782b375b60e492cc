import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { distinct } from "../harness/assertions";
import { byType, RegisteredResource, runStack, StackRun } from "../harness/offThread";

const type = {
    vault: "azure-native:keyvault:Vault",
    secret: "azure-native:keyvault:Secret",
    subnet: "azure-native:network:Subnet",
    vnet: "azure-native:network:VirtualNetwork",
    privateEndpoint: "azure-native:network:PrivateEndpoint",
    dnsZoneGroup: "azure-native:network:PrivateDnsZoneGroup",
    privateZone: "azure-native:privatedns:PrivateZone",
    zoneLink: "azure-native:privatedns:VirtualNetworkLink",
} as const;

function only(resources: readonly RegisteredResource[]): RegisteredResource {
    assert.equal(resources.length, 1);
    return resources[0] as RegisteredResource;
}

const vaultOf = (run: StackRun) => only(byType(run, type.vault));
/** The resources of the vault's own private endpoint component. */
const vaultPrivate = (run: StackRun, resourceType: string) => only(byType(run, resourceType).filter((resource) => resource.name.startsWith("mendix-kv-private-")));

type VaultProperties = {
    enableRbacAuthorization: boolean;
    enablePurgeProtection?: boolean;
    enableSoftDelete: boolean;
    publicNetworkAccess: string;
    networkAcls: { defaultAction: string; bypass: string; virtualNetworkRules?: unknown[] };
};
type SecretProperties = { value: string; contentType: string; attributes: { enabled: boolean; expires: number } };

const licensedApp = { apps: [{ name: "crm", license: { environmentName: "production", licenseServerUrl: "https://licensing.example.com" } }] };
const licenseSecrets = { licenseSecrets: JSON.stringify({ crm: "mock-license-secret" }) };
/** A prod stack deployed before, whose secrets of generation 1 were issued on 1 March 2025. */
const issuedBefore = { nodes: [], deployedModels: {}, secretRotation: { generation: 1, issuedOn: "2025-03-01" } };

describe("the cluster's Key Vault", () => {
    let dev: StackRun;
    let prod: StackRun;
    before(async () => {
        dev = await runStack({ stack: "dev" });
        prod = await runStack({ stack: "prod", config: licensedApp, secrets: licenseSecrets, lastOutputs: issuedBefore });
    });

    it("is an RBAC-mode vault with soft delete and no public network access", () => {
        const vault = vaultOf(dev);
        const properties = vault.inputs["properties"] as VaultProperties;
        assert.equal(properties.enableRbacAuthorization, true);
        assert.equal(properties.enableSoftDelete, true);
        assert.equal(properties.publicNetworkAccess, "Disabled");
        assert.deepEqual(properties.networkAcls, { defaultAction: "Deny", bypass: "AzureServices" });
        assert.match(String(vault.inputs["vaultName"]), /^kv-dev-[a-z0-9]{6}$/);
    });

    it("is reached through a private endpoint in the node network, whose private DNS zone the virtual network resolves", () => {
        const vault = vaultOf(dev);
        const endpoint = vaultPrivate(dev, type.privateEndpoint);
        assert.equal(endpoint.inputs["privateEndpointName"], "mx-dev-kv-pe");
        assert.equal((endpoint.inputs["subnet"] as { id: string }).id, only(byType(dev, type.subnet).filter((subnet) => subnet.inputs["subnetName"] === "nodes")).id);
        assert.deepEqual(endpoint.inputs["privateLinkServiceConnections"], [{ name: "kv", privateLinkServiceId: vault.id, groupIds: ["vault"] }]);
        const zone = vaultPrivate(dev, type.privateZone);
        assert.equal(zone.inputs["privateZoneName"], "privatelink.vaultcore.azure.net");
        const link = vaultPrivate(dev, type.zoneLink);
        assert.equal(link.inputs["privateZoneName"], "privatelink.vaultcore.azure.net");
        assert.equal((link.inputs["virtualNetwork"] as { id: string }).id, only(byType(dev, type.vnet)).id);
        assert.equal(link.inputs["registrationEnabled"], false);
        const group = vaultPrivate(dev, type.dnsZoneGroup);
        assert.equal(group.inputs["privateEndpointName"], "mx-dev-kv-pe");
        assert.deepEqual(group.inputs["privateDnsZoneConfigs"], [{ name: "kv", privateDnsZoneId: zone.id }]);
    });

    it("keeps the SQL private endpoint's resources where they were (same logical names, no replacement)", () => {
        const sqlEndpoint = only(byType(dev, type.privateEndpoint).filter((resource) => resource.name === "mendix-sql-private-endpoint"));
        assert.equal(sqlEndpoint.inputs["privateEndpointName"], "mx-dev-sql-pe");
        assert.match(sqlEndpoint.parentUrn, /mendix:cluster:PrivateEndpoint::mendix-sql-private$/);
    });

    it("has purge protection, and is protected, where the stack protects its data (prod)", () => {
        const vault = vaultOf(prod);
        assert.equal((vault.inputs["properties"] as VaultProperties).enablePurgeProtection, true);
        assert.equal(vault.protect, true);
        assert.equal((vaultOf(dev).inputs["properties"] as VaultProperties).enablePurgeProtection, undefined);
    });

    it("keeps the SQL password, the storage key and each licence secret and the nodes' admin password, every one as a secret, retained if dropped", () => {
        const secrets = byType(prod, type.secret);
        assert.deepEqual(secrets.map((secret) => secret.inputs["secretName"]).sort(), ["license-crm", "node-admin-password", "sql-admin-password", "storage-account-key"]);
        for (const secret of secrets) {
            assert.equal((secret.visibleInputs["properties"] as { value: unknown }).value, "[secret]");
            assert.equal(secret.retainOnDelete, true, String(secret.inputs["secretName"]));
        }
    });

    it("gives every secret a content type and an expiry 365 days after its generation was issued", () => {
        for (const secret of byType(prod, type.secret)) {
            const properties = secret.inputs["properties"] as SecretProperties;
            assert.equal(properties.contentType, "text/plain");
            // 2025-03-01 + 365 days = 2026-03-01T00:00:00Z.
            assert.deepEqual(properties.attributes, { enabled: true, expires: 1772323200 }, String(secret.inputs["secretName"]));
        }
        assert.deepEqual(prod.outputs["secretRotation"], { generation: 1, issuedOn: "2025-03-01" });
    });

    it("issues a first deployment's secrets today, and says so in its outputs for the next run", () => {
        const issued = dev.outputs["secretRotation"] as { generation: number; issuedOn: string };
        assert.equal(issued.generation, 1);
        const today = new Date().toISOString().slice(0, 10);
        const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
        assert.ok([today, yesterday].includes(issued.issuedOn), issued.issuedOn);
        for (const secret of byType(dev, type.secret)) {
            assert.equal((secret.inputs["properties"] as SecretProperties).attributes.expires, Date.parse(`${issued.issuedOn}T00:00:00Z`) / 1000 + 365 * 86_400);
        }
    });

    it("takes secrets.expiryDays, from the same issue day", async () => {
        const run = await runStack({ stack: "prod", config: { secrets: { expiryDays: 90 } }, lastOutputs: issuedBefore });
        // 2025-03-01 + 90 days = 2025-05-30T00:00:00Z; those days are past, so the run warns.
        assert.deepEqual(distinct(byType(run, type.secret).map((secret) => (secret.inputs["properties"] as SecretProperties).attributes.expires)), [1748563200]);
        assert.ok(run.warnings.some((warning) => /Key Vault secrets expired on 2025-05-30: raise rotation\.generation/.test(warning)), JSON.stringify(run.warnings));
        assert.ok(!dev.warnings.some((warning) => /Key Vault secrets/.test(warning)));
    });
});
