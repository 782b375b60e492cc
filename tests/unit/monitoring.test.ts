import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defaultAlertThresholds } from "../../components/config/alertsConfig";
import { actionGroupShortName, logAlerts, metricAlerts } from "../../components/plan/alerts";
import { collectedTables, dataCollectionPlan } from "../../components/plan/dataCollection";
import { renderWorkbook, workbookDocument, workbookResourceName } from "../../components/plan/workbook";
import { documentedMetrics } from "../fixtures/documentedMetrics";
import { kqlTables } from "../fixtures/kqlTables";
import { configIssues, parseValues } from "../harness/parseConfig";

const keysOf = (issues: readonly { key: string }[]) => issues.map((issue) => issue.key);

describe("the alerts config", () => {
    it("defaults to no recipients and the baseline thresholds", () => {
        const { alerts } = parseValues({});
        assert.deepEqual(alerts.emails, []);
        assert.equal(alerts.webhookUrl, undefined);
        assert.equal(alerts.thresholds.probeAvailabilityPercent, 90);
        assert.equal(alerts.thresholds.nodeCpuPercent, 80);
        assert.equal(alerts.thresholds.nodeAvailableMemoryMb, 1024);
        assert.equal(alerts.thresholds.dataDiskFreePercent, 10);
        assert.equal(alerts.thresholds.heartbeatMissingMinutes, 10);
        assert.equal(alerts.thresholds.databaseDeadlocks, 1);
        assert.equal(alerts.thresholds.databaseFailedConnections, 5);
    });

    it("takes addresses, a secret webhook and thresholds in range", () => {
        const { alerts } = parseValues({
            alerts: { emails: ["ops@example.com", "dba@example.org"], webhookUrl: "https://hooks.example.com/alert?sig=abc", thresholds: { nodeCpuPercent: 90 } },
        }, ["alerts"]);
        assert.deepEqual(alerts.emails, ["ops@example.com", "dba@example.org"]);
        assert.equal(alerts.webhookUrl, "https://hooks.example.com/alert?sig=abc");
        assert.equal(alerts.thresholds.nodeCpuPercent, 90);
        assert.equal(alerts.thresholds.databaseCpuPercent, 80);
    });

    it("refuses bad addresses, a duplicate, a plaintext or http webhook, unknown keys and thresholds out of range, all at once", () => {
        const issues = configIssues({
            alerts: { emails: ["ops@example.com", "not-an-address", "OPS@example.com", 7], thresholds: { nodeCpuPercent: 100, dataDiskFreePercent: 0, cpu: 3 }, pager: "x" },
        });
        assert.deepEqual(keysOf(issues).sort(), [
            "alerts.emails[1]", "alerts.emails[2]", "alerts.emails[3]", "alerts.pager",
            "alerts.thresholds.cpu", "alerts.thresholds.dataDiskFreePercent", "alerts.thresholds.nodeCpuPercent",
        ]);
        assert.match(issues.find((issue) => issue.key === "alerts.thresholds.nodeCpuPercent")?.allowed ?? "", /from 1 to 99/);
        const plaintext = configIssues({ alerts: { emails: [], webhookUrl: "https://hooks.example.com/x" } });
        assert.deepEqual(plaintext.map((issue) => [issue.key, issue.value]), [["alerts.webhookUrl", "[secret]"]]);
        assert.match(plaintext[0]?.allowed ?? "", /pulumi config set --secret --path alerts\.webhookUrl/);
        const beside = configIssues({ alerts: { emails: [{ secure: "x" }], webhookUrl: "https://hooks.example.com/x" } }, ["alerts"], new Map([["alerts", [["emails", 0]]]]));
        assert.ok(beside.some((issue) => issue.key === "alerts.webhookUrl" && issue.value === "[secret]"), "another encrypted value in alerts is no excuse");
        const http = configIssues({ alerts: { webhookUrl: "http://hooks.example.com/x" } }, ["alerts"]);
        assert.deepEqual(keysOf(http), ["alerts.webhookUrl"]);
    });

    it("requires an address when requireLicense is true", () => {
        const licensed = { name: "app", license: { environmentName: "production", licenseServerUrl: "https://licensing.example.com" } };
        const issues = configIssues({ requireLicense: true, apps: [licensed], licenseSecrets: { app: "s" } }, ["licenseSecrets"]);
        assert.deepEqual(keysOf(issues), ["alerts.emails"]);
        const config = parseValues({ requireLicense: true, apps: [licensed], licenseSecrets: { app: "s" }, alerts: { emails: ["ops@example.com"] } }, ["licenseSecrets"]);
        assert.deepEqual(config.alerts.emails, ["ops@example.com"]);
    });
});

