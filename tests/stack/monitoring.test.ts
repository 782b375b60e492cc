import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { documentedMetrics, multiResourceAlertTypes } from "../fixtures/documentedMetrics";
import { kqlTables } from "../fixtures/kqlTables";
import { offlineSubscriptionId } from "../../offline/azureIds";
import { byType, RegisteredResource, runStack, runStackExpectingFailure, StackRun } from "../harness/offThread";
import { azureId } from "../harness/azureIds";

const type = {
    vm: "azure-native:compute:VirtualMachine",
    extension: "azure-native:compute:VirtualMachineExtension",
    rule: "azure-native:monitor:DataCollectionRule",
    association: "azure-native:monitor:DataCollectionRuleAssociation",
    table: "azure-native:operationalinsights:Table",
    workspace: "azure-native:operationalinsights:Workspace",
    actionGroup: "azure-native:monitor:ActionGroup",
    metricAlert: "azure-native:monitor:MetricAlert",
    logAlert: "azure-native:monitor:ScheduledQueryRule",
    workbook: "azure-native:applicationinsights:Workbook",
    threatDetection: "azure-native:sql:ServerSecurityAlertPolicy",
    lb: "azure-native:network:LoadBalancer",
    nat: "azure-native:network:NatGateway",
    database: "azure-native:sql:Database",
    resourceGroup: "azure-native:resources:ResourceGroup",
} as const;

const webhook = "https://hooks.example.com/services/T0/B0/mock-webhook-token-9d1e";
const apps = [{ name: "app" }, { name: "crm", hostName: "crm.example.com" }];
const prodWithRecipients = {
    stack: "prod",
    config: { apps },
    secrets: { alerts: JSON.stringify({ emails: ["ops@example.com"], webhookUrl: webhook, thresholds: { nodeCpuPercent: 85 } }) },
};

type DataCollectionRuleInputs = {
    dataCollectionEndpointId: string;
    streamDeclarations: Record<string, { columns: { name: string; type: string }[] }>;
    dataSources: {
        windowsEventLogs: { streams: string[]; xPathQueries: string[] }[];
        performanceCounters: { streams: string[]; counterSpecifiers: string[] }[];
        logFiles: { streams: string[]; filePatterns: string[]; format: string }[];
    };
    destinations: { logAnalytics: { name: string; workspaceResourceId: string }[] };
    dataFlows: { streams: string[]; destinations: string[]; outputStream: string }[];
};

const only = (resources: RegisteredResource[]) => {
    assert.equal(resources.length, 1);
    return resources[0] as RegisteredResource;
};
const idOf = (resource: RegisteredResource) => resource.id;
const ruleOf = (run: StackRun) => only(byType(run, type.rule)).inputs as unknown as DataCollectionRuleInputs;
/** The tables the rule writes: each flow's output stream, less `Custom-` or `Microsoft-`; the agent's Heartbeat comes besides. */
const ruleTables = (run: StackRun) => ruleOf(run).dataFlows.map((flow) => flow.outputStream.replace(/^Custom-/, "").replace(/^Microsoft-/, ""));

