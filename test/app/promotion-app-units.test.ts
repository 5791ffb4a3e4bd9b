/** The pure pieces of the app's promotion code: facts from incidents, replies, the marker check, the reconciler's interval. */
import { markerCheckRun } from "../../src/app/promotion/marker-check-run.js";
import { formatPromoteOutcomes } from "../../src/app/promotion/promote-reply.js";
import { changedComponents, clustersOfScope, inFleetFolders, incidentAlerts, openIncidentsFor } from "../../src/app/promotion/promotion-facts.js";
import { DEFAULT_RECONCILE_INTERVAL_MS, reconcileIntervalMs } from "../../src/app/promotion/start-reconciler.js";
import type { PromotionPlan } from "../../src/promotion/plan-promotions.js";
import { renderMetadata } from "../../src/rollback/rollback-metadata.js";
import { fleetOf } from "../promotion/fixture.js";

const fleet = fleetOf();

function incident(number: number, o: { state?: "open" | "closed"; cluster?: string; clusters?: string[]; status?: "firing" | "resolved"; endsAt?: string | null }) {
  const meta = {
    v: 1,
    key: `k${number}`,
    environment: "prod",
    ...(o.cluster !== undefined ? { cluster: o.cluster } : {}),
    clusters: o.clusters ?? (o.cluster !== undefined ? [o.cluster] : []),
    alerts: [{ fingerprint: "f", alertname: "HighErrors", status: o.status ?? "firing", startsAt: "2026-01-01T01:00:00Z", endsAt: o.endsAt ?? null, groupKey: "g", summary: null, generatorURL: null }],
    reverts: [],
    unfrozen: null,
  };
  return { number, state: o.state ?? "open", body: renderMetadata("incident", meta), author: "fleetward[bot]" };
}

test("clustersOfScope: a cluster, a wave's clusters (by selector), an environment's clusters", () => {
  expect(clustersOfScope(fleet, { environment: "prod", cluster: "prod-us-1" })).toEqual(["prod-us-1"]);
  expect(clustersOfScope(fleet, { environment: "prod", wave: "canary" })).toEqual(["prod-eu-1"]);
  expect(clustersOfScope(fleet, { environment: "prod", wave: "rest" })).toEqual(["prod-eu-2", "prod-us-1", "prod-ap-1"]);
  expect(clustersOfScope(fleet, { environment: "staging" })).toEqual([]);
});

test("incidentAlerts: cluster alerts on their cluster; environment-wide alerts on the environment and every cluster; resolved alerts end", () => {
  const alerts = incidentAlerts(fleet, [incident(1, { cluster: "prod-eu-1" }), incident(2, { state: "closed", status: "resolved", endsAt: "2026-01-01T02:00:00Z" }), { number: 3, state: "open", body: "no metadata" }]);
  expect(alerts.filter((a) => a.endsAt === null).map((a) => a.scope)).toEqual(["prod-eu-1"]);
  const resolved = alerts.filter((a) => a.endsAt !== null);
  expect(resolved.map((a) => a.scope)).toEqual(["prod", "prod-eu-1", "prod-eu-2", "prod-us-1", "prod-ap-1"]);
  expect(resolved[0]!.endsAt!.toISOString()).toBe("2026-01-01T02:00:00.000Z");
});

test("openIncidentsFor: an incident on a canary cluster freezes the canary wave and prod, not the other wave", () => {
  const issues = [incident(7, { cluster: "prod-eu-1" })];
  expect(openIncidentsFor(fleet, issues, { environment: "prod", wave: "canary" })).toEqual([{ scope: "prod", title: expect.stringContaining("incident #7: HighErrors firing in prod-eu-1") }]);
  expect(openIncidentsFor(fleet, issues, { environment: "prod" })).toHaveLength(1);
  expect(openIncidentsFor(fleet, issues, { environment: "prod", wave: "rest" })).toEqual([]);
  expect(openIncidentsFor(fleet, [incident(8, { cluster: "prod-eu-1", state: "closed" })], { environment: "prod" })).toEqual([]);
});

