/**
 * One measurement: the values Prometheus returned for an analysis's query, judged against its condition
 * (`threshold`, `range`, or the SLO's `maxBurnRate`). Pure.
 */
import type { AnalysisConfig } from "../config/analysis-schema.js";
import { THRESHOLD_RE } from "../config/analysis-schema.js";

export type MeasurementPhase = "successful" | "failed" | "inconclusive" | "error";

export interface Measurement {
  /** ISO time the measurement was taken (the app's clock). */
  at: string;
  phase: MeasurementPhase;
  /** The value judged: the worst series (the first failing one, else the first). */
  value: number | null;
  /** Series label text of `value`, e.g. `{cluster="eu-1"}`. */
  series?: string;
  message: string;
}

export interface SeriesValue {
  labels: Record<string, string>;
  value: number;
}

export interface Condition {
  test: (value: number) => boolean;
  /** `< 0.01`, `in [0, 5]`, `burn rate < 14.4`. */
  text: string;
}

const COMPARE: Record<string, (a: number, b: number) => boolean> = {
  "<": (a, b) => a < b,
  "<=": (a, b) => a <= b,
  ">": (a, b) => a > b,
  ">=": (a, b) => a >= b,
};

/** The condition every series of a measurement must meet. */
export function conditionOf(analysis: AnalysisConfig): Condition {
  if (analysis.slo) {
    const max = analysis.slo.maxBurnRate;
    return { test: (v) => v < max, text: `< ${max}` };
  }
  if (analysis.range) {
    const { min, max } = analysis.range;
    return {
      test: (v) => (min === undefined || v >= min) && (max === undefined || v <= max),
      text: `in [${min ?? "-∞"}, ${max ?? "+∞"}]`,
    };
  }
  const m = THRESHOLD_RE.exec(analysis.threshold ?? "");
  const op = m?.[1] ?? "<";
  const bound = Number(m?.[2] ?? "NaN");
  const compare = COMPARE[op] ?? COMPARE["<"];
  return { test: (v) => compare !== undefined && compare(v, bound), text: `${op} ${bound}` };
}

function seriesText(labels: Record<string, string>): string {
  const parts = Object.entries(labels)
    .filter(([k]) => k !== "__name__")
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}="${v}"`);
  return `{${parts.join(",")}}`;
}

/**
 * Judges one answer: no series, or a NaN value (0/0 without traffic), is inconclusive; a series outside the
 * condition fails the measurement; else it is successful.
 */
export function judgeMeasurement(analysis: AnalysisConfig, series: readonly SeriesValue[], at: Date): Measurement {
  const condition = conditionOf(analysis);
  const iso = at.toISOString();
  if (series.length === 0) return { at: iso, phase: "inconclusive", value: null, message: "no data (the query returned no series)" };
  const numeric = series.filter((s) => !Number.isNaN(s.value));
  if (numeric.length === 0) return { at: iso, phase: "inconclusive", value: null, series: seriesText(series[0]?.labels ?? {}), message: "no data (NaN)" };
  const bad = numeric.find((s) => !condition.test(s.value));
  const shown = bad ?? numeric[0];
  const value = shown?.value ?? null;
  const where = shown ? seriesText(shown.labels) : "{}";
  if (bad) return { at: iso, phase: "failed", value, series: where, message: `${bad.value} ${where} is not ${condition.text}` };
  return { at: iso, phase: "successful", value, series: where, message: `${value} ${condition.text}` };
}

/** A measurement that could not be taken (Prometheus unreachable or erroring, unknown server, bad template). */
export function errorMeasurement(message: string, at: Date): Measurement {
  return { at: at.toISOString(), phase: "error", value: null, message };
}