describe("monitoring of the prod stack with recipients", () => {
    let run: StackRun;
    before(async () => {
        run = await runStack(prodWithRecipients);
    });

    it("collects Windows events, counters and each log through one rule into the operations workspace, every custom table declared", () => {
        const rule = ruleOf(run);
        const workspace = byType(run, type.workspace).find((candidate) => candidate.inputs["workspaceName"] === "mx-prod-ops");
        assert.ok(workspace);
        assert.deepEqual(rule.destinations.logAnalytics, [{ name: "operations", workspaceResourceId: idOf(workspace) }]);
        assert.equal(rule.dataCollectionEndpointId, azureId("prod", "Microsoft.Insights/dataCollectionEndpoints/mx-prod-dce"));
        assert.deepEqual(rule.dataSources.windowsEventLogs[0]?.xPathQueries, [
            "Application!*[System[(Level=1 or Level=2 or Level=3)]]", "System!*[System[(Level=1 or Level=2 or Level=3)]]",
        ]);
        assert.deepEqual(rule.dataSources.performanceCounters[0]?.streams, ["Microsoft-Perf"]);
        for (const counter of ["\\Processor Information(_Total)\\% Processor Time", "\\Memory\\Available MBytes", "\\LogicalDisk(*)\\% Free Space", "\\LogicalDisk(*)\\Avg. Disk sec/Write"]) {
            assert.ok(rule.dataSources.performanceCounters[0]?.counterSpecifiers.includes(counter), counter);
        }
        assert.deepEqual(rule.dataSources.logFiles.map((log) => [log.streams, log.filePatterns, log.format]), [
            [["Custom-Text-MendixNodeAgent_CL"], ["M:\\Mendix\\Apps\\node-agent\\agent.log"], "text"],
            [["Custom-Text-MendixRuntime_app_CL"], ["M:\\Mendix\\Apps\\app\\Log\\*.log"], "text"],
            [["Custom-Text-MendixRuntime_crm_CL"], ["M:\\Mendix\\Apps\\crm\\Log\\*.log"], "text"],
        ]);
        assert.deepEqual(rule.dataFlows.map((flow) => [flow.streams, flow.outputStream]), [
            [["Microsoft-Event"], "Microsoft-Event"], [["Microsoft-Perf"], "Microsoft-Perf"],
            [["Custom-Text-MendixNodeAgent_CL"], "Custom-MendixNodeAgent_CL"],
            [["Custom-Text-MendixRuntime_app_CL"], "Custom-MendixRuntime_app_CL"],
            [["Custom-Text-MendixRuntime_crm_CL"], "Custom-MendixRuntime_crm_CL"],
        ]);
        // Every stream a source sends is declared (or one of Azure's own) and flows somewhere.
        for (const log of rule.dataSources.logFiles) {
            assert.deepEqual(rule.streamDeclarations[log.streams[0] ?? ""]?.columns.map((column) => column.name), ["TimeGenerated", "RawData", "Computer", "FilePath"]);
        }
        const tables = byType(run, type.table);
        assert.deepEqual(tables.map((table) => table.inputs["tableName"]), ["MendixNodeAgent_CL", "MendixRuntime_app_CL", "MendixRuntime_crm_CL"]);
        for (const table of tables) {
            assert.equal(table.inputs["workspaceName"], "mx-prod-ops");
            assert.ok(only(byType(run, type.rule)).dependencies.includes(table.urn), "the table exists before the rule");
            assert.ok(table.protect && table.retainOnDelete);
        }
    });

    it("gives every node the Azure Monitor Agent and associates it with the rule", () => {
        const rule = only(byType(run, type.rule));
        const vms = byType(run, type.vm);
        const agents = byType(run, type.extension).filter((extension) => extension.inputs["type"] === "AzureMonitorWindowsAgent");
        assert.deepEqual(agents.map((agent) => [agent.inputs["vmName"], agent.inputs["publisher"], agent.inputs["enableAutomaticUpgrade"]]),
            vms.map((vm) => [vm.inputs["vmName"], "Microsoft.Azure.Monitor", true]));
        // The VMs have a user-assigned identity only: the agent is told which one to sign in with.
        for (const [index, agent] of agents.entries()) {
            const identity = (agent.inputs["settings"] as { authentication: { managedIdentity: Record<string, string> } }).authentication.managedIdentity;
            assert.equal(identity["identifier-name"], "client_id");
            const nodeIdentity = byType(run, "azure-native:managedidentity:UserAssignedIdentity").find((candidate) => candidate.inputs["resourceName"] === `mx-prod-node-${index}-id`);
            assert.equal(identity["identifier-value"], nodeIdentity?.outputs["clientId"]);
            assert.match(String(identity["identifier-value"]), /^[0-9a-f]{8}-[0-9a-f]{4}-/);
        }
        const associations = byType(run, type.association);
        assert.deepEqual(associations.map((association) => association.inputs["resourceUri"]).sort(), vms.map(idOf).sort());
        assert.ok(associations.every((association) => association.inputs["dataCollectionRuleId"] === idOf(rule)));
        // Each node's component holds them, under the logical names they had (aliases find them under the monitoring component).
        const deployments = byType(run, "mendix:cluster:NodeDeployment");
        for (const [index, deployment] of deployments.entries()) {
            const own = run.resources.filter((resource) => resource.parentUrn === deployment.urn && (resource.type === type.association || resource.inputs["type"] === "AzureMonitorWindowsAgent"));
            assert.deepEqual(own.map((resource) => resource.name).sort(), [`mendix-monitor-node-${index}-ama`, `mendix-monitor-node-${index}-dcr`]);
        }
        assert.equal(deployments.length, vms.length);
    });

    it("sends every alert to one action group of the configured address and the secret webhook", () => {
        const group = only(byType(run, type.actionGroup));
        assert.deepEqual(group.inputs["emailReceivers"], [{ name: "email-0", emailAddress: "ops@example.com", useCommonAlertSchema: true }]);
        assert.equal((group.inputs["webhookReceivers"] as { serviceUri: string }[])[0]?.serviceUri, webhook);
        assert.doesNotMatch(JSON.stringify(group.visibleInputs), /mock-webhook-token/);
        for (const resource of run.resources) {
            assert.doesNotMatch(JSON.stringify(resource.visibleInputs), /mock-webhook-token/, resource.name);
        }
        for (const alert of byType(run, type.metricAlert)) {
            assert.deepEqual(alert.inputs["actions"], [{ actionGroupId: idOf(group) }], alert.name);
        }
        for (const alert of byType(run, type.logAlert)) {
            assert.deepEqual(alert.inputs["actions"], { actionGroups: [idOf(group)] }, alert.name);
        }
    });

    it("alerts on documented metrics of the load balancer, NAT gateway, every node and each database", () => {
        type Criterion = { metricName: string; metricNamespace: string; threshold: number; operator: string; dimensions: { name: string }[] };
        const rows = byType(run, type.metricAlert).map((alert) => {
            const criterion = (alert.inputs["criteria"] as { allOf: Criterion[] }).allOf[0] as Criterion;
            const scope = (alert.inputs["scopes"] as string[])[0] ?? "";
            assert.ok(documentedMetrics.some((entry) => entry.namespace === criterion.metricNamespace && entry.metric === criterion.metricName), criterion.metricName);
            return [criterion.metricName, criterion.operator, criterion.threshold, scope];
        });
        const key = (row: unknown[]) => JSON.stringify(row);
        const resourceGroupId = `/subscriptions/${offlineSubscriptionId}/resourceGroups/rg-mx-prod`;
        assert.deepEqual(rows.map(key).sort(), [
            ["DipAvailability", "LessThan", 90, azureId("prod", "Microsoft.Network/loadBalancers/mx-prod-lb")],
            ["VipAvailability", "LessThan", 90, azureId("prod", "Microsoft.Network/loadBalancers/mx-prod-lb")],
            ["SNATConnectionCount", "GreaterThan", 0, azureId("prod", "Microsoft.Network/natGateways/mx-prod-nat-1")],
            ["SNATConnectionCount", "GreaterThan", 0, azureId("prod", "Microsoft.Network/natGateways/mx-prod-nat-2")],
            ["SNATConnectionCount", "GreaterThan", 0, azureId("prod", "Microsoft.Network/natGateways/mx-prod-nat-3")],
            ["VmAvailabilityMetric", "LessThan", 1, resourceGroupId],
            ["Percentage CPU", "GreaterThan", 85, resourceGroupId],
            ["Available Memory Bytes", "LessThan", 1073741824, resourceGroupId],
            ...["app", "crm"].flatMap((app) => [
                ["cpu_percent", "GreaterThan", 80], ["storage_percent", "GreaterThan", 80], ["deadlock", "GreaterThan", 1], ["connection_failed", "GreaterThan", 5],
            ].map((row) => [...row, azureId("prod", `Microsoft.Sql/servers/mx-prod-sql-k3x9q2/databases/${app}`)])),
        ].map(key).sort());
        const probe = byType(run, type.metricAlert).find((alert) => alert.inputs["ruleName"] === "mx-prod-lb-probe");
        assert.deepEqual((probe?.inputs["criteria"] as { allOf: Criterion[] }).allOf[0]?.dimensions, [{ name: "BackendIPAddress", operator: "Include", values: ["*"] }]);
        assert.equal(probe?.inputs["severity"], 0);
        for (const alert of byType(run, type.metricAlert).filter((candidate) => candidate.inputs["targetResourceType"] !== undefined)) {
            assert.ok(multiResourceAlertTypes.includes(String(alert.inputs["targetResourceType"])), String(alert.inputs["ruleName"]));
            assert.equal(alert.inputs["targetResourceRegion"], "westeurope");
        }
    });

    it("has log alerts on the workspace whose queries read only the tables the rule fills", () => {
        const workspace = byType(run, type.workspace).find((candidate) => candidate.inputs["workspaceName"] === "mx-prod-ops") as RegisteredResource;
        const filled = [...ruleTables(run), "Heartbeat"];
        const alerts = byType(run, type.logAlert);
        assert.deepEqual(alerts.map((alert) => alert.inputs["ruleName"]).sort(), [
            "mx-prod-agent-failed", "mx-prod-mendix-app-errors", "mx-prod-mendix-crm-errors", "mx-prod-node-data-disk", "mx-prod-node-heartbeat", "mx-prod-node-os-disk",
        ]);
        for (const alert of alerts) {
            assert.deepEqual(alert.inputs["scopes"], [idOf(workspace)]);
            const [criterion] = (alert.inputs["criteria"] as { allOf: { query: string; threshold: number }[] }).allOf;
            for (const table of kqlTables(criterion?.query ?? "")) {
                assert.ok(filled.includes(table), `${String(alert.inputs["ruleName"])} reads ${table}`);
            }
        }
    });

    it("turns on every threat detection type, mailing the admins and the alert addresses", () => {
        const policy = only(byType(run, type.threatDetection));
        assert.equal(policy.inputs["state"], "Enabled");
        assert.deepEqual(policy.inputs["disabledAlerts"], []);
        assert.equal(policy.inputs["emailAccountAdmins"], true);
        assert.deepEqual(policy.inputs["emailAddresses"], ["ops@example.com"]);
    });

    it("keeps audit records a year and operations data 120 days", () => {
        const retention = Object.fromEntries(byType(run, type.workspace).map((workspace) => [workspace.inputs["workspaceName"], workspace.inputs["retentionInDays"]]));
        assert.deepEqual(retention, { "mx-prod-audit": 365, "mx-prod-ops": 120 });
    });

    it("draws the workbook from the collected tables and the cluster's resources, and exports its portal address", () => {
        const workbook = only(byType(run, type.workbook));
        assert.equal(workbook.inputs["displayName"], "Mendix cluster (prod)");
        const document = JSON.parse(String(workbook.inputs["serializedData"])) as { items: { type: number; name: string; content: { query?: string; resourceIds?: string[] } }[] };
        const filled = [...ruleTables(run), "Heartbeat"];
        for (const item of document.items.filter((candidate) => candidate.type === 3)) {
            for (const table of kqlTables(item.content.query ?? "")) {
                assert.ok(filled.includes(table), `${item.name} reads ${table}`);
            }
        }
        const database = byType(run, type.database).map(idOf);
        assert.deepEqual(document.items.find((item) => item.name === "database-load")?.content.resourceIds, database);
        assert.deepEqual(document.items.find((item) => item.name === "probe-status")?.content.resourceIds, [idOf(only(byType(run, type.lb)))]);
        assert.equal(run.outputs["workbookUrl"], `https://portal.azure.com/#resource${idOf(workbook)}/workbook`);
    });
});

