import { dashboardUrlProblem } from "../../src/config/dashboards-schema.js";
import { loadConfig } from "../../src/config/load-config.js";
import { fleetwardConfigSchema } from "../../src/config/schema.js";
import type { AlertGroup, NormalizedAlert } from "../../src/rollback/alerts/alert-group.js";
import { dashboardLinks } from "../../src/rollback/dashboard-links.js";
import { planIncident, planUnfreeze } from "../../src/rollback/plan-incident.js";
import { planRevert } from "../../src/rollback/plan-revert.js";
import { readIncidentMetadata } from "../../src/rollback/rollback-metadata.js";
import type { RollbackTarget } from "../../src/rollback/rollback-target.js";
import { makeRollbackFleet } from "./make-rollback-fleet.js";

const DASHBOARDS = {
  components: { checkout: "https://grafana.example.com/d/abc/checkout?var-env={{environment}}&var-cluster={{ cluster }}" },
  default: "https://grafana.example.com/d/slo/overview?var-env={{environment}}&var-app={{component}}",
};

describe("dashboardLinks", () => {
  test("a component's own dashboard, the default for the others, values filled in", () => {
    expect(dashboardLinks(DASHBOARDS, { environment: "prod", cluster: "prod-eu-1" }, ["checkout", "payments"])).toEqual([
      { label: "checkout dashboard", url: "https://grafana.example.com/d/abc/checkout?var-env=prod&var-cluster=prod-eu-1" },
      { label: "payments dashboard", url: "https://grafana.example.com/d/slo/overview?var-env=prod&var-app=payments" },
    ]);
  });

  test("no component: the default alone; no cluster: empty; nothing configured: no links", () => {
    expect(dashboardLinks(DASHBOARDS, { environment: "prod" }, [])).toEqual([{ label: "dashboard", url: "https://grafana.example.com/d/slo/overview?var-env=prod&var-app=" }]);
    expect(dashboardLinks({ components: DASHBOARDS.components }, { environment: "prod" }, ["payments"])).toEqual([]);
    expect(dashboardLinks(undefined, { environment: "prod" }, ["checkout"])).toEqual([]);
  });

  test("values are URL-encoded (a component folder with '/' or '&' cannot add parameters); equal links are listed once", () => {
    const links = dashboardLinks({ default: "https://g.example.com/d/x?app={{component}}&env={{environment}}" }, { environment: "prod&x=1" }, ["team-a/pay", "team-a/pay"]);
    expect(links).toEqual([{ label: "team-a/pay dashboard", url: "https://g.example.com/d/x?app=team-a%2Fpay&env=prod%26x%3D1" }]);
  });
});

describe("dashboards configuration", () => {
  test("optional: a configuration without it parses as before", () => {
    expect(fleetwardConfigSchema.parse({}).dashboards).toBeUndefined();
    expect(fleetwardConfigSchema.parse({ dashboards: DASHBOARDS }).dashboards).toEqual(DASHBOARDS);
  });

  test.each([
    ["https://g.example.com/d/x?c={{cluster}}", null],
    ["https://g.example.com/d/x?c={{namespace}}", "unknown placeholder {{namespace}}: use {{environment}}, {{cluster}}, {{component}}"],
    ["javascript:alert(1)", "only http and https dashboard links are allowed, not javascript:"],
    ["/d/x", "not an absolute URL"],
  ])("%s → %s", (url, problem) => {
    expect(dashboardUrlProblem(url)).toBe(problem);
  });

  test("a bad URL in the YAML file is config_schema at its line; unknown keys are refused", () => {
    const text = "dashboards:\n  components:\n    checkout: 'https://g.example.com/d/x?ns={{namespace}}'\n";
    const { config, diagnostics } = loadConfig({ layers: [{ file: ".github/fleetward.yml", text, source: "repo" }] });
    expect(config).toBeUndefined();
    expect(diagnostics[0]).toMatchObject({ code: "config_schema", line: 3, file: ".github/fleetward.yml" });
    expect(diagnostics[0]?.message).toContain("unknown placeholder {{namespace}}");
    expect(fleetwardConfigSchema.safeParse({ dashboards: { grafana: "https://g.example.com" } }).success).toBe(false);
  });
});

