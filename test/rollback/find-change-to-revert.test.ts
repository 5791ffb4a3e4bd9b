import { findChangeToRevert } from "../../src/rollback/find-change-to-revert.js";
import type { HistoryChange } from "../../src/rollback/find-change-to-revert.js";
import { makeRollbackFleet } from "./make-rollback-fleet.js";

const { fleet } = makeRollbackFleet();
const DAY = 86_400_000;
const euCheckout = { environment: "prod", cluster: "prod-eu-1", clusters: ["prod-eu-1"], component: "checkout" };
const startsAt = "2026-08-20T10:04:30.123Z";

function change(sha: string, mergedAt: string, files: string[], extra: Partial<HistoryChange> = {}): HistoryChange {
  return { sha, parentSha: `${sha}-parent`, mergedAt, files, ...extra };
}

describe("findChangeToRevert", () => {
  test("picks the latest change to the target merged before the alert started", () => {
    const history = [
      change("a1", "2026-08-19T09:00:00Z", ["clusters/prod-eu-1/checkout/deploy.yaml"]),
      change("b2", "2026-08-20T09:30:00Z", ["envs/prod/checkout/deploy.yaml"], { pullRequest: { number: 42, title: "Bump checkout" } }),
      change("c3", "2026-08-20T10:30:00Z", ["envs/prod/checkout/deploy.yaml"]),
    ];
    const r = findChangeToRevert({ fleet, target: euCheckout, startsAt, lookbackMs: 7 * DAY, history });
    if (!r.found) throw new Error(r.explanation);
    expect(r.change.sha).toBe("b2");
    expect(r.files).toEqual(["envs/prod/checkout/deploy.yaml"]);
    expect(r.explanation).toContain("#42 (Bump checkout, b2)");
    expect(r.explanation).toContain("1 later change(s) are after the alert started");
  });

  test("changes outside the target (other cluster, other component, other environment) are not candidates", () => {
    const history = [
      change("ok", "2026-08-18T00:00:00Z", ["envs/prod/checkout/a.yaml"]),
      change("us", "2026-08-20T09:00:00Z", ["clusters/prod-us-1/checkout/a.yaml"]),
      change("pay", "2026-08-20T09:10:00Z", ["envs/prod/payments/a.yaml"]),
      change("stg", "2026-08-20T09:20:00Z", ["envs/staging/checkout/a.yaml"]),
    ];
    const r = findChangeToRevert({ fleet, target: euCheckout, startsAt, lookbackMs: 7 * DAY, history });
    expect(r.found && r.change.sha).toBe("ok");
  });

  test("per-commit files count: a pull request whose commits touched the target is a candidate", () => {
    const pr = change("m1", "2026-08-20T08:00:00Z", [], { commits: [{ sha: "x", files: ["./clusters/prod-eu-1/checkout/hpa.yaml"] }] });
    const r = findChangeToRevert({ fleet, target: euCheckout, startsAt, lookbackMs: DAY, history: [pr] });
    expect(r.found && r.files).toEqual(["clusters/prod-eu-1/checkout/hpa.yaml"]);
  });

  test("a change older than the look-back is not chosen, and the explanation says so", () => {
    const history = [change("old", "2026-08-10T00:00:00Z", ["envs/prod/checkout/a.yaml"])];
    const r = findChangeToRevert({ fleet, target: euCheckout, startsAt, lookbackMs: 7 * DAY, history });
    expect(r).toMatchObject({ found: false, reason: "outside_lookback" });
    expect(r.explanation).toContain("commit old at 2026-08-10T00:00:00.000Z");
    // The same change inside a longer look-back is chosen.
    expect(findChangeToRevert({ fleet, target: euCheckout, startsAt, lookbackMs: 14 * DAY, history }).found).toBe(true);
  });

  test("an alert that started before any change has nothing to revert", () => {
    const history = [change("late", "2026-08-20T11:00:00Z", ["envs/prod/checkout/a.yaml"])];
    expect(findChangeToRevert({ fleet, target: euCheckout, startsAt, lookbackMs: 7 * DAY, history })).toMatchObject({ found: false, reason: "after_alert" });
    expect(findChangeToRevert({ fleet, target: euCheckout, startsAt, lookbackMs: 7 * DAY, history: [] })).toMatchObject({ found: false, reason: "no_change" });
  });

  test("a change merged exactly when the alert started counts; equal merge times keep the first listed", () => {
    const history = [change("first", startsAt, ["envs/prod/checkout/a.yaml"]), change("second", startsAt, ["envs/prod/checkout/b.yaml"])];
    const r = findChangeToRevert({ fleet, target: euCheckout, startsAt, lookbackMs: DAY, history });
    expect(r.found && r.change.sha).toBe("first");
  });

  test("Fleetward's own rollback pull requests are never the cause", () => {
    const history = [
      change("good", "2026-08-20T08:00:00Z", ["envs/prod/checkout/a.yaml"]),
      change("rb", "2026-08-20T09:00:00Z", ["envs/prod/checkout/a.yaml"], {
        pullRequest: { number: 7, title: "Roll back", headRef: "fleetward/rollback/prod-eu-1/abc" },
      }),
    ];
    expect(findChangeToRevert({ fleet, target: euCheckout, startsAt, lookbackMs: DAY, history })).toMatchObject({ found: true, change: { sha: "good" } });
  });

  test("bad dates never throw", () => {
    expect(findChangeToRevert({ fleet, target: euCheckout, startsAt: "soon", lookbackMs: DAY, history: [] })).toMatchObject({ found: false, reason: "invalid_start" });
    const r = findChangeToRevert({ fleet, target: euCheckout, startsAt, lookbackMs: DAY, history: [change("x", "garbage", ["envs/prod/checkout/a.yaml"])] });
    expect(r).toMatchObject({ found: false, reason: "no_change" });
  });

  test("an environment-wide target without component takes any file of the environment and its clusters", () => {
    const history = [change("us", "2026-08-20T09:00:00Z", ["clusters/prod-us-1/x/a.yaml"])];
    const r = findChangeToRevert({ fleet, target: { environment: "prod", clusters: [] }, startsAt, lookbackMs: DAY, history });
    expect(r.found && r.change.sha).toBe("us");
  });
});

test("a change that reached the target through a promotion pull request is the cause like any other merge", () => {
  const history = [
    change("direct", "2026-08-20T08:00:00Z", ["envs/prod/checkout/a.yaml"]),
    change("promo", "2026-08-20T09:00:00Z", ["envs/prod/checkout/a.yaml"], {
      pullRequest: { number: 8, title: "Promote checkout from staging to prod (#5)", headRef: "fleetward/promote/checkout/prod", author: "fleetward[bot]" },
    }),
  ];
  const r = findChangeToRevert({ fleet, target: euCheckout, startsAt, lookbackMs: DAY, history });
  expect(r).toMatchObject({ found: true, change: { sha: "promo", pullRequest: { number: 8 } } });
});