describe("monitoring of the dev stack without recipients", () => {
    let run: StackRun;
    before(async () => {
        run = await runStack({ stack: "dev" });
    });

    it("warns that nobody is told, and creates the same alerts without an action", () => {
        assert.equal(run.warnings.filter((warning) => /alerts\.emails is empty/.test(warning)).length, 1);
        assert.equal(byType(run, type.actionGroup).length, 0);
        const metricAlerts = byType(run, type.metricAlert);
        assert.equal(metricAlerts.length, 11, "the same signals as prod, for one database and two NAT gateways (zones 1 and 2)");
        assert.ok(metricAlerts.every((alert) => (alert.inputs["actions"] as unknown[]).length === 0));
        assert.ok(byType(run, type.logAlert).every((alert) => (alert.inputs["actions"] as { actionGroups: unknown[] }).actionGroups.length === 0));
        const load = metricAlerts.find((alert) => alert.inputs["ruleName"] === "mx-dev-db-load-app");
        assert.equal((load?.inputs["criteria"] as { allOf: { metricName: string }[] }).allOf[0]?.metricName, "dtu_consumption_percent");
        assert.deepEqual(only(byType(run, type.threatDetection)).inputs["emailAddresses"], []);
    });
});

describe("an invalid alerts config", () => {
    const cases = [
        { what: "a malformed address", config: { alerts: { emails: ["ops-at-example.com"] } }, message: /alerts\.emails\[0\]: got "ops-at-example\.com"; allowed: an e-mail address/ },
        { what: "a threshold out of range", config: { alerts: { thresholds: { probeAvailabilityPercent: 0 } } }, message: /alerts\.thresholds\.probeAvailabilityPercent: got 0; allowed: a whole number from 1 to 100/ },
        { what: "a plaintext webhook", config: { alerts: { webhookUrl: "https://hooks.example.com/x" } }, message: /alerts\.webhookUrl: got \[secret\]; allowed: a secret/ },
    ];
    for (const testCase of cases) {
        it(`is refused on ${testCase.what} before anything is registered`, async () => {
            const failure = await runStackExpectingFailure({ stack: "dev", config: testCase.config });
            assert.match(failure.message, testCase.message);
            assert.equal(failure.registered, 0);
        });
    }

    it("is refused without an address on a stack that requires licences", async () => {
        const failure = await runStackExpectingFailure({ stack: "dev", config: { requireLicense: true } });
        assert.match(failure.message, /alerts\.emails: got \[\]; allowed: at least one e-mail address, since requireLicense is true/);
        assert.equal(failure.registered, 0);
    });
});
