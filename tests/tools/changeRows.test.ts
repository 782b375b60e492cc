import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { changeRows, formatValue } from "../../tools/changeRows";
import { diffResource } from "../../tools/resourceDiff";
import { RegisteredResource } from "../harness/offThread";
import { resource, secretValues, settingsBlob } from "./fixtures";

function rows(before: RegisteredResource, after: RegisteredResource) {
    const change = diffResource(before, after);
    assert.ok(change, "a change");
    return changeRows(change, before, after);
}

describe("changeRows", () => {
    it("shows a settings blob's change setting by setting, never its secret text", () => {
        const node = { name: "node-1", index: 1, leader: false };
        const result = rows(settingsBlob(node, "app", { SessionTimeout: "600000" }), settingsBlob(node, "app", { SessionTimeout: "900000" }));
        assert.deepEqual(result, [{ property: "settings: customSettings.SessionTimeout", before: "600000", after: "900000", replaces: false }]);
    });

    it("names each secret setting whose value changed as changed, never its value nor the blob's text", () => {
        const node = { name: "node-1", index: 1, leader: false };
        const before = settingsBlob(node, "app");
        const text = String((before.inputs["source"] as { text: string }).text).replace(secretValues.password, "another-password");
        // As the program registers it: the blob's text holds Key Vault references, no secret, so state shows it.
        const after = { ...before, inputs: { ...before.inputs, source: { text } }, visibleInputs: { ...before.visibleInputs, source: { text } } };
        const result = rows({ ...before, visibleInputs: { ...before.visibleInputs, source: before.inputs["source"] } }, after);
        assert.deepEqual(result, [{ property: "settings: runtimeSettings.DatabasePassword", before: "[secret]", after: "[secret] (changed)", replaces: false }]);
        for (const shown of [secretValues.password, "another-password", "DatabaseHost", "schemaVersion"]) {
            assert.ok(!JSON.stringify(result).includes(shown), shown);
        }
    });

    it("shows a secret setting that comes or goes as such, and a blob whose text changed alone as the same settings", () => {
        const node = { name: "node-1", index: 1, leader: false };
        assert.deepEqual(rows(settingsBlob(node, "app"), settingsBlob(node, "app", { "Payments.ApiToken": "tok-1" })),
            [{ property: "settings: customSettings.Payments.ApiToken", before: "(none)", after: "[secret]", replaces: false }]);
        assert.deepEqual(rows(settingsBlob(node, "app", { "Payments.ApiToken": "tok-1" }), settingsBlob(node, "app")),
            [{ property: "settings: customSettings.Payments.ApiToken", before: "[secret]", after: "(none)", replaces: false }]);
        const before = settingsBlob(node, "app");
        const text = `# written again\n${String((before.inputs["source"] as { text: string }).text)}`;
        assert.deepEqual(rows(before, { ...before, inputs: { ...before.inputs, source: { text } } }),
            [{ property: "source.text", before: "(a settings blob, not shown)", after: "(the same settings, written differently)", replaces: false }]);
    });

    it("shows a change outside the settings (the prerequisites) key by key, and does not call it a secret change", () => {
        const node = { name: "node-1", index: 1, leader: false };
        const before = settingsBlob(node, "app");
        const withConsole = (blob: RegisteredResource, url: string) => {
            const text = `${String((blob.inputs["source"] as { text: string }).text)}prerequisites:\n  serviceConsole:\n    url: ${url}\n`;
            return { ...blob, inputs: { ...blob.inputs, source: { text } } };
        };
        assert.deepEqual(rows(before, withConsole(before, "https://example.com/sc.msi")), [
            { property: "settings: prerequisites.serviceConsole.url", before: "(none)", after: "https://example.com/sc.msi", replaces: false },
        ]);
        assert.deepEqual(rows(withConsole(before, "https://example.com/a.msi"), withConsole(before, "https://example.com/b.msi")).map((row) => [row.property, row.before, row.after]), [
            ["settings: prerequisites.serviceConsole.url", "https://example.com/a.msi", "https://example.com/b.msi"],
        ]);
    });

    it("shows an NSG's security rules as rules, by name: the one that comes, the one that goes, and what differs in one that changes", () => {
        const rule = (name: string, priority: number, port: string, sources: string[]) => ({
            name, priority, direction: "Inbound", access: "Allow", protocol: "Tcp", sourceAddressPrefixes: sources,
            sourcePortRange: "*", destinationAddressPrefix: "*", destinationPortRange: port,
        });
        const nsg = (rules: object[]) => resource("azure-native:network:NetworkSecurityGroup", "nsg", { networkSecurityGroupName: "nsg", securityRules: rules });
        const http = rule("allow-http", 100, "80", ["*"]);
        assert.deepEqual(rows(nsg([http]), nsg([http, rule("allow-rdp", 200, "3389", ["203.0.113.0/24"])])), [
            { property: "securityRules[allow-rdp]", before: "(none)", after: "priority 200, Allow Inbound Tcp, port 3389, from 203.0.113.0/24 to *", replaces: false },
        ]);
        assert.deepEqual(rows(nsg([http, rule("allow-rdp", 200, "3389", ["203.0.113.0/24"])]), nsg([http])), [
            { property: "securityRules[allow-rdp]", before: "priority 200, Allow Inbound Tcp, port 3389, from 203.0.113.0/24 to *", after: "(none)", replaces: false },
        ]);
        assert.deepEqual(rows(nsg([http, rule("allow-rdp", 200, "3389", ["203.0.113.0/24"])]), nsg([http, rule("allow-rdp", 210, "3389", ["203.0.113.0/24", "198.51.100.0/24"])])), [
            { property: "securityRules[allow-rdp].priority", before: "200", after: "210", replaces: false },
            { property: "securityRules[allow-rdp].sources", before: "(none removed)", after: "+198.51.100.0/24", replaces: false },
        ]);
    });

    it("marks the inputs that force a replacement", () => {
        const before = resource("azure-native:compute:VirtualMachine", "vm", { location: "westeurope", hardwareProfile: { vmSize: "Standard_D4s_v5" } });
        const after = resource("azure-native:compute:VirtualMachine", "vm", { location: "northeurope", hardwareProfile: { vmSize: "Standard_D8s_v5" } });
        assert.deepEqual(rows(before, after), [
            { property: "hardwareProfile.vmSize", before: "Standard_D4s_v5", after: "Standard_D8s_v5", replaces: false },
            { property: "location", before: "westeurope", after: "northeurope", replaces: true },
        ]);
    });

    it("shows a changed list as the items that leave and come, and a changed option", () => {
        const before = resource("azure-native:network:NetworkSecurityGroup", "nsg", { sources: ["10.0.0.0/8", "192.0.2.0/24"] }, { protect: false });
        const after = resource("azure-native:network:NetworkSecurityGroup", "nsg", { sources: ["10.0.0.0/8", "198.51.100.0/24", "203.0.113.0/24"] }, { protect: true });
        assert.deepEqual(rows(before, after), [
            { property: "sources", before: "-192.0.2.0/24", after: "+198.51.100.0/24, +203.0.113.0/24", replaces: false },
            { property: "option: protect", before: "false", after: "true", replaces: false },
        ]);
    });

    it("shows two long values that share a beginning from before where they differ, as much as fits", () => {
        const subnet = (name: string) => `/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-mx-prod/providers/Microsoft.Network/virtualNetworks/vnet-mx-prod/subnets/${name}`;
        const nic = (name: string) => resource("azure-native:network:NetworkInterface", "nic", { subnet: { id: subnet(name) } });
        assert.deepEqual(rows(nic("snet-nodes-2"), nic("snet-nodes-1")), [
            {
                property: "subnet.id",
                before: "…urceGroups/rg-mx-prod/providers/Microsoft.Network/virtualNetworks/vnet-mx-prod/subnets/snet-nodes-2",
                after: "…urceGroups/rg-mx-prod/providers/Microsoft.Network/virtualNetworks/vnet-mx-prod/subnets/snet-nodes-1",
                replaces: false,
            },
        ]);
    });

    it("says which side of a changed list has nothing, and shows lists whole that differ in repeats alone", () => {
        const scaleSet = (zones: string[]) => resource("azure-native:compute:VirtualMachineScaleSet", "nodes", { zones });
        assert.deepEqual(rows(scaleSet(["1", "2", "3"]), scaleSet(["1"])), [{ property: "zones", before: "-2, -3", after: "(none added)", replaces: true }]);
        assert.deepEqual(rows(scaleSet(["1"]), scaleSet(["1", "2"])), [{ property: "zones", before: "(none removed)", after: "+2", replaces: true }]);
        assert.deepEqual(rows(scaleSet(["1", "1", "2"]), scaleSet(["1", "2"])), [{ property: "zones", before: '["1","1","2"]', after: '["1","2"]', replaces: true }]);
    });
});