test("inFleetFolders accepts files under environment and cluster roots only", () => {
  const wanted = inFleetFolders(fleet);
  expect(["envs/dev/a/x.yaml", "clusters/prod-eu-1/a/y.yaml", "README.md", ".github/fleetward.yml", "envs/devx/a.yaml"].filter(wanted)).toEqual([
    "envs/dev/a/x.yaml",
    "clusters/prod-eu-1/a/y.yaml",
  ]);
  const onlyA = inFleetFolders(fleet, new Set(["a"]));
  expect(["envs/dev/a/x.yaml", "envs/staging/a/deep/z.yaml", "clusters/prod-eu-1/a/y.yaml", "envs/dev/b/x.yaml", "envs/dev/top.yaml"].filter(onlyA)).toEqual([
    "envs/dev/a/x.yaml",
    "envs/staging/a/deep/z.yaml",
    "clusters/prod-eu-1/a/y.yaml",
  ]);
});

test("changedComponents: the components of changed files, once each; files outside component folders left out", () => {
  expect([...changedComponents(fleet, ["envs/dev/a/x.yaml", "envs/dev/a/y.yaml", "clusters/prod-us-1/b/k.yaml", "README.md"])]).toEqual(["a", "b"]);
});

const plan: PromotionPlan = {
  promotions: [],
  skipped: [{ component: "web", source: "dev", target: "staging", reason: "no-change" }],
  errors: [],
};

test("formatPromoteOutcomes: links, skips with their reason, errors as a refusal", () => {
  const outcome = { component: "api", target: "staging", action: "opened" as const, number: 5, url: "https://github.com/acme/gitops/pull/5", pull: null };
  expect(formatPromoteOutcomes("staging", plan, [outcome])).toBe(
    "🚀 Promotion to `staging`:\n\n- api → `staging`: [#5](https://github.com/acme/gitops/pull/5) opened\n- web → `staging`: already up to date, nothing to promote",
  );
  expect(formatPromoteOutcomes("staging", plan, [])).toBe("Nothing to promote to `staging`:\n\n- web → `staging`: already up to date, nothing to promote");
  expect(formatPromoteOutcomes("moon", { promotions: [], skipped: [], errors: ['unknown promotion target "moon"'] }, [])).toBe('❌ Not promoted: unknown promotion target "moon".');
});

test("markerCheckRun is neutral and lists what the commit's promotions did", () => {
  const run = markerCheckRun("abc", plan, [{ component: "api", target: "staging", action: "updated", number: 5, url: "u", pull: null }]);
  expect(run).toMatchObject({ name: "fleetward/promotion", headSha: "abc", conclusion: "neutral", title: "1 promotion opened or updated" });
  expect(run.summary).toBe("- api → `staging`: [#5](u) updated (superseded)\n- web → `staging`: skipped (no-change)");
  expect(markerCheckRun("abc", { promotions: [], skipped: [], errors: [] }, []).summary).toBe("This commit changes nothing that is promoted.");
});

test("reconcileIntervalMs: default 5 minutes, off in tests unless set, durations, off switches, bad values throw", () => {
  expect(reconcileIntervalMs({})).toBe(DEFAULT_RECONCILE_INTERVAL_MS);
  expect(reconcileIntervalMs({ NODE_ENV: "test" })).toBeNull();
  expect(reconcileIntervalMs({ NODE_ENV: "test", FLEETWARD_RECONCILE_INTERVAL: "90s" })).toBe(90_000);
  expect(reconcileIntervalMs({ FLEETWARD_RECONCILE_INTERVAL: "1h30m" })).toBe(5_400_000);
  expect(reconcileIntervalMs({ FLEETWARD_RECONCILE_INTERVAL: "off" })).toBeNull();
  expect(reconcileIntervalMs({ FLEETWARD_RECONCILE_INTERVAL: "0" })).toBeNull();
  expect(() => reconcileIntervalMs({ FLEETWARD_RECONCILE_INTERVAL: "soon" })).toThrow(/^FLEETWARD_RECONCILE_INTERVAL: /);
});
