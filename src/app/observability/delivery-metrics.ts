/**
 * DORA-style delivery metrics on `/metrics` (definitions in docs/promotion.md, "Delivery metrics"), computed from
 * GitHub data at scrape time — each installed repository's `FleetStatus.delivery` — and cached for `ttlMs`
 * (default 5 minutes), so every replica exports the same values. Labels are bounded: environment names from the
 * configuration, the five gate names, the stage (`arrival`, `complete`). No repository, PR or SHA labels.
 */
import { Gauge, Histogram } from "prom-client";
import type { Logger } from "pino";
import { firstPerChange } from "../../promotion/fleet-status/first-per-change.js";
import type { DeliveryMetrics } from "../../promotion/fleet-status/fleet-status-types.js";
import type { FleetwardMetrics } from "./metrics-registry.js";

/** Seconds: one minute to two weeks. */
export const LEAD_TIME_BUCKETS = [60, 300, 900, 1800, 3600, 2 * 3600, 4 * 3600, 8 * 3600, 86_400, 2 * 86_400, 7 * 86_400, 14 * 86_400];

/** The observations of one scrape, over every repository's delivery metrics. */
export interface DeliveryObservations {
  leadTimes: { environment: string; stage: "arrival" | "complete"; seconds: number }[];
  gateBlocked: { environment: string; gate: string; seconds: number }[];
  revertRate: Map<string, { promotions: number; reverts: number }>;
}

/** Pure: lead times per change (first arrival, first complete), each gate's blocked time, reverts per environment. */
export function deliveryObservations(repos: readonly DeliveryMetrics[]): DeliveryObservations {
  const out: DeliveryObservations = { leadTimes: [], gateBlocked: [], revertRate: new Map() };
  for (const d of repos) {
    for (const [stage, keep] of [["arrival", () => true], ["complete", (s: DeliveryMetrics["samples"][number]) => s.complete]] as const) {
      for (const [environment, values] of firstPerChange(d.samples, keep)) for (const seconds of values) out.leadTimes.push({ environment, stage, seconds });
    }
    for (const g of d.gateBlockedSamples ?? []) out.gateBlocked.push({ environment: g.environment, gate: g.gate, seconds: g.seconds });
    for (const r of d.revertRate) {
      const sum = out.revertRate.get(r.environment) ?? { promotions: 0, reverts: 0 };
      out.revertRate.set(r.environment, { promotions: sum.promotions + r.promotions, reverts: sum.reverts + r.reverts });
    }
  }
  return out;
}

/**
 * Registers `fleetward_delivery_lead_time_seconds{environment,stage}`, `fleetward_delivery_gate_blocked_seconds{environment,gate}`
 * (histograms rebuilt from `read` at each scrape, cached `ttlMs`) and `fleetward_delivery_revert_rate{environment}`.
 * A failed read keeps the last values and counts `fleetward_delivery_read_errors_total`.
 */
export function registerDeliveryMetrics(metrics: FleetwardMetrics, read: () => Promise<DeliveryMetrics[]>, options: { ttlMs?: number; now?: () => number; log?: Logger } = {}): void {
  const ttlMs = options.ttlMs ?? 5 * 60_000;
  const now = options.now ?? Date.now;
  const errors = metrics.counter("fleetward_delivery_read_errors_total", "Scrape-time reads of delivery data from GitHub that failed (the delivery metrics kept their last values).");
  let cached: { at: number; value: DeliveryObservations } | null = null;
  let pending: Promise<DeliveryObservations> | null = null;
  const observations = async (): Promise<DeliveryObservations> => {
    if (cached && now() - cached.at < ttlMs) return cached.value;
    pending ??= read()
      .then((repos) => {
        cached = { at: now(), value: deliveryObservations(repos) };
        return cached.value;
      })
      .catch((error: unknown) => {
        errors.inc();
        options.log?.warn({ err: error }, "delivery metrics for /metrics could not be read");
        return cached?.value ?? deliveryObservations([]);
      })
      .finally(() => {
        pending = null;
      });
    return pending;
  };
  const names = ["fleetward_delivery_lead_time_seconds", "fleetward_delivery_gate_blocked_seconds", "fleetward_delivery_revert_rate"];
  // The newest app's reader wins (a process may load the app again, as tests do).
  for (const name of names) metrics.registry.removeSingleMetric(name);
  const histogram = <L extends string>(name: string, help: string, labelNames: L[], values: (o: DeliveryObservations) => { labels: Record<L, string>; seconds: number }[]) =>
    new Histogram<L>({
      name,
      help,
      labelNames,
      buckets: LEAD_TIME_BUCKETS,
      registers: [metrics.registry],
      async collect() {
        const o = await observations();
        this.reset();
        for (const v of values(o)) this.observe(v.labels, v.seconds);
      },
    });
  histogram(
    "fleetward_delivery_lead_time_seconds",
    "Lead time from a change's merge to its arrival in an environment (stage=arrival) and in the environment's last wave (stage=complete), per change, merged promotions of the last 30 days (read from GitHub, cached).",
    ["environment", "stage"],
    (o) => o.leadTimes.map((l) => ({ labels: { environment: l.environment, stage: l.stage }, seconds: l.seconds })),
  );
  histogram(
    "fleetward_delivery_gate_blocked_seconds",
    "Time each promotion gate was not passing between a promotion pull request's opening and its merge, per merged promotion of the last 30 days (read from GitHub, cached).",
    ["environment", "gate"],
    (o) => o.gateBlocked.map((g) => ({ labels: { environment: g.environment, gate: g.gate }, seconds: g.seconds })),
  );
  new Gauge<"environment">({
    name: "fleetward_delivery_revert_rate",
    help: "Merged reverts per change promoted into the environment, last 30 days (read from GitHub, cached); absent without promotions.",
    labelNames: ["environment"],
    registers: [metrics.registry],
    async collect() {
      const o = await observations();
      this.reset();
      for (const [environment, r] of o.revertRate) if (r.promotions > 0) this.set({ environment }, r.reverts / r.promotions);
    },
  });
}