describe("the alert plan", () => {
    const metrics = [...metricAlerts(defaultAlertThresholds, "Premium"), ...metricAlerts(defaultAlertThresholds, "BusinessCritical")];

    it("uses only metrics and dimensions Azure documents for each namespace", () => {
        for (const alert of metrics) {
            const documented = documentedMetrics.find((entry) => entry.namespace === alert.namespace && entry.metric === alert.metric);
            assert.ok(documented, `${alert.namespace} ${alert.metric} is documented`);
            for (const dimension of alert.dimensions) {
                assert.ok(documented.dimensions.includes(dimension.name), `${alert.metric} has the dimension ${dimension.name}`);
            }
        }
    });

    it("alerts with the baseline's metric, operator, threshold, window and severity", () => {
        const rows = metricAlerts(defaultAlertThresholds, "Premium").map((alert) =>
            [alert.key, alert.metric, alert.aggregation, alert.operator, alert.threshold, alert.windowSize, alert.frequency, alert.severity]);
        assert.deepEqual(rows, [
            ["lb-probe", "DipAvailability", "Average", "LessThan", 90, "PT5M", "PT1M", 0],
            ["lb-datapath", "VipAvailability", "Average", "LessThan", 90, "PT5M", "PT1M", 0],
            ["nat-snat", "SNATConnectionCount", "Total", "GreaterThan", 0, "PT5M", "PT1M", 1],
            ["node-availability", "VmAvailabilityMetric", "Average", "LessThan", 1, "PT5M", "PT5M", 1],
            ["node-cpu", "Percentage CPU", "Average", "GreaterThan", 80, "PT5M", "PT5M", 3],
            ["node-memory", "Available Memory Bytes", "Average", "LessThan", 1073741824, "PT5M", "PT5M", 3],
            ["db-load", "dtu_consumption_percent", "Average", "GreaterThan", 80, "PT5M", "PT1M", 3],
            ["db-storage", "storage_percent", "Maximum", "GreaterThan", 80, "PT5M", "PT1M", 2],
            ["db-deadlocks", "deadlock", "Total", "GreaterThan", 1, "PT5M", "PT1M", 3],
            ["db-connections", "connection_failed", "Total", "GreaterThan", 5, "PT5M", "PT1M", 1],
        ]);
        assert.deepEqual(metricAlerts(defaultAlertThresholds, "Premium")[0]?.dimensions, [{ name: "BackendIPAddress", operator: "Include", values: ["*"] }]);
        assert.equal(metricAlerts(defaultAlertThresholds, "BusinessCritical").find((alert) => alert.key === "db-load")?.metric, "cpu_percent");
    });

    it("takes its thresholds from the config", () => {
        const alerts = metricAlerts({ ...defaultAlertThresholds, nodeAvailableMemoryMb: 2048, probeAvailabilityPercent: 75 }, "Premium");
        assert.equal(alerts.find((alert) => alert.key === "node-memory")?.threshold, 2048 * 1024 * 1024);
        assert.equal(alerts.find((alert) => alert.key === "lb-probe")?.threshold, 75);
    });

    it("has a log alert per app on runtime errors, and on agent failures, disks and heartbeats, each query reading collected tables only", () => {
        const apps = ["app", "crm"];
        const alerts = logAlerts(defaultAlertThresholds, apps);
        assert.deepEqual(alerts.map((alert) => [alert.key, alert.operator, alert.threshold, alert.severity]), [
            ["node-data-disk", "LessThan", 10, 2], ["node-os-disk", "LessThan", 20, 2], ["node-heartbeat", "GreaterThan", 0, 1],
            ["agent-failed", "GreaterThan", 0, 1], ["mendix-app-errors", "GreaterThan", 0, 2], ["mendix-crm-errors", "GreaterThan", 0, 2],
        ]);
        const tables = collectedTables(dataCollectionPlan(apps));
        for (const alert of alerts) {
            for (const table of kqlTables(alert.query)) {
                assert.ok(tables.includes(table), `${alert.key} reads ${table}`);
            }
        }
        assert.deepEqual(kqlTables(alerts.find((alert) => alert.key === "mendix-crm-errors")?.query ?? ""), ["MendixRuntime_crm_CL"]);
        assert.match(alerts.find((alert) => alert.key === "node-data-disk")?.query ?? "", /InstanceName == "M:"/);
        assert.match(alerts.find((alert) => alert.key === "node-heartbeat")?.query ?? "", /ago\(10m\)/);
    });

    it("names the action group within Azure's 12 characters", () => {
        assert.equal(actionGroupShortName("dev"), "mx-dev");
        assert.equal(actionGroupShortName("production-e"), "mx-productio");
    });
});

