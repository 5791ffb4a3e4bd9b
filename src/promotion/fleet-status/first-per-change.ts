/** Lead-time samples reduced to one per change: pure, and free of the config schema (the /metrics exporter takes it at start). */
import type { LeadTimeSample } from "./fleet-status-types.js";

/** The earliest sample of each change (component + origin) matching `keep`, per environment. */
export function firstPerChange(samples: readonly LeadTimeSample[], keep: (s: LeadTimeSample) => boolean): Map<string, number[]> {
  const best = new Map<string, LeadTimeSample>();
  for (const s of samples.filter(keep)) {
    const key = `${s.environment}\0${s.component}\0${s.originSha}`;
    const known = best.get(key);
    if (!known || s.seconds < known.seconds) best.set(key, s);
  }
  const out = new Map<string, number[]>();
  for (const s of best.values()) out.set(s.environment, [...(out.get(s.environment) ?? []), s.seconds]);
  return out;
}
