/**
 * `onFailure: rollback`: a failed analysis run acts as a firing alert of its scope (the same revert pull request,
 * incident and freeze), and a later passing run of the same analysis in that scope resolves it. The failure is
 * expressed as an alert group so the alert path's planners, keys and markers give idempotency: a reconciler tick
 * or another replica judging the same failed run again yields the same group, fingerprint and start (episode),
 * so nothing opens twice. Only a `failed` run (the query breached its condition) rolls back: `error`
 * (Prometheus unreachable) and `inconclusive` (no data) halt the rollout but revert nothing. Pure.
 */
import { createHash } from "node:crypto";
import type { AnalysisConfig } from "../config/analysis-schema.js";
import type { AlertGroup, AlertStatus, NormalizedAlert } from "../rollback/alerts/alert-group.js";
import type { RollbackTarget } from "../rollback/rollback-target.js";
import type { AnalysisRecord } from "./analysis-state-codec.js";
import { conditionOf } from "./judge-measurement.js";
import { runStatus } from "./plan-analysis-run.js";

/** A scope measured: the environment, the wave when the scope is one, its clusters and the component. */
export interface AnalysisScope {
  environment: string;
  wave?: string;
  clusters: string[];
  component: string;
}

/** An alert recorded in an open incident (from its metadata). */
export interface RecordedAlert {
  groupKey: string;
  fingerprint: string;
  status: AlertStatus;
  startsAt: string;
}

export interface AnalysisRollbackInput {
  analyses: readonly AnalysisConfig[];
  record: AnalysisRecord;
  scope: AnalysisScope;
  /** Alerts of the open incidents of the repository. */
  openIncidentAlerts: readonly RecordedAlert[];
}

/** `rollback`: run the alert path with a firing group; `resolve`: with the resolved group (closes the incident). */
export interface AnalysisRollbackAction {
  action: "rollback" | "resolve";
  analysis: string;
  group: AlertGroup;
  target: RollbackTarget;
}

const SOURCE = "fleetward-analysis";

/** The group key of an analysis in a scope: stable across commits, so a later passing run finds the incident. */
export function analysisGroupKey(analysis: string, scope: Pick<AnalysisScope, "environment" | "wave">): string {
  return `${SOURCE}:${analysis}:${scope.wave !== undefined ? `${scope.environment}/${scope.wave}` : scope.environment}`;
}

function group(key: string, alert: NormalizedAlert): AlertGroup {
  const labels = { ...alert.labels };
  return { source: "generic", groupKey: key, status: alert.status, receiver: null, groupLabels: {}, commonLabels: labels, commonAnnotations: alert.annotations, externalURL: null, alerts: [alert], truncatedAlerts: 0 };
}

function target(analysis: string, scope: AnalysisScope, alert: NormalizedAlert): RollbackTarget {
  const one = scope.clusters.length === 1 ? { cluster: scope.clusters[0] as string } : {};
  return { repository: null, environment: scope.environment, ...one, clusters: [...scope.clusters], component: scope.component, alerts: [alert], rule: `analysis ${analysis}` };
}

function alertOf(analysis: AnalysisConfig, scope: AnalysisScope, status: AlertStatus, startsAt: string, endsAt: string | null, summary: string): NormalizedAlert {
  const key = analysisGroupKey(analysis.name, scope);
  const labels: Record<string, string> = { alertname: `analysis ${analysis.name}`, environment: scope.environment, component: scope.component };
  if (scope.wave !== undefined) labels.wave = scope.wave;
  const fingerprint = createHash("sha256").update(key).digest("hex").slice(0, 16);
  return { fingerprint, status, labels, annotations: { summary }, startsAt, endsAt, generatorURL: null };
}

/** What each `onFailure: rollback` analysis of the record asks for; analyses with `halt` never act. */
export function decideAnalysisRollbacks(input: AnalysisRollbackInput): AnalysisRollbackAction[] {
  const actions: AnalysisRollbackAction[] = [];
  for (const analysis of input.analyses) {
    if (analysis.onFailure !== "rollback") continue;
    const run = input.record.runs.find((r) => r.analysis === analysis.name);
    if (!run) continue;
    const status = runStatus(analysis, run);
    const key = analysisGroupKey(analysis.name, input.scope);
    if (status.phase === "failed") {
      const firstFailure = run.measurements.find((m) => m.phase === "failed");
      const value = status.decisive?.value ?? null;
      const series = status.decisive?.series ? ` ${status.decisive.series}` : "";
      const summary = `Analysis ${analysis.name} failed: value ${value ?? "none"}${series} is not ${conditionOf(analysis).text} (query: ${run.queries.join("; ") || (analysis.query ?? "the SLO burn rate")})`;
      const alert = alertOf(analysis, input.scope, "firing", firstFailure?.at ?? run.startedAt, null, summary);
      actions.push({ action: "rollback", analysis: analysis.name, group: group(key, alert), target: target(analysis.name, input.scope, alert) });
      continue;
    }
    if (status.phase !== "successful") continue;
    const firing = input.openIncidentAlerts.find((a) => a.groupKey === key && a.status === "firing");
    if (!firing) continue;
    const endsAt = status.decisive?.at ?? run.startedAt;
    const alert = alertOf(analysis, input.scope, "resolved", firing.startsAt, endsAt, `Analysis ${analysis.name} passed again (last value ${status.decisive?.value ?? "none"} ${conditionOf(analysis).text}).`);
    actions.push({ action: "resolve", analysis: analysis.name, group: group(key, alert), target: target(analysis.name, input.scope, alert) });
  }
  return actions;
}
