import type { LabelSource } from "../config/rollback-schema.js";
import type { FleetwardConfig } from "../config/schema.js";

export interface RollbackRuleProblem {
  /** Field path in the configuration, e.g. `rollback.rules[0].environment.fallback`. */
  path: string;
  message: string;
}

/**
 * Static values of the rules (fallbacks and value-map targets of `environment` and `cluster`) that name no
 * environment or cluster: such a rule can only ever produce `unknown_environment`/`unknown_cluster`. For the
 * config check to report as warnings (a label value not listed in a map passes unchanged, so maps may be partial).
 */
export function checkRollbackRules(config: FleetwardConfig): RollbackRuleProblem[] {
  const envs = new Set(config.environments.map((e) => e.name));
  const clusters = new Set(config.clusters.map((c) => c.name));
  const problems: RollbackRuleProblem[] = [];
  const check = (source: LabelSource | undefined, base: string, known: Set<string>, what: string) => {
    if (source === undefined) return;
    if (source.fallback !== undefined && !known.has(source.fallback)) {
      problems.push({ path: `${base}.fallback`, message: `${base}.fallback: unknown ${what} "${source.fallback}"` });
    }
    for (const [from, to] of Object.entries(source.map ?? {})) {
      if (!known.has(to)) problems.push({ path: `${base}.map.${from}`, message: `${base}.map.${from}: unknown ${what} "${to}"` });
    }
  };
  (config.rollback?.rules ?? []).forEach((rule, i) => {
    check(rule.environment, `rollback.rules[${i}].environment`, envs, "environment");
    check(rule.cluster, `rollback.rules[${i}].cluster`, clusters, "cluster");
  });
  return problems;
}
