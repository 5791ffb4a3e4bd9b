/**
 * Semantic checks of the `promotion` section, in the form `checkConfigSemantics` returns (path in the merged
 * configuration, so the loader can point at the YAML node). Only existing diagnostic codes are used; see
 * docs/promotion.md for the checks that wait for new codes.
 */
import type { SemanticIssue } from "./check-config-semantics.js";
import { formatConfigPath } from "./check-config-semantics.js";
import type { PathSegment } from "./parse-config-layer.js";
import { promotionConfigOf } from "./promotion-schema.js";
import type { FleetwardConfig } from "./schema.js";

export function checkPromotionSemantics(config: FleetwardConfig): SemanticIssue[] {
  const issues: SemanticIssue[] = [];
  const push = (code: SemanticIssue["code"], path: PathSegment[], message: string, severity: SemanticIssue["severity"] = "error") =>
    issues.push({ code, severity, path, message: `${formatConfigPath(path)}: ${message}` });
  const promotion = promotionConfigOf(config);
  const envs = new Set(config.environments.map((e) => e.name));
  for (const [env, waves] of Object.entries(promotion.waves)) {
    if (!envs.has(env)) push("config_unknown_environment", ["promotion", "waves", env], `waves for unknown environment "${env}"`);
    const seen = new Map<string, number>();
    waves.forEach((w, i) => {
      const first = seen.get(w.name);
      if (first !== undefined) {
        push("config_duplicate_name", ["promotion", "waves", env, i, "name"], `duplicate wave name "${w.name}" (first defined at promotion.waves.${env}[${first}])`);
      } else seen.set(w.name, i);
      w.clusters.forEach((c, ci) => {
        const cluster = config.clusters.find((x) => x.name === c);
        if (!cluster || cluster.environment !== env) {
          push("config_unknown_environment", ["promotion", "waves", env, i, "clusters", ci], `cluster "${c}" is not a cluster of environment "${env}"`);
        }
      });
    });
  }
  promotion.paths.forEach((p, i) => {
    for (const end of ["from", "to"] as const) {
      const env = p[end].split("/")[0] ?? "";
      const isCluster = config.clusters.some((c) => c.name === p[end]);
      if (!envs.has(env) && !isCluster) push("config_unknown_environment", ["promotion", "paths", i, end], `"${p[end]}" names no environment, wave or cluster`);
      else if (p[end].includes("/") && !(promotion.waves[env] ?? []).some((w) => `${env}/${w.name}` === p[end])) {
        push("config_unknown_environment", ["promotion", "paths", i, end], `"${p[end]}" names no wave of "${env}"`);
      }
    }
  });
  return issues;
}
