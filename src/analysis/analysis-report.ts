/**
 * What the analyses of a baking scope mean for the outside: the `fleetward/analysis` check run (with the state),
 * the `analysis` gate of the next promotion and the comment on the wave's pull request. Pure.
 */
import type { AnalysisConfig } from "../config/analysis-schema.js";
import type { AnalysisRecord } from "./analysis-state-codec.js";
import { ANALYSIS_CHECK_NAME, encodeRecord } from "./analysis-state-codec.js";
import { conditionOf } from "./judge-measurement.js";
import type { RunPhase, RunStatus } from "./plan-analysis-run.js";
import { runPasses, runStatus } from "./plan-analysis-run.js";

export type AnalysisVerdict = "running" | "passed" | "failed";

export interface AnalysisOutcome {
  verdict: AnalysisVerdict;
  /** One line per analysis, e.g. `error-ratio: failed: 0.04 {cluster="eu-1"} is not < 0.01 (query: …)`. */
  lines: string[];
  /** Earliest next measurement while running. */
  nextAt: Date | null;
}

export interface AnalysisCheckRunPlan {
  name: typeof ANALYSIS_CHECK_NAME;
  headSha: string;
  status: "in_progress" | "completed";
  conclusion?: "success" | "failure";
  title: string;
  summary: string;
  text: string;
}

const ICON: Record<RunPhase, string> = { running: "⏳", successful: "✅", skipped: "⚪", failed: "❌", inconclusive: "❓", error: "⛔" };

function describe(analysis: AnalysisConfig, status: RunStatus, queries: readonly string[]): string {
  const condition = conditionOf(analysis).text;
  const query = queries.length > 0 ? queries.join("; ") : (analysis.query ?? "the SLO burn rate");
  const last = status.decisive;
  const done = `${status.successful + status.failed + status.inconclusive} of ${analysis.count} measurements`;
  switch (status.phase) {
    case "running":
      return `${analysis.name}: measuring (${done}${last ? `, last: ${last.message}` : ""})`;
    case "successful":
      return `${analysis.name}: passed (${done}, ${status.failed} failed; last value ${last?.value ?? "none"} ${condition})`;
    case "skipped":
      return `${analysis.name}: skipped (onError: ignore): ${last?.message ?? "Prometheus unavailable"}`;
    case "error":
      return `${analysis.name}: failed closed: ${last?.message ?? "Prometheus unavailable"} (query: ${query})`;
    case "inconclusive":
      return `${analysis.name}: inconclusive: ${status.inconclusive} measurements without data, more than inconclusiveLimit ${analysis.inconclusiveLimit} (query: ${query})`;
    case "failed":
      return `${analysis.name}: failed: value ${last?.value ?? "none"} ${last?.series ?? ""} is not ${condition}, ${status.failed} failed measurements, more than failureLimit ${analysis.failureLimit} (query: ${query})`;
  }
}

/** The outcome of every analysis of a record (analyses without a run yet count as running). */
export function analysisOutcome(analyses: readonly AnalysisConfig[], record: AnalysisRecord): AnalysisOutcome {
  const lines: string[] = [];
  const statuses: RunPhase[] = [];
  let nextAt: number | null = null;
  for (const analysis of analyses) {
    const run = record.runs.find((r) => r.analysis === analysis.name);
    const status: RunStatus = run ? runStatus(analysis, run) : { phase: "running", nextAt: null, successful: 0, failed: 0, inconclusive: 0, decisive: null };
    statuses.push(status.phase);
    lines.push(describe(analysis, status, run?.queries ?? []));
    if (status.nextAt) nextAt = Math.min(nextAt ?? Infinity, status.nextAt.getTime());
  }
  const failed = statuses.some((p) => p !== "running" && !runPasses(p));
  const verdict: AnalysisVerdict = failed ? "failed" : statuses.some((p) => p === "running") ? "running" : "passed";
  return { verdict, lines, nextAt: nextAt === null ? null : new Date(nextAt) };
}

function table(analyses: readonly AnalysisConfig[], record: AnalysisRecord): string {
  const rows = analyses.map((a) => {
    const run = record.runs.find((r) => r.analysis === a.name);
    const s = run ? runStatus(a, run) : null;
    const m = run?.measurements ?? [];
    const values = m.slice(-5).map((x) => (x.phase === "error" ? "error" : String(x.value ?? "no data"))).join(", ");
    const cell = (t: string) => t.replace(/\|/g, "\\|").replace(/\n/g, " ");
    return `| ${a.name} | ${s ? `${ICON[s.phase]} ${s.phase}` : "⏳ waiting"} | ${s ? s.successful + s.failed + s.inconclusive : 0}/${a.count} | ${cell(values)} | \`${cell(conditionOf(a).text)}\` | \`${cell((run?.queries ?? []).join("; "))}\` |`;
  });
  return ["| Analysis | Phase | Measured | Last values | Condition | Query |", "| --- | --- | --- | --- | --- | --- |", ...rows].join("\n");
}

/** The `fleetward/analysis` check run on the baking commit: in progress while measuring, then success or failure. */
export function analysisCheckRun(analyses: readonly AnalysisConfig[], record: AnalysisRecord, headSha: string): AnalysisCheckRunPlan {
  const outcome = analysisOutcome(analyses, record);
  const summary = [`Analyses of ${record.component} in \`${record.scope}\`.`, "", table(analyses, record), "", ...outcome.lines.map((l) => `- ${l}`)].join("\n");
  const title = outcome.verdict === "running" ? "Measuring" : outcome.verdict === "passed" ? "Every analysis passed" : `${outcome.lines.filter((l) => / failed| inconclusive/.test(l)).length} analysis failed`;
  const plan: AnalysisCheckRunPlan = {
    name: ANALYSIS_CHECK_NAME,
    headSha,
    status: outcome.verdict === "running" ? "in_progress" : "completed",
    title,
    summary: summary.length > 60_000 ? `${summary.slice(0, 60_000)}\n\n…(cut)` : summary,
    text: encodeRecord(record),
  };
  if (outcome.verdict !== "running") plan.conclusion = outcome.verdict === "passed" ? "success" : "failure";
  return plan;
}

/** The `analysis` gate of the promotion that follows the measured scope. */
export function analysisGate(outcome: AnalysisOutcome, scope: string): { state: "pass" | "fail" | "pending"; detail: string; recheckAt?: Date } {
  const state = outcome.verdict === "passed" ? "pass" : outcome.verdict === "failed" ? "fail" : "pending";
  const detail = `analysis of \`${scope}\`: ${outcome.lines.join("; ")}`;
  return outcome.nextAt && state === "pending" ? { state, detail, recheckAt: outcome.nextAt } : { state, detail };
}

/** The comment on the wave's (or environment's) pull request once the analyses finished. */
export function analysisComment(outcome: AnalysisOutcome, record: AnalysisRecord): string {
  const head = outcome.verdict === "passed"
    ? `✅ Analysis of ${record.component} in \`${record.scope}\` passed.`
    : `❌ Analysis of ${record.component} in \`${record.scope}\` failed; the rollout does not continue.`;
  return [head, "", ...outcome.lines.map((l) => `- ${l}`), "", `Measurements: the \`${ANALYSIS_CHECK_NAME}\` check run of the merged commit.`].join("\n");
}