describe("changeRows of a storage account's firewall", () => {
    it("shows its rules as the subnets and addresses that leave and come, as NSG rules are shown", () => {
        const subnet = (name: string) => `/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-mx-prod/providers/Microsoft.Network/virtualNetworks/vnet-mx-prod/subnets/${name}`;
        const account = (subnets: string[], addresses: string[]) => resource("azure-native:storage:StorageAccount", "account", {
            accountName: "mxprod", networkRuleSet: {
                defaultAction: "Deny", bypass: "AzureServices",
                virtualNetworkRules: subnets.map((name) => ({ virtualNetworkResourceId: subnet(name), action: "Allow" })),
                ipRules: addresses.map((address) => ({ iPAddressOrRange: address, action: "Allow" })),
            },
        });
        assert.deepEqual(rows(account(["nodes", "nodes-zone-2", "nodes-zone-3"], ["198.51.100.7"]), account(["nodes"], ["203.0.113.7", "198.51.100.7"])), [
            { property: "networkRuleSet.ipRules", before: "(none removed)", after: "+203.0.113.7", replaces: false },
            { property: "networkRuleSet.virtualNetworkRules", before: "-subnet nodes-zone-2, -subnet nodes-zone-3", after: "(none added)", replaces: false },
        ]);
    });
});

describe("changeRows of a mapping that comes or goes", () => {
    it("shows it leaf by leaf", () => {
        const before = resource("azure-native:storage:StorageAccount", "account", { kind: "StorageV2" });
        const after = resource("azure-native:storage:StorageAccount", "account", { kind: "StorageV2", encryption: { keySource: "Microsoft.Storage", services: { blob: { enabled: true } } } });
        assert.deepEqual(rows(before, after), [
            { property: "encryption.keySource", before: "(none)", after: "Microsoft.Storage", replaces: false },
            { property: "encryption.services.blob.enabled", before: "(none)", after: "true", replaces: false },
        ]);
    });
});

describe("formatValue", () => {
    it("shows absent values, JSON for the rest, and clips long ones", () => {
        assert.equal(formatValue(undefined), "(none)");
        assert.equal(formatValue({ a: 1 }), "{\"a\":1}");
        const clipped = formatValue("x".repeat(500));
        assert.equal(clipped.length, 100);
        assert.ok(clipped.endsWith("…"));
    });
});
