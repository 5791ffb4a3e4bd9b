/**
 * The entry point of configuration loading: parse every layer with positions, deep-merge them, validate the
 * result against the schema and the semantic checks, and point every problem at the YAML node of the layer
 * that set the offending value. Never throws on bad input.
 */
import type { core } from "zod";
import type { ConfigDiagnostic } from "./config-diagnostic.js";
import { checkConfigSemantics, formatConfigPath } from "./check-config-semantics.js";
import { checkPromotionSemantics } from "./check-promotion-semantics.js";
import { checkRollbackRules } from "./check-rollback-rules.js";
import { checkAnalysisSemantics } from "./check-analysis-semantics.js";
import type { SemanticIssue } from "./check-config-semantics.js";
import { mergeConfigLayers } from "./merge-config-layers.js";
import { DEFAULT_YAML_LIMITS, findLayerNode, parseConfigLayer } from "./parse-config-layer.js";
import type { ConfigLayer, LayerSpan, ParsedConfigLayer, PathSegment, YamlLimits } from "./parse-config-layer.js";
import { fleetwardConfigSchema } from "./schema.js";
import type { FleetwardConfig, FleetwardIssueParams } from "./schema.js";

/** At most this many diagnostics are returned; the rest are summarised by one `config_diagnostics_truncated`. */
export const MAX_CONFIG_DIAGNOSTICS = 100;

export interface LoadConfigInput {
  /** From the lowest precedence (org defaults) to the highest (the repository's own file). */
  layers: ConfigLayer[];
  limits?: YamlLimits;
  /**
   * Diagnostics found while gathering the layers (`collectConfigLayers`). They come first in the result,
   * and an error among them (say, an `_extends` target that does not exist) withholds `config`, since a
   * layer is then missing.
   */
  upstreamDiagnostics?: ConfigDiagnostic[];
  /** Names of the Prometheus servers the app defines, to check `analyses`; absent (the CLI): not checked. */
  prometheusServers?: readonly string[];
}

export interface LoadConfigResult {
  /** The validated, merged configuration; absent when any diagnostic is an error. */
  config?: FleetwardConfig;
  /** Errors and warnings; YAML problems in layer order, then schema problems, then semantic ones. */
  diagnostics: ConfigDiagnostic[];
}

function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let cur = root;
  for (const seg of path) {
    if (cur === null || typeof cur !== "object" || !Object.prototype.hasOwnProperty.call(cur, String(seg))) return undefined;
    cur = (cur as Record<string, unknown>)[String(seg)];
  }
  return cur;
}

/**
 * Where a merged-path problem came from. Arrays replace on merge, so below an array only the layer that set
 * that array can hold the value; otherwise the highest-precedence layer holding the deepest part of the path.
 */
function locate(
  layersHighFirst: readonly ParsedConfigLayer[],
  merged: unknown,
  path: readonly PathSegment[],
  preferKey: boolean,
): { file: string; span: LayerSpan } {
  let candidates = layersHighFirst.filter((l) => l.doc !== null);
  for (let i = 1; i <= path.length; i++) {
    const prefix = path.slice(0, i);
    if (!Array.isArray(valueAt(merged, prefix))) continue;
    const owner = candidates.find((l) => findLayerNode(l, prefix)?.matched === i);
    if (owner) candidates = [owner];
  }
  let best: { file: string; span: LayerSpan; matched: number } | null = null;
  for (const layer of candidates) {
    const found = findLayerNode(layer, path);
    if (!found) continue;
    if (best === null || found.matched > best.matched) {
      const full = found.matched === path.length;
      const span = preferKey && full && found.keySpan ? found.keySpan : found.span;
      best = { file: layer.file, span, matched: found.matched };
    }
  }
  if (best) return { file: best.file, span: best.span };
  const last = layersHighFirst[0];
  return { file: last?.file ?? "", span: { line: 1, column: 1, endLine: 1, endColumn: 1 } };
}

