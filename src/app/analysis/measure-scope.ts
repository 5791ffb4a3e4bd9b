/**
 * One step of the analyses of a baking scope (a wave or an environment that a change merged into), driven by
 * the reconciler's tick and the gate refreshes: read the `fleetward/analysis` check run of the merged commit (the
 * state), take the measurements that are due, publish the run again. No state lives in the process, so any
 * replica, or the app after a restart, continues where the last measurement left off.
 */
import type { AnalysisOutcome } from "../../analysis/analysis-report.js";
import { analysisCheckRun, analysisOutcome } from "../../analysis/analysis-report.js";
import type { AnalysisRecord } from "../../analysis/analysis-state-codec.js";
import { ANALYSIS_CHECK_NAME, decodeRecord } from "../../analysis/analysis-state-codec.js";
import type { Measurement } from "../../analysis/judge-measurement.js";
import { errorMeasurement, judgeMeasurement } from "../../analysis/judge-measurement.js";
import { recordMeasurement } from "../../analysis/plan-analysis-run.js";
import type { AnalysisTarget } from "../../analysis/render-query.js";
import { analysisQuery } from "../../analysis/render-query.js";
import { analysesFor, dueRuns } from "../../analysis/select-analyses.js";
import type { AnalysisConfig } from "../../config/analysis-schema.js";
import { analysesOf, analysisServerOf } from "../../config/analysis-schema.js";
import { effectiveSettings } from "../../config/effective-settings.js";
import type { Fleet } from "../../fleet/build-fleet.js";
import type { PromotionScope } from "../../promotion/promotion-scope.js";
import { readAppCheckRun, writeAnalysisCheckRun } from "../github/analysis-check-run.js";
import type { GitHubClient, RepoRef } from "../github/github-client.js";
import { clustersOfScope } from "../promotion/promotion-facts.js";
import type { PromotionDeps } from "../promotion/promotion-deps.js";
import { queryInstant } from "./prometheus-client.js";
import type { ServerRegistry } from "./prometheus-servers.js";
import { messageOf, serverRegistryFromEnv } from "./prometheus-servers.js";

export interface MeasureRequest {
  fleet: Fleet;
  scope: PromotionScope;
  component: string;
  /** The merged commit of the scope (the check run's commit) and when it merged (the run starts then). */
  sha: string;
  mergedAt: Date;
}

export interface MeasureResult {
  outcome: AnalysisOutcome;
  record: AnalysisRecord;
  /** True when this step finished the analyses (the check run completed now): comment and act once. */
  finishedNow: boolean;
}

/** Clusters of the scope grouped by the server each asks (clusterless environments: one group, no clusters). */
function serverGroups(fleet: Fleet, scope: PromotionScope, analysis: AnalysisConfig): Map<string | null, string[]> {
  const clusters = clustersOfScope(fleet, scope);
  const groups = new Map<string | null, string[]>();
  if (clusters.length === 0) groups.set(analysisServerOf(analysis, effectiveSettings(fleet.config, { environment: scope.environment })), []);
  for (const c of clusters) {
    const server = analysisServerOf(analysis, effectiveSettings(fleet.config, { cluster: c }));
    groups.set(server, [...(groups.get(server) ?? []), c]);
  }
  return groups;
}

function readRegistry(): ServerRegistry | string {
  try {
    return serverRegistryFromEnv();
  } catch (error) {
    return messageOf(error);
  }
}

/** One measurement over every server group: an error anywhere is an error; else the worst judgement. */
async function measure(request: MeasureRequest, analysis: AnalysisConfig, registry: ServerRegistry | string, now: Date): Promise<{ m: Measurement; queries: string[] }> {
  const results: Measurement[] = [];
  const queries: string[] = [];
  for (const [name, clusters] of serverGroups(request.fleet, request.scope, analysis)) {
    const target: AnalysisTarget = { environment: request.scope.environment, wave: request.scope.wave ?? "", component: request.component, clusters };
    let query: string;
    try {
      query = analysisQuery(analysis, target);
    } catch (error) {
      return { m: errorMeasurement(`${analysis.name}: ${messageOf(error)}`, now), queries };
    }
    queries.push(name === null ? query : `${name}: ${query}`);
    if (typeof registry === "string") return { m: errorMeasurement(registry, now), queries };
    const server = name === null ? undefined : registry.get(name);
    if (!server) {
      const why = name === null ? "no Prometheus server set (settings.analysis.server or the analysis's server)" : `unknown Prometheus server "${name}" (not in FLEETWARD_PROMETHEUS_SERVERS)`;
      return { m: errorMeasurement(why, now), queries };
    }
    try {
      results.push(judgeMeasurement(analysis, await queryInstant(server, query), now));
    } catch (error) {
      return { m: errorMeasurement(messageOf(error), now), queries };
    }
  }
  const rank = { failed: 3, inconclusive: 2, successful: 1, error: 4 } as const;
  const worst = results.reduce<Measurement | null>((w, m) => (w === null || rank[m.phase] > rank[w.phase] ? m : w), null);
  return { m: worst ?? errorMeasurement("the scope has no clusters to measure", now), queries };
}

/** Measures what is due; null when no analysis is attached to the scope. */
export async function measureScope(gh: GitHubClient, where: RepoRef, request: MeasureRequest, deps: PromotionDeps): Promise<MeasureResult | null> {
  const analyses = analysesFor(analysesOf(request.fleet.config), request.scope.environment, request.scope.wave ?? "");
  if (analyses.length === 0) return null;
  const scopeName = request.scope.wave !== undefined ? `${request.scope.environment}/${request.scope.wave}` : request.scope.environment;
  const appSlug = (await deps.botLogin()).replace(/\[bot\]$/, "");
  const existing = await readAppCheckRun(gh, { ...where, sha: request.sha, name: ANALYSIS_CHECK_NAME, appSlug });
  const stored = decodeRecord(existing?.text);
  const record: AnalysisRecord = stored && stored.scope === scopeName ? stored : { scope: scopeName, component: request.component, runs: [] };
  const before = analysisOutcome(analyses, record);
  if (existing?.status === "completed" && before.verdict !== "running") return { outcome: before, record, finishedNow: false };

  const now = deps.now();
  const due = dueRuns(analyses, record, request.mergedAt, now);
  const registry = due.some((d) => d.due) ? readRegistry() : new Map();
  const runs = [];
  for (const { analysis, run, due: isDue } of due) {
    if (!isDue) {
      runs.push(run);
      continue;
    }
    const { m, queries } = await measure(request, analysis, registry, now);
    deps.log.info({ analysis: analysis.name, scope: scopeName, phase: m.phase, value: m.value }, "analysis measured");
    runs.push(recordMeasurement(run, m, queries));
  }
  const next: AnalysisRecord = { ...record, runs };
  const plan = analysisCheckRun(analyses, next, request.sha);
  const changed = existing === null || runs.some((r, i) => r !== due[i]?.run) || (plan.status === "completed") !== (existing.status === "completed");
  if (changed) await writeAnalysisCheckRun(gh, where, plan, existing?.id ?? null);
  const outcome = analysisOutcome(analyses, next);
  return { outcome, record: next, finishedNow: outcome.verdict !== "running" && existing?.status !== "completed" };
}
