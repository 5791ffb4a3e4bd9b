import type { Fleet } from "../fleet/build-fleet.js";
import type { ExistingIssue } from "./plan-incident.js";
import { incidentsOf } from "./plan-incident.js";

export interface FreezeScope {
  env?: string;
  cluster?: string;
}

export interface FreezeState {
  frozen: boolean;
  /** One line per open incident that freezes the scope, e.g. `incident #12: CheckoutHighErrorRate firing in prod-eu-1 since …`. */
  reasons: string[];
}

/**
 * Whether promotions and progressive rollouts into a scope must halt: an open Fleetward incident freezes its
 * environment-wide target or its clusters. `{env}` is frozen by any incident in the environment; `{env, cluster}`
 * (or `{cluster}`, with the fleet to find the environment) by an environment-wide incident or one listing the
 * cluster; `{}` by any open incident. For `GET /api/freeze` (200 with this body) and the Flagger gate (423 when frozen).
 */
export function freezeState(issues: readonly ExistingIssue[], scope: FreezeScope, options: { fleet?: Fleet; trustedAuthor?: string } = {}): FreezeState {
  const env = scope.env ?? (scope.cluster !== undefined ? options.fleet?.clusters.find((c) => c.name === scope.cluster)?.environment : undefined);
  const reasons: string[] = [];
  for (const { issue, meta } of incidentsOf(issues, options.trustedAuthor)) {
    if (issue.state !== "open") continue;
    if (env !== undefined && meta.environment !== env) continue;
    if (scope.cluster !== undefined) {
      if (env === undefined && !meta.clusters.includes(scope.cluster)) continue;
      if (meta.clusters.length > 0 && !meta.clusters.includes(scope.cluster)) continue;
    }
    const firing = meta.alerts.filter((a) => a.status === "firing");
    const names = [...new Set(firing.map((a) => a.alertname ?? a.fingerprint))];
    const since = firing.map((a) => a.startsAt).sort()[0];
    const where = meta.cluster ?? (meta.clusters.length ? `${meta.environment} (${meta.clusters.join(", ")})` : meta.environment);
    reasons.push(
      names.length
        ? `incident #${issue.number}: ${names.join(", ")} firing in ${where} since ${since}`
        : `incident #${issue.number}: open for ${where}`,
    );
  }
  return { frozen: reasons.length > 0, reasons };
}
