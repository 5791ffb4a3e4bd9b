/** Which analyses measure a baking scope, and which of them are due for a measurement. Pure. */
import type { AnalysisConfig } from "../config/analysis-schema.js";
import type { AnalysisRecord } from "./analysis-state-codec.js";
import type { AnalysisRunState } from "./plan-analysis-run.js";
import { measurementDue, newRunState, runStatus } from "./plan-analysis-run.js";

/** Analyses attached to `environment` (which includes its waves) or to `environment/wave`. */
export function analysesFor(analyses: readonly AnalysisConfig[], environment: string, wave: string): AnalysisConfig[] {
  return analyses.filter((a) => a.scopes.some((s) => s === environment || (wave !== "" && s === `${environment}/${wave}`)));
}

/**
 * The run of every analysis (a new one, started at `startedAt`, when the record has none) and whether it
 * wants a measurement at `now`.
 */
export function dueRuns(analyses: readonly AnalysisConfig[], record: AnalysisRecord | null, startedAt: Date, now: Date): { analysis: AnalysisConfig; run: AnalysisRunState; due: boolean }[] {
  return analyses.map((analysis) => {
    const run = record?.runs.find((r) => r.analysis === analysis.name) ?? newRunState(analysis, startedAt);
    return { analysis, run, due: measurementDue(runStatus(analysis, run), now) };
  });
}
