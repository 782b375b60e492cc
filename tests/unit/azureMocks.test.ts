import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { catalog } from "../../components/catalog";
import { azureMocks } from "../../offline/azureMocks";

const register = (mocks: ReturnType<typeof azureMocks>, type: string, name: string, inputs: Record<string, unknown>) =>
    mocks.newResource({ type, name, inputs, custom: true });

describe("the Azure mocks", () => {
    it("refuse a blob whose storage account is in another resource group than the one the blob names, as azure-native's key lookup fails", () => {
        const mocks = azureMocks();
        register(mocks, catalog.storageAccount.token, "account", { resourceGroupName: "rg-mx-prod", accountName: "mxprodk3x9q2" });
        register(mocks, catalog.blobContainer.token, "container", { resourceGroupName: "rg-mx-prod", accountName: "mxprodk3x9q2", containerName: "node-settings" });
        assert.throws(
            () => register(mocks, catalog.blob.token, "standby-settings", {
                resourceGroupName: "rg-mx-prod-sb", accountName: "mxprodk3x9q2", containerName: "node-settings", blobName: "node-0/app.yaml",
            }),
            /azure-native:storage:Blob standby-settings names resource group rg-mx-prod-sb, but its parent microsoft\.storage\/storageaccounts\/mxprodk3x9q2 is in rg-mx-prod/,
        );
        const placed = register(mocks, catalog.blob.token, "settings", {
            resourceGroupName: "rg-mx-prod", accountName: "mxprodk3x9q2", containerName: "node-settings", blobName: "node-0/app.yaml",
        }) as { id: string };
        assert.equal(placed.id, "/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-mx-prod/providers/Microsoft.Storage/storageAccounts/mxprodk3x9q2/blobServices/default/containers/node-settings/blobs/node-0/app.yaml");
    });

    it("refuse a database on a server of another resource group, and tell same-named databases of two servers apart", () => {
        const mocks = azureMocks();
        register(mocks, catalog.sqlServer.token, "primary", { resourceGroupName: "rg-a", serverName: "sql-a" });
        register(mocks, catalog.sqlServer.token, "partner", { resourceGroupName: "rg-b", serverName: "sql-b" });
        register(mocks, catalog.sqlDatabase.token, "crm", { resourceGroupName: "rg-a", serverName: "sql-a", databaseName: "crm" });
        register(mocks, catalog.sqlDatabase.token, "crm-secondary", { resourceGroupName: "rg-b", serverName: "sql-b", databaseName: "crm" });
        register(mocks, catalog.sqlBackupShortTermRetention.token, "crm-retention", { resourceGroupName: "rg-b", serverName: "sql-b", databaseName: "crm", policyName: "default" });
        assert.throws(() => register(mocks, catalog.sqlDatabase.token, "hr", { resourceGroupName: "rg-b", serverName: "sql-a", databaseName: "hr" }),
            /names resource group rg-b, but its parent microsoft\.sql\/servers\/sql-a is in rg-a/);
    });

    it("give no answer to a call about a resource in a lost region's resource group", () => {
        const mocks = azureMocks({}, {}, {}, {}, ["rg-mx-prod"]);
        assert.throws(() => mocks.call({ token: "azure-native:storage:listStorageAccountKeys", inputs: { resourceGroupName: "rg-mx-prod", accountName: "mxprodk3x9q2" } }),
            /listStorageAccountKeys on resource group rg-mx-prod: no answer/);
        assert.ok(mocks.call({ token: "azure-native:authorization:getClientConfig", inputs: {} }));
    });
});
