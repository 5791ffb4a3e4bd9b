/**
 * When the next wave of an environment opens: after the previous wave's promotion merged and its bake time
 * passed with no alert on its clusters.
 */
import type { Fleet } from "../fleet/build-fleet.js";
import type { AlertFact } from "./evaluate-gates.js";
import { resolveWaves } from "./resolve-waves.js";

export interface MergedWave {
  wave: string;
  mergedAt: Date;
}

export interface PlanNextWaveInput {
  fleet: Fleet;
  environment: string;
  /** The wave promotions of this change that have merged, by wave name. */
  merged: readonly MergedWave[];
  now: Date;
  /** Alerts by cluster name (`scope`). */
  alerts: readonly AlertFact[];
}

export type NextWaveDecision =
  /** Open the promotion into `wave` now (hop `environment/from` → `environment/wave`). */
  | { action: "open"; from: string; wave: string }
  /** Bake in progress: look again at `recheckAt`. */
  | { action: "wait"; from: string; wave: string; recheckAt: Date }
  /** An alert fired on the baking wave's clusters: the rollout stops until a human acts. */
  | { action: "halt"; from: string; wave: string; detail: string }
  /** Every wave has merged, or the environment has no waves, or none merged yet. */
  | { action: "none"; detail: string };

/** Decides about the wave after the last merged one (waves merge in order; later merges without earlier ones are ignored). */
export function planNextWave(input: PlanNextWaveInput): NextWaveDecision {
  const waves = resolveWaves(input.fleet, input.environment);
  if (waves.length === 0) return { action: "none", detail: `${input.environment} has no waves` };
  const mergedAt = new Map(input.merged.map((m) => [m.wave, m.mergedAt]));
  let last = -1;
  while (last + 1 < waves.length && mergedAt.has(waves[last + 1]?.name ?? "")) last++;
  if (last < 0) return { action: "none", detail: `the first wave ${waves[0]?.name ?? ""} has not merged` };
  const baking = waves[last];
  const next = waves[last + 1];
  if (!baking || !next) return { action: "none", detail: "every wave has merged" };
  const since = mergedAt.get(baking.name)?.getTime() ?? 0;
  const now = input.now.getTime();
  const clusters = new Set(baking.clusters);
  const alert = input.alerts.find((a) => clusters.has(a.scope) && a.startsAt.getTime() <= now && (a.endsAt === null || a.endsAt.getTime() > since));
  if (alert) {
    return { action: "halt", from: baking.name, wave: next.name, detail: `alert on ${alert.scope} since ${alert.startsAt.toISOString()} during the bake of ${baking.name}` };
  }
  const until = since + baking.bakeMs;
  if (now >= until) return { action: "open", from: baking.name, wave: next.name };
  return { action: "wait", from: baking.name, wave: next.name, recheckAt: new Date(until) };
}
