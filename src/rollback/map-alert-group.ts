import type { AlertRule, LabelSource } from "../config/rollback-schema.js";
import type { FleetwardConfig } from "../config/schema.js";
import type { Fleet } from "../fleet/build-fleet.js";
import type { AlertGroup, NormalizedAlert } from "./alerts/alert-group.js";
import { matchesLabelMatcher, parseLabelMatcher } from "./parse-label-matcher.js";
import type { LabelMatcher } from "./parse-label-matcher.js";
import { resolveRollbackSettings } from "./resolve-rollback-settings.js";
import type { RollbackTarget } from "./rollback-target.js";

export type SkipReason =
  | { code: "no_rule_matched" }
  | { code: "labels_missing"; rule: string; labels: string[] }
  | { code: "other_repository"; rule: string; repository: string }
  | { code: "unknown_environment"; rule: string; environment: string }
  | { code: "unknown_cluster"; rule: string; cluster: string }
  | { code: "cluster_not_in_environment"; rule: string; cluster: string; environment: string }
  | { code: "invalid_component"; rule: string; component: string };

export interface SkippedAlert {
  fingerprint: string;
  alertname: string | null;
  reason: SkipReason;
  /** One line for logs and the webhook's answer, e.g. `alert X (f1): labels missing: env (rule slo)`. */
  message: string;
}

export interface AlertMapping {
  /** `mapped` when at least one target resulted; otherwise why not (`unmapped` when the reasons differ). */
  status: "mapped" | SkipReason["code"] | "unmapped";
  targets: RollbackTarget[];
  skipped: SkippedAlert[];
}

export interface MapAlertOptions {
  /** `owner/name` of the repository whose configuration this is; alerts a rule assigns elsewhere are skipped. */
  repository?: string;
}

const COMPONENT_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

type Resolved = { ok: true; value: string | undefined } | { ok: false; missing: string };

function resolveSource(source: LabelSource | undefined, labels: Readonly<Record<string, string>>): Resolved {
  if (source === undefined) return { ok: true, value: undefined };
  const raw = source.label !== undefined && Object.prototype.hasOwnProperty.call(labels, source.label) ? labels[source.label] : undefined;
  if (raw !== undefined && raw !== "") {
    const mapped = source.map !== undefined && Object.prototype.hasOwnProperty.call(source.map, raw) ? source.map[raw] : undefined;
    return { ok: true, value: mapped ?? raw };
  }
  if (source.fallback !== undefined) return { ok: true, value: source.fallback };
  if (source.optional === true) return { ok: true, value: undefined };
  return { ok: false, missing: source.label ?? "(label)" };
}

interface CompiledRule {
  name: string;
  rule: AlertRule;
  matchers: LabelMatcher[] | null;
}

function compileRules(rules: readonly AlertRule[]): CompiledRule[] {
  return rules.map((rule, index) => {
    const matchers: LabelMatcher[] = [];
    for (const text of rule.match) {
      const parsed = parseLabelMatcher(text);
      // The schema refuses bad matchers; a hand-built config with one gets a rule that never matches.
      if (!parsed.ok) return { name: rule.name ?? `rules[${index}]`, rule, matchers: null };
      matchers.push(parsed.matcher);
    }
    return { name: rule.name ?? `rules[${index}]`, rule, matchers };
  });
}

function describeReason(reason: SkipReason): string {
  switch (reason.code) {
    case "no_rule_matched":
      return "no rule matched";
    case "labels_missing":
      return `labels missing: ${reason.labels.join(", ")} (rule ${reason.rule})`;
    case "other_repository":
      return `for repository ${reason.repository} (rule ${reason.rule})`;
    case "unknown_environment":
      return `unknown environment "${reason.environment}" (rule ${reason.rule})`;
    case "unknown_cluster":
      return `unknown cluster "${reason.cluster}" (rule ${reason.rule})`;
    case "cluster_not_in_environment":
      return `cluster "${reason.cluster}" is not in environment "${reason.environment}" (rule ${reason.rule})`;
    case "invalid_component":
      return `invalid component "${reason.component}" (rule ${reason.rule})`;
  }
}

interface AlertPlacement {
  repository: string | null;
  environment: string;
  cluster: string | undefined;
  component: string | undefined;
  rule: string;
}

