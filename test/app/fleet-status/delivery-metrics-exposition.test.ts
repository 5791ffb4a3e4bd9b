/** The delivery metrics on a real prom-client registry, read back with the text-format parser. */
import { registerDeliveryMetrics } from "../../../src/app/observability/delivery-metrics.js";
import { FleetwardMetrics } from "../../../src/app/observability/metrics-registry.js";
import type { DeliveryMetrics, LeadTimeSample } from "../../../src/promotion/fleet-status/fleet-status-types.js";
import { parseExposition, sumOf, valueOf } from "../observability/prom-text.js";

const sample = (pr: number, originSha: string, environment: string, target: string, seconds: number, complete: boolean): LeadTimeSample => ({ component: "api", environment, target, originPr: 1, originSha, pr, seconds, complete });
const none = { count: 0, medianSeconds: null, p90Seconds: null, maxSeconds: null };

function repo(samples: LeadTimeSample[], o: Partial<DeliveryMetrics> = {}): DeliveryMetrics {
  return { since: "2026-01-01T00:00:00.000Z", samples, leadTime: [], fleetComplete: none, gateBlocked: [], gateBlockedSamples: [], revertRate: [], ...o };
}

const REPOS = [
  repo([sample(1, "a", "prod", "prod/canary", 3 * 3600, false), sample(2, "a", "prod", "prod/rest", 5 * 3600, true), sample(3, "a", "staging", "staging", 600, true)], {
    gateBlockedSamples: [{ pr: 1, environment: "prod", gate: "approvals", seconds: 1800 }, { pr: 1, environment: "prod", gate: "soak", seconds: 0 }],
    revertRate: [{ environment: "prod", promotions: 1, reverts: 1, rate: 1 }, { environment: "staging", promotions: 1, reverts: 0, rate: 0 }, { environment: "dev", promotions: 0, reverts: 0, rate: null }],
  }),
  repo([sample(7, "b", "prod", "prod/canary", 2 * 3600, false)], { revertRate: [{ environment: "prod", promotions: 3, reverts: 0, rate: 0 }] }),
];

test("lead time per change and stage, blocked time per gate, revert rate per environment; read once per ttl", async () => {
  const metrics = new FleetwardMetrics({ processMetrics: false });
  let reads = 0;
  let clock = 0;
  registerDeliveryMetrics(metrics, async () => (reads++, REPOS), { ttlMs: 1000, now: () => clock });
  const scrape = async () => parseExposition((await metrics.exposition()).body);
  const e = await scrape();
  expect(e.types.get("fleetward_delivery_lead_time_seconds")).toBe("histogram");
  // prod: change a arrived at 3h (canary) and completed at 5h; change b arrived at 2h.
  expect(valueOf(e, "fleetward_delivery_lead_time_seconds_count", { environment: "prod", stage: "arrival" })).toBe(2);
  expect(valueOf(e, "fleetward_delivery_lead_time_seconds_sum", { environment: "prod", stage: "arrival" })).toBe(5 * 3600);
  expect(valueOf(e, "fleetward_delivery_lead_time_seconds_bucket", { environment: "prod", stage: "arrival", le: "7200" })).toBe(1);
  expect(valueOf(e, "fleetward_delivery_lead_time_seconds_sum", { environment: "prod", stage: "complete" })).toBe(5 * 3600);
  expect(valueOf(e, "fleetward_delivery_lead_time_seconds_count", { environment: "staging", stage: "complete" })).toBe(1);
  expect(valueOf(e, "fleetward_delivery_gate_blocked_seconds_sum", { environment: "prod", gate: "approvals" })).toBe(1800);
  expect(valueOf(e, "fleetward_delivery_gate_blocked_seconds_count", { environment: "prod", gate: "soak" })).toBe(1);
  expect(valueOf(e, "fleetward_delivery_revert_rate", { environment: "prod" })).toBe(0.25);
  expect(valueOf(e, "fleetward_delivery_revert_rate", { environment: "staging" })).toBe(0);
  expect(valueOf(e, "fleetward_delivery_revert_rate", { environment: "dev" })).toBeUndefined();
  // Labels stay bounded: no repository, pull request or SHA.
  const labels = new Set(e.samples.filter((s) => s.name.startsWith("fleetward_delivery_")).flatMap((s) => Object.keys(s.labels)));
  expect([...labels].sort()).toEqual(["environment", "gate", "le", "stage"]);

  // A second scrape within the ttl reads nothing and reports the same values (the histograms are rebuilt, not added to).
  const again = await scrape();
  expect(reads).toBe(1);
  expect(sumOf(again, "fleetward_delivery_lead_time_seconds_count")).toBe(sumOf(e, "fleetward_delivery_lead_time_seconds_count"));
  clock = 1001;
  await scrape();
  expect(reads).toBe(2);
});

test("a failed read keeps the last values and counts the error", async () => {
  const metrics = new FleetwardMetrics({ processMetrics: false });
  let fail = false;
  let clock = 0;
  registerDeliveryMetrics(metrics, async () => {
    if (fail) throw new Error("GitHub is down");
    return REPOS;
  }, { ttlMs: 10, now: () => clock });
  await metrics.exposition();
  fail = true;
  clock = 100;
  const e = parseExposition((await metrics.exposition()).body);
  expect(valueOf(e, "fleetward_delivery_revert_rate", { environment: "prod" })).toBe(0.25);
  // prom-client reads every metric at once, so the counter shows the failure from the next scrape on.
  clock = 200;
  const next = parseExposition((await metrics.exposition()).body);
  expect(valueOf(next, "fleetward_delivery_read_errors_total")).toBe(1);
  expect(valueOf(next, "fleetward_delivery_lead_time_seconds_count", { environment: "prod", stage: "arrival" })).toBe(2);
});