describe("dashboard links in rollback pull requests and incidents", () => {
  const { fleet } = makeRollbackFleet();
  const alert: NormalizedAlert = {
    fingerprint: "f1",
    status: "firing",
    labels: { alertname: "CheckoutHighErrorRate" },
    annotations: {},
    startsAt: "2026-08-20T10:04:30.123Z",
    endsAt: null,
    generatorURL: "http://prometheus.example.com:9090/graph?g0.expr=x",
  };
  const group = (alerts: NormalizedAlert[]): AlertGroup => ({
    source: "alertmanager",
    groupKey: "gk",
    status: alerts.some((a) => a.status === "firing") ? "firing" : "resolved",
    receiver: null,
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: null,
    alerts,
    truncatedAlerts: 0,
  });
  const target = (alerts: NormalizedAlert[], over: Partial<RollbackTarget> = {}): RollbackTarget => ({ repository: null, environment: "prod", cluster: "prod-eu-1", clusters: ["prod-eu-1"], alerts, rule: "r", ...over });
  const CHECKOUT = "[checkout dashboard](https://grafana.example.com/d/abc/checkout?var-env=prod&var-cluster=prod-eu-1)";

  test("the revert's body links the dashboards of the reverted files' components when the target names none", () => {
    const plan = planRevert({
      fleet,
      target: target([alert]),
      key: "k",
      trigger: { kind: "alert", group: group([alert]) },
      change: { sha: "b2", parentSha: "a1", mergedAt: "2026-08-20T09:30:00Z", files: ["envs/prod/checkout/deploy.yaml", "envs/prod/payments/x.yaml"] },
      before: { "envs/prod/checkout/deploy.yaml": "v1", "envs/prod/payments/x.yaml": "v1" },
      after: { "envs/prod/checkout/deploy.yaml": "v2", "envs/prod/payments/x.yaml": "v2" },
      settings: { labels: [], autoMerge: false },
      dashboards: DASHBOARDS,
    });
    expect(plan.body).toContain(`Dashboards: ${CHECKOUT} · [payments dashboard](https://grafana.example.com/d/slo/overview?var-env=prod&var-app=payments)`);
    expect(plan.body).toContain("[graph](http://prometheus.example.com:9090/graph?g0.expr=x)");
  });

  test("the incident records its component's link at opening and keeps it through updates, resolution and /unfreeze", () => {
    const firing = target([alert], { component: "checkout" });
    const opened = planIncident({ target: firing, group: group([alert]), existing: [], settings: { incidentLabels: [] }, dashboards: DASHBOARDS });
    if (opened.action !== "open") throw new Error(opened.action);
    expect(opened.body).toContain(`Dashboards: ${CHECKOUT}`);
    expect(opened.body).toContain("[graph](http://prometheus.example.com:9090/graph?g0.expr=x)");
    const issue = { number: 9, state: "open" as const, body: opened.body };
    // A later notification handled without the configuration (e.g. an older caller) keeps what was recorded.
    const second = { ...alert, fingerprint: "f2", labels: { alertname: "CheckoutLatency" } };
    const updated = planIncident({ target: target([second], { component: "checkout" }), group: group([second]), existing: [issue], settings: { incidentLabels: [] } });
    if (updated.action !== "update") throw new Error(updated.action);
    expect(updated.body).toContain(`Dashboards: ${CHECKOUT}`);
    const unfrozen = planUnfreeze({ issue: { ...issue, body: updated.body }, actor: "alice", now: new Date("2026-08-20T11:00:00Z") });
    if (unfrozen.action !== "close") throw new Error(unfrozen.action);
    expect(unfrozen.body).toContain(`Dashboards: ${CHECKOUT}`);
    expect(readIncidentMetadata(unfrozen.body)?.dashboards).toEqual([{ label: "checkout dashboard", url: "https://grafana.example.com/d/abc/checkout?var-env=prod&var-cluster=prod-eu-1" }]);
  });

  test("an incident without configured dashboards has no Dashboards line (and older metadata without the field still reads)", () => {
    const opened = planIncident({ target: target([alert]), group: group([alert]), existing: [], settings: { incidentLabels: [] } });
    if (opened.action !== "open") throw new Error(opened.action);
    expect(opened.body).not.toContain("Dashboards:");
    expect(readIncidentMetadata(opened.body)).not.toBeNull();
    expect(readIncidentMetadata(opened.body)?.dashboards).toBeUndefined();
  });
});
