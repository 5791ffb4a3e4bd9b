import { planFleetStatus } from "../../../src/promotion/fleet-status/plan-fleet-status.js";
import { PROMOTION_GATES_CHECK_NAME } from "../../../src/promotion/evaluate-gates.js";
import { evaluateGates } from "../../../src/promotion/evaluate-gates.js";
import { effectiveSettings } from "../../../src/config/effective-settings.js";
import { TREE, at, fleet, incident, meta, promotionPr, revertPr, statusInput } from "./status-fixture.js";

const cellsOf = (status: ReturnType<typeof planFleetStatus>, component: string) =>
  Object.fromEntries(status.components.find((c) => c.component === component)!.cells.map((c) => [c.column, `${c.text}${c.drift ? " drift" : ""}`]));

test("matrix: columns in environment then wave order; versions from promoted fields (values) and container images (copy)", () => {
  const status = planFleetStatus(statusInput());
  expect(status.problem).toBeNull();
  expect(status.columns.map((c) => [c.key, c.environment, c.wave])).toEqual([
    ["dev", "dev", null],
    ["staging", "staging", null],
    ["prod-eu-1", "prod", "canary"],
    ["prod-eu-2", "prod", "rest"],
    ["prod-us-1", "prod", "rest"],
    ["prod-ap-1", "prod", "rest"],
  ]);
  expect(status.components.map((c) => [c.component, c.strategy])).toEqual([
    ["api", "values"],
    ["payments", "copy"],
  ]);
  const api = status.components[0]!;
  expect(api.cells[0]).toEqual({ column: "dev", present: true, versions: [{ name: "ghcr.io/acme/api", value: "1.2.0" }], text: "1.2.0", folder: "envs/dev/api/", drift: false });
  expect(cellsOf(status, "payments")).toEqual({ dev: "v2", staging: "v2", "prod-eu-1": "v1 drift", "prod-eu-2": "—", "prod-us-1": "—", "prod-ap-1": "—" });
});

test("drift: a column differing from its source environment (a waved source compares with its last wave), linked to the open promotion", () => {
  const open = promotionPr(12, meta({ component: "api", source: "dev", target: "staging", originPr: 3, originSha: "o3", chain: [["dev", "staging", "o3"]] }));
  const status = planFleetStatus(statusInput({ openPromotions: [open] }));
  expect(cellsOf(status, "api")).toEqual({ dev: "1.2.0", staging: "1.1.0 drift", "prod-eu-1": "1.1.0", "prod-eu-2": "—", "prod-us-1": "1.0.0 drift", "prod-ap-1": "—" });
  expect(status.drift.filter((d) => d.component === "api")).toEqual([
    { component: "api", column: "staging", source: "dev", sourceText: "1.2.0", text: "1.1.0", promotion: { number: 12, url: "https://github.com/acme/gitops/pull/12", title: open.title } },
    { component: "api", column: "prod-us-1", source: "staging", sourceText: "1.1.0", text: "1.0.0", promotion: null },
  ]);
});

test("a cluster folder overrides what it names of the environment's shared folder; a shared folder alone reaches every cluster", () => {
  const tree = new Map(TREE);
  tree.set("envs/prod/web/deploy.yaml", "kind: Deployment\nspec: { template: { spec: { containers: [{ name: a, image: 'ghcr.io/acme/web:3.0' }, { name: s, image: 'ghcr.io/acme/sidecar:1.0' }] } } }\n");
  tree.set("clusters/prod-us-1/web/kustomization.yaml", "kind: Kustomization\nimages:\n  - { name: ghcr.io/acme/web, newTag: '3.1' }\n");
  const cells = cellsOf(planFleetStatus(statusInput({ tree })), "web");
  expect(cells).toEqual({ dev: "—", staging: "—", "prod-eu-1": "sidecar=1.0, web=3.0", "prod-eu-2": "sidecar=1.0, web=3.0", "prod-us-1": "sidecar=1.0, web=3.1", "prod-ap-1": "sidecar=1.0, web=3.0" });
});

