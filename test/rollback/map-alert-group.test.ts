import { readAlertFixture } from "../helpers/alert-fixtures.js";
import type { AlertGroup, NormalizedAlert } from "../../src/rollback/alerts/alert-group.js";
import { parseAlertmanagerWebhook } from "../../src/rollback/alerts/parse-alertmanager-webhook.js";
import { mapAlertGroup } from "../../src/rollback/map-alert-group.js";
import { BASE_CONFIG, makeRollbackFleet } from "./make-rollback-fleet.js";

const sharedGroup = (name: string): AlertGroup => {
  const parsed = parseAlertmanagerWebhook(readAlertFixture(name));
  if (!parsed.ok) throw new Error(parsed.errors.join("\n"));
  return parsed.group;
};

let n = 0;
function alert(labels: Record<string, string>, status: "firing" | "resolved" = "firing"): NormalizedAlert {
  n += 1;
  return { fingerprint: `fp${n}`, status, labels, annotations: {}, startsAt: "2026-08-20T10:00:00Z", endsAt: null, generatorURL: null };
}
function group(alerts: NormalizedAlert[]): AlertGroup {
  return {
    source: "alertmanager",
    groupKey: "{}:{alertname=\"X\"}",
    status: alerts.some((a) => a.status === "firing") ? "firing" : "resolved",
    receiver: "r",
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: null,
    alerts,
    truncatedAlerts: 0,
  };
}
const page = (extra: Record<string, string>) => alert({ alertname: "HighErrorRate", sloth_severity: "page", ...extra });

describe("mapAlertGroup with the shared Alertmanager bodies", () => {
  const { config, fleet } = makeRollbackFleet();
  test("the firing SLO page maps to cluster prod-eu-1 of prod, component checkout", () => {
    const m = mapAlertGroup(config, fleet, sharedGroup("alertmanager-v4-slo-burn-firing.constructed.json"));
    expect(m.status).toBe("mapped");
    expect(m.skipped).toEqual([]);
    expect(m.targets).toHaveLength(1);
    expect(m.targets[0]).toMatchObject({ environment: "prod", cluster: "prod-eu-1", clusters: ["prod-eu-1"], component: "checkout", rule: "slo-pages" });
    expect(m.targets[0]?.alerts.map((a) => a.fingerprint)).toEqual(["3f1c0d9a2b7e4c11"]);
  });
  test("the resolved body maps to the same target", () => {
    const firing = mapAlertGroup(config, fleet, sharedGroup("alertmanager-v4-slo-burn-firing.constructed.json"));
    const resolved = mapAlertGroup(config, fleet, sharedGroup("alertmanager-v4-slo-burn-resolved.constructed.json"));
    const strip = (t: (typeof firing.targets)[number]) => ({ ...t, alerts: t.alerts.map((a) => a.fingerprint) });
    expect(resolved.targets.map(strip)).toEqual(firing.targets.map(strip));
    expect(resolved.targets[0]?.alerts[0]?.status).toBe("resolved");
  });
  test("without a rule for sloth pages the shared alert is acknowledged, not mapped", () => {
    const other = makeRollbackFleet({ rollback: { rules: [{ match: ["severity=warning"], environment: { fallback: "prod" } }] } });
    const m = mapAlertGroup(other.config, other.fleet, sharedGroup("alertmanager-v4-slo-burn-firing.constructed.json"));
    expect(m.status).toBe("no_rule_matched");
    expect(m.targets).toEqual([]);
    expect(m.skipped[0]?.message).toBe("alert CheckoutHighErrorRate (3f1c0d9a2b7e4c11): no rule matched");
  });
});