function placeAlert(
  fleet: Fleet,
  rules: readonly CompiledRule[],
  alert: NormalizedAlert,
  options: MapAlertOptions,
): { ok: true; placement: AlertPlacement } | { ok: false; reason: SkipReason } {
  const labels = alert.labels;
  const compiled = rules.find((r) => r.matchers !== null && r.matchers.every((m) => matchesLabelMatcher(labels, m)));
  if (compiled === undefined) return { ok: false, reason: { code: "no_rule_matched" } };
  const { rule, name } = compiled;
  const repository = resolveSource(rule.repository, labels);
  const environment = resolveSource(rule.environment, labels);
  const cluster = resolveSource(rule.cluster, labels);
  const component = resolveSource(rule.component, labels);
  const missing = [repository, environment, cluster, component].flatMap((r) => (r.ok ? [] : [r.missing]));
  if (missing.length > 0) return { ok: false, reason: { code: "labels_missing", rule: name, labels: [...new Set(missing)] } };
  const value = (r: Resolved) => (r.ok ? r.value : undefined);
  const repo = value(repository);
  if (repo !== undefined && options.repository !== undefined && repo.toLowerCase() !== options.repository.toLowerCase()) {
    return { ok: false, reason: { code: "other_repository", rule: name, repository: repo } };
  }
  const clusterName = value(cluster);
  const fleetCluster = clusterName === undefined ? undefined : fleet.clusters.find((c) => c.name === clusterName);
  if (clusterName !== undefined && fleetCluster === undefined) {
    return { ok: false, reason: { code: "unknown_cluster", rule: name, cluster: clusterName } };
  }
  const envName = value(environment) ?? fleetCluster?.environment;
  if (envName === undefined || !fleet.environments.some((e) => e.name === envName)) {
    return { ok: false, reason: { code: "unknown_environment", rule: name, environment: envName ?? "" } };
  }
  if (fleetCluster !== undefined && fleetCluster.environment !== envName) {
    return { ok: false, reason: { code: "cluster_not_in_environment", rule: name, cluster: fleetCluster.name, environment: envName } };
  }
  const componentName = value(component);
  if (componentName !== undefined) {
    const segments = componentName.split("/");
    if (segments.length !== fleet.componentDepth || !segments.every((s) => COMPONENT_SEGMENT.test(s))) {
      return { ok: false, reason: { code: "invalid_component", rule: name, component: componentName } };
    }
  }
  return {
    ok: true,
    placement: { repository: repo ?? null, environment: envName, cluster: clusterName, component: componentName, rule: name },
  };
}

/**
 * Maps the alerts of a notification to rollback targets with the configuration's `rollback.rules` (first
 * matching rule per alert). Alerts of several clusters of one environment and component become one target when
 * the environment's `settings.rollback.groupClusters` is true (default), one target per cluster otherwise.
 * Alerts that map nowhere are listed in `skipped` with the reason. Pure; never throws for any group.
 */
export function mapAlertGroup(config: FleetwardConfig, fleet: Fleet, group: AlertGroup, options: MapAlertOptions = {}): AlertMapping {
  const rules = compileRules(config.rollback?.rules ?? []);
  const skipped: SkippedAlert[] = [];
  const buckets = new Map<string, { placement: AlertPlacement; alerts: NormalizedAlert[]; clusters: Set<string>; wholeEnv: boolean }>();
  for (const alert of group.alerts) {
    const placed = placeAlert(fleet, rules, alert, options);
    if (!placed.ok) {
      const alertname = alert.labels.alertname ?? null;
      skipped.push({
        fingerprint: alert.fingerprint,
        alertname,
        reason: placed.reason,
        message: `alert ${alertname ?? "(unnamed)"} (${alert.fingerprint}): ${describeReason(placed.reason)}`,
      });
      continue;
    }
    const p = placed.placement;
    const group = resolveRollbackSettings(config, { environment: p.environment }).groupClusters;
    const clusterKey = group ? "*" : (p.cluster ?? "");
    const key = JSON.stringify([p.repository, p.environment, p.component ?? null, clusterKey]);
    let bucket = buckets.get(key);
    if (bucket === undefined) {
      bucket = { placement: p, alerts: [], clusters: new Set(), wholeEnv: false };
      buckets.set(key, bucket);
    }
    bucket.alerts.push(alert);
    if (p.cluster === undefined) bucket.wholeEnv = true;
    else bucket.clusters.add(p.cluster);
  }
  const targets: RollbackTarget[] = [...buckets.values()].map(({ placement, alerts, clusters, wholeEnv }) => {
    const ordered = wholeEnv ? [] : fleet.clusters.filter((c) => clusters.has(c.name)).map((c) => c.name);
    const target: RollbackTarget = {
      repository: placement.repository,
      environment: placement.environment,
      clusters: ordered,
      alerts,
      rule: placement.rule,
    };
    if (ordered.length === 1) target.cluster = ordered[0];
    if (placement.component !== undefined) target.component = placement.component;
    return target;
  });
  let status: AlertMapping["status"] = "mapped";
  if (targets.length === 0) {
    const codes = new Set(skipped.map((s) => s.reason.code));
    const [only] = codes;
    status = codes.size === 1 && only !== undefined ? only : "unmapped";
  }
  return { status, targets, skipped };
}
