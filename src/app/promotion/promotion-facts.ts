/**
 * Plain facts for the promotion planners from what GitHub returned: alerts and freezes from Fleetward's
 * incident issues, clusters of a scope, the fleet's folders. Pure.
 */
import type { Fleet } from "../../fleet/build-fleet.js";
import { classifyPath, componentBelowRoot, normalizeRepoPath } from "../../fleet/classify-path.js";
import type { AlertFact } from "../../promotion/evaluate-gates.js";
import type { PromotionScope } from "../../promotion/promotion-scope.js";
import { resolveWaves } from "../../promotion/resolve-waves.js";
import { freezeState } from "../../rollback/freeze-state.js";
import type { ExistingIssue } from "../../rollback/plan-incident.js";
import { incidentsOf } from "../../rollback/plan-incident.js";

/** Clusters a scope reaches: the cluster, the wave's clusters, or every cluster of the environment. */
export function clustersOfScope(fleet: Fleet, scope: PromotionScope): string[] {
  if (scope.cluster !== undefined) return [scope.cluster];
  if (scope.wave !== undefined) return resolveWaves(fleet, scope.environment).find((w) => w.name === scope.wave)?.clusters ?? [];
  return fleet.clusters.filter((c) => c.environment === scope.environment).map((c) => c.name);
}

/**
 * Every alert recorded in incident issues (open or closed), by scope: an alert of a cluster incident is on
 * its clusters; an environment-wide one is on the environment and on each of its clusters.
 */
export function incidentAlerts(fleet: Fleet, issues: readonly ExistingIssue[]): AlertFact[] {
  const out: AlertFact[] = [];
  for (const { meta } of incidentsOf(issues)) {
    const named = meta.cluster !== undefined ? [meta.cluster] : meta.clusters;
    const scopes = named.length > 0 ? named : [meta.environment, ...fleet.clusters.filter((c) => c.environment === meta.environment).map((c) => c.name)];
    for (const a of meta.alerts) {
      const startsAt = new Date(a.startsAt);
      if (Number.isNaN(startsAt.getTime())) continue;
      const ends = a.status === "resolved" && a.endsAt ? new Date(a.endsAt) : null;
      for (const scope of scopes) out.push({ scope, startsAt, endsAt: ends !== null && !Number.isNaN(ends.getTime()) ? ends : null });
    }
  }
  return out;
}

/** Open incidents that freeze promotions into `scope`, as the incident gate wants them (scope = the environment). */
export function openIncidentsFor(fleet: Fleet, issues: readonly ExistingIssue[], scope: PromotionScope): { scope: string; title: string }[] {
  const reasons = new Set<string>();
  const clusters = scope.cluster !== undefined || scope.wave !== undefined ? clustersOfScope(fleet, scope) : [];
  const states = clusters.length > 0 ? clusters.map((cluster) => freezeState(issues, { env: scope.environment, cluster })) : [freezeState(issues, { env: scope.environment })];
  for (const s of states) for (const r of s.reasons) reasons.add(r);
  return [...reasons].map((title) => ({ scope: scope.environment, title }));
}

/**
 * Whether a path lies under a root folder of an environment or cluster (the files promotions read) and,
 * when `components` is given, inside the folder of one of them: the planner only reads the folders of the
 * components it promotes, so a push reads those blobs, not the whole fleet.
 */
export function inFleetFolders(fleet: Fleet, components?: ReadonlySet<string>): (path: string) => boolean {
  const roots = [...fleet.environments.flatMap((e) => e.paths), ...fleet.clusters.flatMap((c) => c.paths)].map((g) => g.root);
  return (path) => {
    const p = normalizeRepoPath(path);
    return roots.some((r) => p.startsWith(r) && (components === undefined || components.has(componentBelowRoot(p, r, fleet.componentDepth) ?? "")));
  };
}

/** The components the changed files belong to (files outside every component folder are left out). */
export function changedComponents(fleet: Fleet, changedFiles: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const f of changedFiles) {
    const c = classifyPath(fleet, f).component;
    if (c !== null) out.add(c);
  }
  return out;
}