describe("mapAlertGroup rules", () => {
  test("no rules configured: nothing maps", () => {
    const { config, fleet } = makeRollbackFleet({ rollback: undefined });
    const m = mapAlertGroup(config, fleet, group([page({ env: "production" })]));
    expect(m.status).toBe("no_rule_matched");
  });

  test("the first matching rule wins; matchers support =, !=, =~ and !~", () => {
    const { config, fleet } = makeRollbackFleet({
      rollback: {
        rules: [
          { name: "not-dev-critical", match: ["severity=critical", "env!=dev", "team=~pay.*", "app!~test-.*"], environment: { label: "env" } },
          { name: "catch-all", environment: { fallback: "dev" } },
        ],
      },
    });
    const m = mapAlertGroup(
      config,
      fleet,
      group([
        alert({ severity: "critical", env: "prod", team: "payments", app: "api" }),
        alert({ severity: "critical", env: "prod", team: "search", app: "api" }),
        alert({ severity: "critical", env: "prod", team: "payments", app: "test-api" }),
        alert({ severity: "critical", env: "dev", team: "payments", app: "api" }),
      ]),
    );
    expect(m.targets.map((t) => [t.rule, t.environment, t.alerts.map((a) => a.fingerprint)])).toEqual([
      ["not-dev-critical", "prod", [expect.any(String)]],
      ["catch-all", "dev", [expect.any(String), expect.any(String), expect.any(String)]],
    ]);
  });

  test("a rule without a name is named by its index", () => {
    const { config, fleet } = makeRollbackFleet({ rollback: { rules: [{ match: ["x=1"], environment: { label: "env" } }, { environment: { label: "env" } }] } });
    expect(mapAlertGroup(config, fleet, group([alert({ env: "dev" })])).targets[0]?.rule).toBe("rules[1]");
  });

  test("value maps translate label values; unmapped values pass through", () => {
    const { config, fleet } = makeRollbackFleet();
    const m = mapAlertGroup(config, fleet, group([page({ env: "stage" }), page({ env: "dev" })]));
    expect(m.targets.map((t) => t.environment)).toEqual(["staging", "dev"]);
  });

  test("static fallbacks fill absent labels", () => {
    const { config, fleet } = makeRollbackFleet({
      rollback: { rules: [{ environment: { label: "env", fallback: "staging" }, component: { label: "app", fallback: "web" } }] },
    });
    const m = mapAlertGroup(config, fleet, group([alert({ alertname: "A" }), alert({ env: "dev", app: "api" })]));
    expect(m.targets.map((t) => [t.environment, t.component])).toEqual([
      ["staging", "web"],
      ["dev", "api"],
    ]);
  });

  test("alerts without the labels a rule needs are reported, naming the labels", () => {
    const { config, fleet } = makeRollbackFleet({
      rollback: { rules: [{ name: "needs", environment: { label: "env" }, component: { label: "app" } }] },
    });
    const m = mapAlertGroup(config, fleet, group([alert({ alertname: "NoLabels" })]));
    expect(m.status).toBe("labels_missing");
    expect(m.skipped[0]?.reason).toEqual({ code: "labels_missing", rule: "needs", labels: ["env", "app"] });
    expect(m.skipped[0]?.message).toContain("labels missing: env, app (rule needs)");
  });

  test("an empty label value counts as missing", () => {
    const { config, fleet } = makeRollbackFleet();
    expect(mapAlertGroup(config, fleet, group([page({ env: "" })])).status).toBe("labels_missing");
  });

  test("unknown environments and clusters, and a cluster of another environment, are reported", () => {
    const { config, fleet } = makeRollbackFleet();
    const m = mapAlertGroup(
      config,
      fleet,
      group([page({ env: "qa" }), page({ env: "production", cluster: "prod-ap-9" }), page({ env: "dev", cluster: "prod-eu-1" }), page({ env: "production" })]),
    );
    expect(m.skipped.map((s) => s.reason.code)).toEqual(["unknown_environment", "unknown_cluster", "cluster_not_in_environment"]);
    expect(m.status).toBe("mapped");
    expect(m.targets).toHaveLength(1);
    const none = mapAlertGroup(config, fleet, group([page({ env: "qa" }), page({ env: "production", cluster: "nope" })]));
    expect(none.status).toBe("unmapped");
  });

  test("the environment can come from the cluster alone", () => {
    const { config, fleet } = makeRollbackFleet({ rollback: { rules: [{ cluster: { label: "cluster" } }] } });
    const m = mapAlertGroup(config, fleet, group([alert({ cluster: "staging-1" })]));
    expect(m.targets[0]).toMatchObject({ environment: "staging", cluster: "staging-1" });
  });

  test("components must be folder names of the configured depth", () => {
    const { config, fleet } = makeRollbackFleet();
    const m = mapAlertGroup(config, fleet, group([page({ env: "dev", sloth_service: "../etc" }), page({ env: "dev", sloth_service: "a/b" })]));
    expect(m.skipped.map((s) => s.reason)).toEqual([
      { code: "invalid_component", rule: "slo-pages", component: "../etc" },
      { code: "invalid_component", rule: "slo-pages", component: "a/b" },
    ]);
    const deep = makeRollbackFleet({ components: { depth: 2 } });
    expect(mapAlertGroup(deep.config, deep.fleet, group([page({ env: "dev", sloth_service: "team-a/api" })])).targets[0]?.component).toBe("team-a/api");
  });

  test("a rule's repository filters alerts meant for another repository", () => {
    const { config, fleet } = makeRollbackFleet({
      rollback: { rules: [{ repository: { label: "repo", fallback: "acme/gitops" }, environment: { label: "env" } }] },
    });
    const g = group([alert({ env: "dev", repo: "acme/other" }), alert({ env: "dev" }), alert({ env: "prod", repo: "ACME/GitOps" })]);
    const m = mapAlertGroup(config, fleet, g, { repository: "acme/gitops" });
    expect(m.skipped.map((s) => s.reason)).toEqual([{ code: "other_repository", rule: "rules[0]", repository: "acme/other" }]);
    expect(m.targets.map((t) => [t.environment, t.repository])).toEqual([
      ["dev", "acme/gitops"],
      ["prod", "ACME/GitOps"],
    ]);
  });
});