function issueToSemantic(issue: core.$ZodIssue, merged: unknown): SemanticIssue[] {
  const path = issue.path.filter((p): p is PathSegment => typeof p !== "symbol");
  const at = formatConfigPath(path);
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => ({
      code: "config_unknown_key" as const,
      severity: "error" as const,
      path: [...path, key],
      message: `${formatConfigPath([...path, key])}: unknown key "${key}"`,
    }));
  }
  if (issue.code === "custom") {
    const params = issue.params as Partial<FleetwardIssueParams> | undefined;
    const code = params?.fleetwardCode ?? "config_schema";
    return [{ code, severity: "error", path, message: `${at}: ${issue.message}` }];
  }
  if (issue.code === "invalid_key") {
    const inner = issue.issues[0]?.message ?? issue.message;
    return [{ code: "config_schema", severity: "error", path, message: `${at}: invalid key: ${inner}` }];
  }
  if (issue.code === "invalid_type" && valueAt(merged, path) === undefined) {
    return [{ code: "config_schema", severity: "error", path, message: `${at}: required ${issue.expected} is missing` }];
  }
  return [{ code: "config_schema", severity: "error", path, message: `${at}: ${issue.message}` }];
}

/** Loads the configuration from its layers. See docs/configuration.md for the merge and precedence rules. */
export function loadConfig({ layers, limits = DEFAULT_YAML_LIMITS, upstreamDiagnostics = [], prometheusServers }: LoadConfigInput): LoadConfigResult {
  const diagnostics: ConfigDiagnostic[] = [...upstreamDiagnostics];
  const parsed: ParsedConfigLayer[] = [];
  let unparsable = false;
  for (const layer of layers) {
    const result = parseConfigLayer(layer, limits);
    parsed.push(result.parsed);
    diagnostics.push(...result.diagnostics);
    if (result.diagnostics.some((d) => d.severity === "error")) unparsable = true;
  }
  // Without every layer's value there is nothing sound to merge; schema problems would only mislead.
  if (unparsable) return { diagnostics: truncate(diagnostics, 0) };

  const merged = mergeConfigLayers(parsed.map((p) => p.value));
  const highFirst = [...parsed].reverse();
  let dropped = 0;
  const toDiagnostics = (issues: SemanticIssue[]) => {
    for (const issue of issues) {
      // Locating costs a walk of the YAML; a file with thousands of problems is summarised instead.
      if (diagnostics.length >= MAX_CONFIG_DIAGNOSTICS) {
        dropped++;
        continue;
      }
      const preferKey = issue.code === "config_unknown_key" || (issue.code === "config_schema" && issue.message.includes("invalid key"));
      const { file, span } = locate(highFirst, merged, issue.path, preferKey);
      diagnostics.push({ code: issue.code, severity: issue.severity, message: issue.message, file, ...span });
    }
  };

  const result = fleetwardConfigSchema.safeParse(merged);
  if (!result.success) {
    toDiagnostics(result.error.issues.flatMap((issue) => issueToSemantic(issue, merged)));
    return { diagnostics: truncate(diagnostics, dropped) };
  }
  const config = result.data;
  toDiagnostics([...checkConfigSemantics(config), ...checkPromotionSemantics(config), ...checkRollbackRules(config), ...checkAnalysisSemantics(config, prometheusServers)]);
  if (diagnostics.some((d) => d.severity === "error")) return { diagnostics: truncate(diagnostics, dropped) };
  delete config._extends;
  return { config, diagnostics: truncate(diagnostics, dropped) };
}

/** Keeps the first `MAX_CONFIG_DIAGNOSTICS` and adds one warning saying how many more there were. */
function truncate(diagnostics: ConfigDiagnostic[], alreadyDropped: number): ConfigDiagnostic[] {
  const dropped = alreadyDropped + Math.max(0, diagnostics.length - MAX_CONFIG_DIAGNOSTICS);
  if (dropped === 0) return diagnostics;
  const kept = diagnostics.slice(0, MAX_CONFIG_DIAGNOSTICS);
  const last = kept[kept.length - 1];
  const where = last
    ? { file: last.file, line: last.line, column: last.column, endLine: last.endLine, endColumn: last.endColumn }
    : { file: "", line: 1, column: 1, endLine: 1, endColumn: 1 };
  kept.push({
    code: "config_diagnostics_truncated",
    severity: "warning",
    message: `${dropped} more problem${dropped === 1 ? "" : "s"} not shown; fix the ones above first`,
    ...where,
  });
  return kept;
}
