import { deliveryMetrics, summarize } from "../../../src/promotion/fleet-status/delivery-metrics.js";
import { gateBlockedSeconds } from "../../../src/promotion/fleet-status/gate-blocked-time.js";
import { at, fleet, incident, meta, promotionPr, revertPr } from "./status-fixture.js";

const HOUR = 3600;

/** One change (origin merged at 0) through staging (+60m), prod/canary (+180m) and prod/rest (+300m). */
function journey(originSha: string, offset = 0) {
  // Each hop records the commit that went live in its source: the origin, then the previous hop's merge.
  const chain: Array<[string, string, string]> = [];
  const hop = (n: number, target: string, source: string, openedAt: number, mergedAt: number) => {
    chain.push([source, target, source === "dev" ? originSha : `${originSha}@${source}`]);
    return promotionPr(n, meta({ component: "api", source, target, originPr: 3, originSha, chain: [...chain] }), { state: "closed", merged: true, createdAt: at(offset + openedAt), mergedAt: at(offset + mergedAt) });
  };
  return [hop(10 + offset, "staging", "dev", 1, 60), hop(11 + offset, "prod/canary", "staging", 61, 180), hop(12 + offset, "prod/rest", "prod/canary", 181, 300)];
}

test("summaries: nearest-rank median and p90, empty sets have none", () => {
  expect(summarize([5, 1, 3, 2, 4])).toEqual({ count: 5, medianSeconds: 3, p90Seconds: 5, maxSeconds: 5 });
  expect(summarize([])).toEqual({ count: 0, medianSeconds: null, p90Seconds: null, maxSeconds: null });
});

test("lead time: from the origin merge to the arrival in each environment and to its last wave; the fleet is complete at the last wave of the last environment", () => {
  const prs = [...journey("o1"), ...journey("o2", 1000).slice(0, 2)];
  const dates = new Map([["o1", at(0)], ["o2", at(1000)]]);
  const d = deliveryMetrics({ fleet, mergedPromotions: prs, reverts: [], incidents: [], alerts: [], commitDates: dates, since: new Date(at(-60)) });
  expect(d.samples.map((s) => [s.pr, s.environment, s.target, s.seconds, s.complete])).toEqual([
    [10, "staging", "staging", HOUR, true],
    [11, "prod", "prod/canary", 3 * HOUR, false],
    [12, "prod", "prod/rest", 5 * HOUR, true],
    [1010, "staging", "staging", HOUR, true],
    [1011, "prod", "prod/canary", 3 * HOUR, false],
  ]);
  expect(d.leadTime).toEqual([
    { environment: "staging", arrival: summarize([HOUR, HOUR]), complete: summarize([HOUR, HOUR]) },
    { environment: "prod", arrival: summarize([3 * HOUR, 3 * HOUR]), complete: summarize([5 * HOUR]) },
  ]);
  expect(d.fleetComplete).toEqual(summarize([5 * HOUR]));
});

test("the window: promotions merged before `since` and origins of unknown date are left out", () => {
  const d = deliveryMetrics({ fleet, mergedPromotions: journey("o1"), reverts: [], incidents: [], alerts: [], commitDates: new Map([["o1", at(0)]]), since: new Date(at(100)) });
  expect(d.samples.map((s) => s.pr)).toEqual([11, 12]);
  expect(deliveryMetrics({ fleet, mergedPromotions: journey("o1"), reverts: [], incidents: [], alerts: [], commitDates: new Map(), since: new Date(at(-60)) }).samples).toEqual([]);
});

test("revert rate per environment: merged reverts in the window per change promoted there", () => {
  const reverts = [revertPr(50, { environment: "prod", cluster: "prod-eu-1", createdAt: at(400) }), revertPr(51, { environment: "prod", merged: false, createdAt: at(410) }), revertPr(52, { environment: "staging", createdAt: at(-500) })];
  const prs = [...journey("o1"), ...journey("o2", 1000)];
  const d = deliveryMetrics({ fleet, mergedPromotions: prs, reverts, incidents: [], alerts: [], commitDates: new Map([["o1", at(0)], ["o2", at(1000)]]), since: new Date(at(-60)) });
  expect(d.revertRate).toEqual([
    { environment: "dev", promotions: 0, reverts: 0, rate: null },
    { environment: "staging", promotions: 2, reverts: 0, rate: 0 },
    { environment: "prod", promotions: 2, reverts: 1, rate: 0.5 },
  ]);
});

test("time blocked by each gate: approvals until the approval, soak until an hour after the source merge, incident while one is open", () => {
  const canary = journey("o1")[1]!; // opened at 61, merged at 180, into prod (approvals 1, soak 1h)
  canary.reviews = [
    { user: "bob", state: "COMMENTED", submittedAt: at(70) },
    { user: "bob", state: "APPROVED", submittedAt: at(100) },
  ];
  const dates = new Map([["o1", at(0)], ["o1@staging", at(60)]]);
  const metaOf = (pr: typeof canary) => JSON.parse(/fleetward:promotion (\{.*\}) -->/.exec(pr.body)![1]!);
  // The source (staging) went live when the staging hop merged (60): soak passes at 120.
  const quiet = gateBlockedSeconds({ fleet, pr: canary, meta: metaOf(canary), incidents: [], alerts: [], commitDates: dates });
  expect(quiet).toEqual({ approvals: 39 * 60, soak: 59 * 60, incident: 0 });
  const frozen = incident(9, { environment: "prod", cluster: "prod-eu-1", createdAt: at(150), closedAt: at(165), state: "closed" });
  const withIncident = gateBlockedSeconds({ fleet, pr: canary, meta: metaOf(canary), incidents: [frozen], alerts: [], commitDates: dates });
  expect(withIncident).toEqual({ approvals: 39 * 60, soak: 59 * 60, incident: 15 * 60 });
  // An incident on the other wave's cluster does not block the canary.
  const elsewhere = incident(10, { environment: "prod", cluster: "prod-us-1", createdAt: at(150), closedAt: at(165), state: "closed" });
  expect(gateBlockedSeconds({ fleet, pr: canary, meta: metaOf(canary), incidents: [elsewhere], alerts: [], commitDates: dates })?.incident).toBe(0);

  const d = deliveryMetrics({ fleet, mergedPromotions: [canary], reverts: [], incidents: [frozen], alerts: [], commitDates: dates, since: new Date(at(-60)) });
  expect(d.gateBlocked).toEqual([
    { environment: "prod", gate: "approvals", summary: summarize([39 * 60]), totalSeconds: 39 * 60 },
    { environment: "prod", gate: "incident", summary: summarize([15 * 60]), totalSeconds: 15 * 60 },
    { environment: "prod", gate: "soak", summary: summarize([59 * 60]), totalSeconds: 59 * 60 },
  ]);
});