test("open promotions carry their gates from the fleetward/promotion-gates check run's table", () => {
  const m = meta({ component: "api", source: "staging", target: "prod/canary", originPr: 3, originSha: "o3", chain: [["dev", "staging", "o3"], ["staging", "prod/canary", "s1"]] });
  const evaluation = evaluateGates({
    settings: effectiveSettings(fleet.config, { environment: "prod" }),
    now: new Date(at(0)),
    headSha: "h",
    author: "alice",
    reviews: [],
    teamMembers: {},
    checks: [],
    sourceLiveSince: new Date(at(-90)),
    sourceScopes: ["staging"],
    alerts: [],
    openIncidents: [],
    targetScopes: ["prod"],
  });
  const check = { name: PROMOTION_GATES_CHECK_NAME, status: "completed", conclusion: "action_required", url: "https://github.com/acme/gitops/runs/5", summary: evaluation.checkRun.summary, startedAt: null, completedAt: null };
  const status = planFleetStatus(statusInput({ openPromotions: [promotionPr(20, m, { checks: [check] }), promotionPr(21, { ...m, target: "staging" })] }));
  expect(status.promotions[0]).toMatchObject({
    pr: { number: 20 },
    target: "prod/canary",
    origin: { pr: 3, url: "https://github.com/acme/gitops/pull/3", sha: "o3", author: "alice" },
    gates: {
      state: "pending",
      checkUrl: "https://github.com/acme/gitops/runs/5",
      gates: [
        { name: "approvals", state: "pending", detail: "0 of 1 approvals" },
        { name: "soak", state: "pass", detail: "live in the source for 1h with no alert" },
        { name: "incident", state: "pass", detail: "no open incident for the target" },
      ],
    },
  });
  expect(status.promotions[1]!.gates).toEqual({ state: "unknown", checkUrl: null, gates: [] });
});

test("frozen: an open incident marks its cluster's column and lists the alert with its link; a closed one does not", () => {
  const status = planFleetStatus(statusInput({ incidents: [incident(7, { environment: "prod", cluster: "prod-eu-1" }), incident(8, { environment: "staging", state: "closed" })] }));
  expect(status.columns.filter((c) => c.frozen).map((c) => c.key)).toEqual(["prod-eu-1"]);
  expect(status.frozen).toEqual([
    {
      environment: "prod",
      cluster: "prod-eu-1",
      clusters: ["prod-eu-1"],
      incident: { number: 7, url: "https://github.com/acme/gitops/issues/7", title: "Incident 7" },
      alerts: [{ name: "HighErrorRate", status: "firing", startsAt: at(0), summary: "errors", url: "https://prometheus.example/graph?g0" }],
      reason: `incident #7: HighErrorRate firing in prod-eu-1 since ${at(0)}`,
    },
  ]);
});

test("baking waves: time left on the clock passed in, ready once the bake is over, halted by an alert on the wave's clusters", () => {
  const m = meta({ component: "api", source: "staging", target: "prod/canary", originPr: 3, originSha: "o3", chain: [["staging", "prod/canary", "s1"]] });
  const canary = promotionPr(30, m, { state: "closed", merged: true, mergedAt: at(0), baking: true });
  const notBaking = promotionPr(31, m, { state: "closed", merged: true, mergedAt: at(0) });
  const plan = (minutes: number, alerts = statusInput().alerts) => planFleetStatus(statusInput({ mergedPromotions: [canary, notBaking], now: new Date(at(minutes)), alerts })).baking;
  expect(plan(20)).toEqual([
    { environment: "prod", wave: "canary", nextWave: "rest", component: "api", pr: { number: 30, url: canary.url, title: canary.title }, mergedAt: at(0), bakeUntil: at(60), secondsLeft: 2400, state: "baking", detail: `opens rest at ${at(60)}` },
  ]);
  expect(plan(61)[0]).toMatchObject({ secondsLeft: 0, state: "ready" });
  expect(plan(30, [{ scope: "prod-eu-1", startsAt: new Date(at(10)), endsAt: null }])[0]).toMatchObject({ state: "halted", detail: expect.stringContaining("alert on prod-eu-1") });
});

test("last reverts: newest first, bounded; open, merged and closed told apart", () => {
  const reverts = [revertPr(40, { environment: "prod", cluster: "prod-eu-1", createdAt: at(-60) }), revertPr(41, { environment: "staging", merged: false, createdAt: at(-10) }), revertPr(42, { environment: "prod", createdAt: at(-120) })];
  const status = planFleetStatus(statusInput({ reverts, maxReverts: 2 }));
  expect(status.reverts.map((r) => [r.pr.number, r.state, r.environment, r.cluster, r.revertedPr])).toEqual([
    [41, "open", "staging", null, 3],
    [40, "merged", "prod", "prod-eu-1", 3],
  ]);
});

test("without a valid configuration: the problem, and nothing else", () => {
  const status = planFleetStatus(statusInput({ fleet: null, problem: "no valid `.github/fleetward.yml` on main" }));
  expect(status).toMatchObject({ problem: "no valid `.github/fleetward.yml` on main", columns: [], components: [], promotions: [], delivery: { samples: [] } });
});