describe("hostile labels", () => {
  test("prototype names and odd values are plain unknown names, never crashes", () => {
    const { config, fleet } = makeRollbackFleet();
    const m = mapAlertGroup(
      config,
      fleet,
      group([page({ env: "__proto__" }), page({ env: "constructor" }), page({ env: "toString", cluster: "hasOwnProperty" }), page({ env: "dev", sloth_service: "x\n/../y" })]),
    );
    expect(m.targets).toEqual([]);
    expect(m.skipped.map((s) => s.reason.code)).toEqual(["unknown_environment", "unknown_environment", "unknown_cluster", "invalid_component"]);
  });
});

describe("grouping clusters of one environment", () => {
  const g = () => group([page({ env: "production", cluster: "prod-us-1" }), page({ env: "production", cluster: "prod-eu-1" })]);

  test("by default alerts of several clusters become one rollback of the environment, clusters in configuration order", () => {
    const { config, fleet } = makeRollbackFleet();
    const m = mapAlertGroup(config, fleet, g());
    expect(m.targets).toHaveLength(1);
    expect(m.targets[0]?.clusters).toEqual(["prod-eu-1", "prod-us-1"]);
    expect(m.targets[0]?.cluster).toBeUndefined();
    expect(m.targets[0]?.alerts).toHaveLength(2);
  });

  test("groupClusters: false in the environment gives one rollback per cluster", () => {
    const { config, fleet } = makeRollbackFleet({
      environments: [
        ...(BASE_CONFIG.environments ?? []).filter((e) => e.name !== "prod"),
        { name: "prod", paths: ["envs/prod/**"], promotedFrom: "staging", settings: { rollback: { groupClusters: false } } },
      ],
    });
    const m = mapAlertGroup(config, fleet, g());
    expect(m.targets.map((t) => [t.cluster, t.clusters])).toEqual([
      ["prod-us-1", ["prod-us-1"]],
      ["prod-eu-1", ["prod-eu-1"]],
    ]);
  });

  test("an environment-wide alert widens a grouped target to the whole environment", () => {
    const { config, fleet } = makeRollbackFleet();
    const m = mapAlertGroup(config, fleet, group([page({ env: "production", cluster: "prod-us-1" }), page({ env: "production" })]));
    expect(m.targets).toHaveLength(1);
    expect(m.targets[0]?.clusters).toEqual([]);
    expect(m.targets[0]?.cluster).toBeUndefined();
  });

  test("different components stay different targets", () => {
    const { config, fleet } = makeRollbackFleet();
    const m = mapAlertGroup(config, fleet, group([page({ env: "production", sloth_service: "a" }), page({ env: "production", sloth_service: "b" })]));
    expect(m.targets.map((t) => t.component)).toEqual(["a", "b"]);
  });
});
