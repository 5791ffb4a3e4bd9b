/**
 * The PromQL an analysis sends: its `query` (or, for an `slo`, the Sloth-style burn rate built from the SLI
 * queries) with `{{environment}}`, `{{cluster}}`, `{{component}}`, `{{wave}}` and `{{window}}` filled in. Pure.
 */
import type { AnalysisConfig } from "../config/analysis-schema.js";

export interface AnalysisTarget {
  environment: string;
  /** The wave measured; "" for a whole environment. */
  wave: string;
  component: string;
  /** The clusters measured (one server's share of the scope). */
  clusters: readonly string[];
}

const VARIABLE_RE = /\{\{\s*([A-Za-z]+)\s*\}\}/g;
const KNOWN = new Set(["environment", "cluster", "component", "wave", "window"]);

/** Escapes a value for a PromQL double-quoted string holding an RE2 regex (`=~"a|b"`). */
function regexLiteral(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, (c) => `\\\\${c}`).replace(/"/g, '\\"');
}

/** Escapes a value for a PromQL double-quoted string. */
function stringLiteral(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
}

export class TemplateError extends Error {
  readonly code = "analysis_unknown_variable";
}

/**
 * Fills the variables. `{{cluster}}` becomes the measured clusters as a regex alternation (for `cluster=~"…"`),
 * the others their plain values, all escaped for a double-quoted PromQL string; an unknown `{{name}}` is a
 * `TemplateError` naming it.
 */
export function fillTemplate(text: string, target: AnalysisTarget, window = ""): string {
  return text.replace(VARIABLE_RE, (_, name: string) => {
    if (!KNOWN.has(name)) throw new TemplateError(`unknown variable {{${name}}} (known: ${[...KNOWN].map((k) => `{{${k}}}`).join(", ")})`);
    if (name === "cluster") return target.clusters.map(regexLiteral).join("|");
    if (name === "window") return window;
    return stringLiteral(target[name as "environment" | "wave" | "component"]);
  });
}

/** 1 − objective, as PromQL text without float noise (99.9 → 0.001). */
function errorBudget(objectivePercent: number): string {
  return String(Number(((100 - objectivePercent) / 100).toPrecision(12)));
}

/** A Prometheus duration for the window (`5m`, `1h30m` pass as they are: the config's units are Prometheus's). */
export function burnRateQuery(slo: NonNullable<AnalysisConfig["slo"]>, target: AnalysisTarget): string {
  const errors = fillTemplate(slo.errorQuery, target, slo.window);
  const total = fillTemplate(slo.totalQuery, target, slo.window);
  return `((${errors}) / (${total})) / ${errorBudget(slo.objective)}`;
}

/** The PromQL of one measurement of `analysis` for `target`. */
export function analysisQuery(analysis: AnalysisConfig, target: AnalysisTarget): string {
  if (analysis.slo) return burnRateQuery(analysis.slo, target);
  return fillTemplate(analysis.query ?? "", target);
}
