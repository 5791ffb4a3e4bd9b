/**
 * DORA-style delivery metrics from GitHub data (docs/promotion.md, "Delivery metrics"): lead time from a change's
 * merge to its arrival in each environment and in its last wave, time blocked by each gate, revert rate per
 * environment. Pure: merged promotion pull requests (metadata, merge times), commit dates, incidents, reverts.
 */
import type { Fleet } from "../../fleet/build-fleet.js";
import { readRollbackMetadata } from "../../rollback/rollback-metadata.js";
import type { AlertFact } from "../evaluate-gates.js";
import { parsePromotionMetadata } from "../parse-promotion-metadata.js";
import { resolveScope } from "../promotion-hops.js";
import { resolveWaves } from "../resolve-waves.js";
import type { StatusIncident, StatusPullRequest, StatusRevert } from "./fleet-status-input.js";
import type { DeliveryMetrics, DurationSummary, LeadTimeSample } from "./fleet-status-types.js";
import { gateBlockedSeconds } from "./gate-blocked-time.js";
import { firstPerChange } from "./first-per-change.js";

export interface DeliveryMetricsInput {
  fleet: Fleet;
  mergedPromotions: readonly StatusPullRequest[];
  reverts: readonly StatusRevert[];
  incidents: readonly StatusIncident[];
  alerts: readonly AlertFact[];
  commitDates: ReadonlyMap<string, string>;
  since: Date;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? null;
}

export function summarize(values: readonly number[]): DurationSummary {
  const sorted = [...values].sort((a, b) => a - b);
  return { count: sorted.length, medianSeconds: percentile(sorted, 0.5), p90Seconds: percentile(sorted, 0.9), maxSeconds: sorted[sorted.length - 1] ?? null };
}

const inWindow = (iso: string | null, since: Date): iso is string => iso !== null && Date.parse(iso) >= since.getTime();

/** Whether a scope is where the environment's rollout ends: its last wave, or the environment itself without waves. */
function completes(fleet: Fleet, scope: { environment: string; wave?: string; cluster?: string }): boolean {
  if (scope.cluster !== undefined) return false;
  const waves = resolveWaves(fleet, scope.environment);
  return waves.length === 0 ? scope.wave === undefined : scope.wave === waves[waves.length - 1]?.name;
}

/** Lead time samples: one per merged promotion whose origin merge time is known. */
export function leadTimeSamples(fleet: Fleet, prs: readonly StatusPullRequest[], commitDates: ReadonlyMap<string, string>): LeadTimeSample[] {
  const out: LeadTimeSample[] = [];
  for (const pr of prs) {
    const meta = parsePromotionMetadata(pr.body);
    const scope = meta ? resolveScope(fleet, meta.target) : null;
    const origin = meta ? commitDates.get(meta.origin.sha) : undefined;
    if (!meta || !scope || !pr.merged || pr.mergedAt === null || origin === undefined) continue;
    const seconds = (Date.parse(pr.mergedAt) - Date.parse(origin)) / 1000;
    if (!Number.isFinite(seconds) || seconds < 0) continue;
    out.push({ component: meta.component, environment: scope.environment, target: meta.target, originPr: meta.origin.pr, originSha: meta.origin.sha, pr: pr.number, seconds, complete: completes(fleet, scope) });
  }
  return out.sort((a, b) => a.pr - b.pr);
}

export function deliveryMetrics(input: DeliveryMetricsInput): DeliveryMetrics {
  const { fleet } = input;
  const merged = input.mergedPromotions.filter((p) => p.merged && inWindow(p.mergedAt, input.since));
  const samples = leadTimeSamples(fleet, merged, input.commitDates);
  const arrival = firstPerChange(samples, () => true);
  const complete = firstPerChange(samples, (s) => s.complete);
  const promoted = fleet.environments.filter((e) => e.promotedFrom !== null).map((e) => e.name);
  const leadTime = promoted.map((environment) => ({ environment, arrival: summarize(arrival.get(environment) ?? []), complete: summarize(complete.get(environment) ?? []) }));
  const last = fleet.environments.filter((e) => e.promotedFrom !== null && e.promotesTo.length === 0).map((e) => e.name);
  const fleetComplete = summarize(last.flatMap((e) => complete.get(e) ?? []));

  const blocked = new Map<string, number[]>();
  const gateBlockedSamples: NonNullable<DeliveryMetrics["gateBlockedSamples"]> = [];
  for (const pr of merged) {
    const meta = parsePromotionMetadata(pr.body);
    const environment = meta ? resolveScope(fleet, meta.target)?.environment : undefined;
    const seconds = meta && environment ? gateBlockedSeconds({ fleet, pr, meta, incidents: input.incidents, alerts: input.alerts, commitDates: input.commitDates }) : null;
    if (!seconds || environment === undefined) continue;
    for (const [gate, s] of Object.entries(seconds)) {
      const key = `${environment}\0${gate}`;
      blocked.set(key, [...(blocked.get(key) ?? []), s]);
      gateBlockedSamples.push({ pr: pr.number, environment, gate, seconds: s });
    }
  }
  const gateBlocked = [...blocked]
    .map(([key, values]) => {
      const [environment = "", gate = ""] = key.split("\0");
      return { environment, gate, summary: summarize(values), totalSeconds: values.reduce((a, b) => a + b, 0) };
    })
    .sort((a, b) => a.environment.localeCompare(b.environment) || a.gate.localeCompare(b.gate));

  const revertRate = fleet.environments.map((env) => {
    const changes = new Set(samples.filter((s) => s.environment === env.name).map((s) => `${s.component}\0${s.originSha}`));
    const reverts = input.reverts.filter((r) => r.merged && inWindow(r.mergedAt, input.since) && readRollbackMetadata(r.body)?.environment === env.name).length;
    return { environment: env.name, promotions: changes.size, reverts, rate: changes.size === 0 ? null : reverts / changes.size };
  });
  return { since: input.since.toISOString(), samples, leadTime, fleetComplete, gateBlocked, gateBlockedSamples, revertRate };
}
