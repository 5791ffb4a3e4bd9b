/**
 * An analysis run as Argo Rollouts runs an AnalysisRun: measurements every `interval` until `count` are in;
 * more than `failureLimit` failed ones fail it, more than `inconclusiveLimit` inconclusive ones make it
 * inconclusive; Prometheus errors that last `errorTimeout` fail it closed (or, with `onError: ignore`, skip it).
 * Pure: the state is the measurements so far, kept in the `fleetward/analysis` check run.
 */
import type { AnalysisConfig } from "../config/analysis-schema.js";
import { parseDuration } from "../config/parse-duration.js";
import type { Measurement } from "./judge-measurement.js";

export type RunPhase = "running" | "successful" | "failed" | "inconclusive" | "error" | "skipped";

export interface AnalysisRunState {
  analysis: string;
  startedAt: string;
  /** Every successful, failed and inconclusive measurement, then the trailing streak of errors. */
  measurements: Measurement[];
  /** Errors dropped from `measurements` because a measurement came after them. */
  earlierErrors: number;
  /** The PromQL last sent (per server: `server: query`), for the report. */
  queries: string[];
}

export interface RunStatus {
  phase: RunPhase;
  /** When the next measurement is due (running only). */
  nextAt: Date | null;
  successful: number;
  failed: number;
  inconclusive: number;
  /** The measurement that decided a finished phase, or the latest one. */
  decisive: Measurement | null;
}

function ms(duration: string): number {
  const parsed = parseDuration(duration);
  return parsed.ok ? parsed.ms : 0;
}

export function newRunState(analysis: AnalysisConfig, startedAt: Date): AnalysisRunState {
  return { analysis: analysis.name, startedAt: startedAt.toISOString(), measurements: [], earlierErrors: 0, queries: [] };
}

/** Appends a measurement; errors before it are only counted (they carry no state once a measurement follows). */
export function recordMeasurement(state: AnalysisRunState, m: Measurement, queries: string[]): AnalysisRunState {
  const kept = m.phase === "error" ? state.measurements : state.measurements.filter((x) => x.phase !== "error");
  const dropped = state.measurements.length - kept.length;
  return { ...state, measurements: [...kept, m], earlierErrors: state.earlierErrors + dropped, queries };
}

/** Where the run stands after its measurements. */
export function runStatus(analysis: AnalysisConfig, state: AnalysisRunState): RunStatus {
  const ms_ = state.measurements;
  const counts = { successful: 0, failed: 0, inconclusive: 0 };
  let decisive: Measurement | null = ms_[ms_.length - 1] ?? null;
  for (const m of ms_) {
    if (m.phase === "error") continue;
    counts[m.phase]++;
    if (m.phase === "failed" && counts.failed > analysis.failureLimit) return { phase: "failed", nextAt: null, ...counts, decisive: m };
    if (m.phase === "inconclusive" && counts.inconclusive > analysis.inconclusiveLimit) return { phase: "inconclusive", nextAt: null, ...counts, decisive: m };
  }
  if (counts.successful + counts.failed + counts.inconclusive >= analysis.count) {
    decisive = [...ms_].reverse().find((m) => m.phase !== "error") ?? decisive;
    return { phase: "successful", nextAt: null, ...counts, decisive };
  }
  const interval = ms(analysis.interval);
  const last = ms_[ms_.length - 1];
  if (!last) return { phase: "running", nextAt: new Date(state.startedAt), ...counts, decisive: null };
  const lastAt = new Date(last.at).getTime();
  if (last.phase === "error") {
    const firstError = ms_.find((m) => m.phase === "error");
    const deadline = new Date(firstError?.at ?? last.at).getTime() + ms(analysis.errorTimeout);
    if (lastAt >= deadline) return { phase: analysis.onError === "ignore" ? "skipped" : "error", nextAt: null, ...counts, decisive: last };
    return { phase: "running", nextAt: new Date(Math.min(lastAt + interval, deadline)), ...counts, decisive: last };
  }
  return { phase: "running", nextAt: new Date(lastAt + interval), ...counts, decisive: last };
}

/** Whether a measurement is due at `now`. */
export function measurementDue(status: RunStatus, now: Date): boolean {
  return status.phase === "running" && status.nextAt !== null && status.nextAt.getTime() <= now.getTime();
}

/** Phases that let the rollout go on. */
export function runPasses(phase: RunPhase): boolean {
  return phase === "successful" || phase === "skipped";
}
