/**
 * The analysis state kept in GitHub: the `fleetward/analysis` check run's `output.text` carries the runs as JSON
 * in an HTML comment (invisible on the page), so any replica, or the app after a restart, continues where the
 * last measurement left off. Pure.
 */
import type { Measurement, MeasurementPhase } from "./judge-measurement.js";
import type { AnalysisRunState } from "./plan-analysis-run.js";

export const ANALYSIS_CHECK_NAME = "fleetward/analysis";

/** What one `fleetward/analysis` check run holds: the scope measured and one run per analysis. */
export interface AnalysisRecord {
  /** `prod/canary` or `staging`. */
  scope: string;
  component: string;
  runs: AnalysisRunState[];
}

const START = "<!-- fleetward-analysis-state ";
const END = " -->";

/** The comment holding the record; `<`/`>` are escaped so no value can close the comment. */
export function encodeRecord(record: AnalysisRecord): string {
  const json = JSON.stringify(record).replace(/</g, "\\u003c").replace(/>/g, "\\u003e");
  return `${START}${json}${END}`;
}

const PHASES = new Set<MeasurementPhase>(["successful", "failed", "inconclusive", "error"]);

function isMeasurement(m: unknown): m is Measurement {
  if (typeof m !== "object" || m === null) return false;
  const x = m as Record<string, unknown>;
  return typeof x.at === "string" && !Number.isNaN(Date.parse(x.at)) && PHASES.has(x.phase as MeasurementPhase) &&
    (x.value === null || typeof x.value === "number") && typeof x.message === "string";
}

function isRun(r: unknown): r is AnalysisRunState {
  if (typeof r !== "object" || r === null) return false;
  const x = r as Record<string, unknown>;
  return typeof x.analysis === "string" && typeof x.startedAt === "string" && !Number.isNaN(Date.parse(x.startedAt)) &&
    Array.isArray(x.measurements) && x.measurements.every(isMeasurement) && typeof x.earlierErrors === "number" &&
    Array.isArray(x.queries) && x.queries.every((q) => typeof q === "string");
}

/** The record in a check run's text; null when there is none or it is not well-formed. */
export function decodeRecord(text: string | null | undefined): AnalysisRecord | null {
  if (!text) return null;
  const start = text.indexOf(START);
  if (start < 0) return null;
  const end = text.indexOf(END, start + START.length);
  if (end < 0) return null;
  let value: unknown;
  try {
    value = JSON.parse(text.slice(start + START.length, end));
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const x = value as Record<string, unknown>;
  if (typeof x.scope !== "string" || typeof x.component !== "string" || !Array.isArray(x.runs) || !x.runs.every(isRun)) return null;
  return { scope: x.scope, component: x.component, runs: x.runs };
}
