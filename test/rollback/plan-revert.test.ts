import type { AlertGroup } from "../../src/rollback/alerts/alert-group.js";
import type { HistoryChange } from "../../src/rollback/find-change-to-revert.js";
import { planRevert } from "../../src/rollback/plan-revert.js";
import type { PlanRevertInput } from "../../src/rollback/plan-revert.js";
import { readRollbackMetadata } from "../../src/rollback/rollback-metadata.js";
import { rollbackKey } from "../../src/rollback/rollback-key.js";
import type { RollbackTarget } from "../../src/rollback/rollback-target.js";
import { makeRollbackFleet } from "./make-rollback-fleet.js";

const { fleet } = makeRollbackFleet();
const alert = {
  fingerprint: "3f1c0d9a2b7e4c11",
  status: "firing" as const,
  labels: { alertname: "CheckoutHighErrorRate", env: "production", cluster: "prod-eu-1" },
  annotations: { summary: "High <b>error</b> rate | bad", runbook_url: "https://runbooks.example.com/checkout" },
  startsAt: "2026-08-20T10:04:30.123Z",
  endsAt: null,
  generatorURL: "http://prometheus.example.com:9090/graph?g0.expr=x",
};
const group: AlertGroup = {
  source: "alertmanager",
  groupKey: '{}/{env="production"}:{alertname="CheckoutHighErrorRate", cluster="prod-eu-1"}',
  status: "firing",
  receiver: "r",
  groupLabels: {},
  commonLabels: {},
  commonAnnotations: {},
  externalURL: "http://alertmanager.example.com:9093",
  alerts: [alert],
  truncatedAlerts: 0,
};
const target: RollbackTarget = { repository: null, environment: "prod", cluster: "prod-eu-1", clusters: ["prod-eu-1"], component: "checkout", alerts: [alert], rule: "slo" };
const change: HistoryChange = {
  sha: "b2b2b2b2b2b2",
  parentSha: "a1a1a1",
  mergedAt: "2026-08-20T09:30:00Z",
  files: ["envs/prod/checkout/deploy.yaml", "envs/prod/checkout/new.yaml", "envs/prod/checkout/gone.yaml", "envs/prod/payments/x.yaml"],
  pullRequest: { number: 42, title: "Bump checkout", url: "https://github.com/acme/gitops/pull/42" },
};
const before = {
  "envs/prod/checkout/deploy.yaml": "image: v1",
  "envs/prod/checkout/gone.yaml": "kind: ConfigMap",
  "envs/prod/checkout/untouched.yaml": "same",
};
const after = {
  "envs/prod/checkout/deploy.yaml": "image: v2",
  "envs/prod/checkout/new.yaml": "kind: HPA",
  "envs/prod/checkout/untouched.yaml": "same",
};
const key = rollbackKey(group, target);
const base = (over: Partial<PlanRevertInput> = {}): PlanRevertInput => ({
  fleet,
  target,
  key,
  trigger: { kind: "alert", group },
  change,
  before,
  after,
  settings: { labels: ["fleetward:rollback"], autoMerge: false },
  ...over,
});

describe("planRevert", () => {
  test("restores modified and removed files and deletes added ones, only within the change's target files", () => {
    const plan = planRevert(base());
    // envs/prod/payments/x.yaml is in the change but not in the target (component checkout).
    expect(plan.changes).toEqual({
      "envs/prod/checkout/deploy.yaml": "image: v1",
      "envs/prod/checkout/gone.yaml": "kind: ConfigMap",
      "envs/prod/checkout/new.yaml": null,
    });
    expect(plan.empty).toBe(false);
    expect(plan.laterEdits).toEqual([]);
  });

  test("a change that lists no files reverts the paths where before and after differ", () => {
    expect(Object.keys(planRevert(base({ change: { ...change, files: [] } })).changes).sort()).toEqual([
      "envs/prod/checkout/deploy.yaml",
      "envs/prod/checkout/gone.yaml",
      "envs/prod/checkout/new.yaml",
    ]);
  });

  test("later unrelated files are untouched; a reverted file edited again is reported", () => {
    const current = { ...after, "envs/prod/checkout/deploy.yaml": "image: v3", "envs/prod/checkout/later.yaml": "new later" };
    const plan = planRevert(base({ current }));
    expect(plan.changes["envs/prod/checkout/later.yaml"]).toBeUndefined();
    expect(plan.laterEdits).toEqual(["envs/prod/checkout/deploy.yaml"]);
    expect(plan.body).toContain("Changed again after the reverted change");
  });

  test("already reverted: nothing to commit", () => {
    const plan = planRevert(base({ current: before }));
    expect(plan.changes).toEqual({});
    expect(plan.empty).toBe(true);
  });

  test("title, branch, labels and body with alert details, links and the reverted change", () => {
    const plan = planRevert(base());
    expect(plan.title).toBe("Roll back checkout in prod-eu-1: CheckoutHighErrorRate");
    expect(plan.branch).toBe(`fleetward/rollback/prod-eu-1/${key.slice(0, 12)}`);
    expect(plan.labels).toEqual(["fleetward:rollback"]);
    expect(plan.autoMerge).toBe(false);
    expect(plan.body).toContain("[runbook](https://runbooks.example.com/checkout)");
    expect(plan.body).toContain("[graph](http://prometheus.example.com:9090/graph?g0.expr=x)");
    expect(plan.body).toContain("Reverts #42 (Bump checkout), merge commit b2b2b2b2b2b2");
    expect(plan.body).toContain("High &lt;b&gt;error&lt;/b&gt; rate \\| bad");
    expect(plan.body).not.toContain("<b>");
    expect(readRollbackMetadata(plan.body)).toEqual({
      v: 1,
      key,
      groupKey: group.groupKey,
      fingerprints: ["3f1c0d9a2b7e4c11"],
      episodes: ["3f1c0d9a2b7e4c11@2026-08-20T10:04:30.123Z"],
      environment: "prod",
      cluster: "prod-eu-1",
      clusters: ["prod-eu-1"],
      component: "checkout",
      revertedSha: "b2b2b2b2b2b2",
      revertedPullRequest: 42,
    });
  });

  test("links with other schemes are not rendered as links", () => {
    const evil = { ...alert, generatorURL: "javascript:alert(1)", annotations: { runbook_url: "data:text/html,x" } };
    const plan = planRevert(base({ target: { ...target, alerts: [evil] } }));
    expect(plan.body).not.toContain("javascript:");
    expect(plan.body).not.toContain("data:text");
  });

  test("without a component in the target the title names the changed components; a /rollback names the pull request", () => {
    const envTarget: RollbackTarget = { ...target, cluster: undefined, clusters: [], component: undefined };
    delete envTarget.cluster;
    delete envTarget.component;
    const withPayments = { ...after, "envs/prod/payments/x.yaml": "added" };
    const plan = planRevert(base({ target: envTarget, after: withPayments, trigger: { kind: "command", actor: "alice", pullRequest: 42 } }));
    expect(plan.title).toBe("Roll back checkout, payments in prod: #42 (requested by @alice)");
    expect(plan.changes["envs/prod/payments/x.yaml"]).toBeNull();
    expect(plan.branch.startsWith("fleetward/rollback/prod/")).toBe(true);
  });

  test("auto-merge and labels come from the settings", () => {
    const plan = planRevert(base({ settings: { labels: ["rollback", "sre"], autoMerge: true } }));
    expect(plan.labels).toEqual(["rollback", "sre"]);
    expect(plan.autoMerge).toBe(true);
    expect(plan.body).toContain("Auto-merge is on");
  });
});