describe("the KQL table reader", () => {
    it("reads the source, every union leg and joins, and no quoted text", () => {
        assert.deepEqual(kqlTables(`Perf | where X == "a | union Fake"`), ["Perf"]);
        assert.deepEqual(kqlTables(`union (A_CL | extend x = 1), B, (C | where y) | summarize count()`), ["A_CL", "B", "C"]);
        assert.deepEqual(kqlTables(`Heartbeat | join kind=leftouter (Perf | take 1) on Computer`), ["Heartbeat", "Perf"]);
    });
});

describe("the workbook", () => {
    const inputs = {
        workspaceId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/ops",
        loadBalancerId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/loadBalancers/lb",
        databaseIds: { app: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Sql/servers/sql/databases/app", crm: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Sql/servers/sql/databases/crm" },
        sqlTier: "Premium" as const,
        apps: ["app", "crm"],
    };

    it("renders a Notebook/1.0 document whose queries read only the collected tables and whose metrics are documented", () => {
        const document = JSON.parse(renderWorkbook(inputs)) as ReturnType<typeof workbookDocument>;
        assert.equal(document.version, "Notebook/1.0");
        const tables = collectedTables(dataCollectionPlan(inputs.apps));
        const queries = document.items.flatMap((item) => (item.type === 3 ? [item] : []));
        assert.deepEqual(queries.map((item) => item.name), ["node-cpu", "node-memory", "mendix-errors", "agent-runs"]);
        for (const item of queries) {
            assert.deepEqual(item.content.crossComponentResources, [inputs.workspaceId]);
            for (const table of kqlTables(item.content.query)) {
                assert.ok(tables.includes(table), `${item.name} reads ${table}`);
            }
        }
        assert.deepEqual(kqlTables(queries.find((item) => item.name === "mendix-errors")?.content.query ?? ""), ["MendixRuntime_app_CL", "MendixRuntime_crm_CL"]);
        const charts = document.items.flatMap((item) => (item.type === 10 ? [item] : []));
        assert.deepEqual(charts.map((item) => [item.name, item.content.resourceIds]), [
            ["probe-status", [inputs.loadBalancerId]], ["database-load", [inputs.databaseIds.app, inputs.databaseIds.crm]],
        ]);
        for (const chart of charts) {
            for (const metric of chart.content.metrics) {
                const [namespace, name] = metric.metric.split("--");
                assert.ok(documentedMetrics.some((entry) => entry.namespace.toLowerCase() === namespace && entry.metric === name), metric.metric);
            }
        }
        assert.equal(charts[0]?.content.metrics[0]?.splitBy, "BackendIPAddress");
    });

    it("has a GUID name that is the same for the same stack", () => {
        assert.match(workbookResourceName("prod"), /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        assert.equal(workbookResourceName("prod"), "536ddc5e-2571-5767-8d3c-59d85fefe2fc");
        assert.notEqual(workbookResourceName("prod"), workbookResourceName("dev"));
    });
});

describe("the data collection plan", () => {
    it("collects each app's runtime logs and the agent's log into tables of their own, from the data disk", () => {
        const plan = dataCollectionPlan(["app", "crm"]);
        assert.deepEqual(plan.textLogs.map((log) => [log.table, log.stream, log.outputStream, log.filePatterns]), [
            ["MendixNodeAgent_CL", "Custom-Text-MendixNodeAgent_CL", "Custom-MendixNodeAgent_CL", ["M:\\Mendix\\Apps\\node-agent\\agent.log"]],
            ["MendixRuntime_app_CL", "Custom-Text-MendixRuntime_app_CL", "Custom-MendixRuntime_app_CL", ["M:\\Mendix\\Apps\\app\\Log\\*.log"]],
            ["MendixRuntime_crm_CL", "Custom-Text-MendixRuntime_crm_CL", "Custom-MendixRuntime_crm_CL", ["M:\\Mendix\\Apps\\crm\\Log\\*.log"]],
        ]);
        assert.ok(plan.performanceCounters.includes("\\LogicalDisk(*)\\% Free Space"));
    });
});
