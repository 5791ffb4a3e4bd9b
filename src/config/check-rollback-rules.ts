import type { SemanticIssue } from "./check-config-semantics.js";
import { formatConfigPath } from "./check-config-semantics.js";
import type { PathSegment } from "./parse-config-layer.js";
import type { LabelSource } from "./rollback-schema.js";
import type { FleetwardConfig } from "./schema.js";

/**
 * Static values of the rollback rules (fallbacks and value-map targets of `environment` and `cluster`) that
 * name no environment or cluster: such a rule can only ever produce an unknown target. Warnings, not errors:
 * a label value missing from a map passes unchanged, so maps may be partial.
 */
export function checkRollbackRules(config: FleetwardConfig): SemanticIssue[] {
  const envs = new Set(config.environments.map((e) => e.name));
  const clusters = new Set(config.clusters.map((c) => c.name));
  const issues: SemanticIssue[] = [];
  const warn = (path: PathSegment[], what: "environment" | "cluster", name: string) =>
    issues.push({
      code: what === "environment" ? "config_unknown_environment" : "config_unknown_cluster",
      severity: "warning",
      path,
      message: `${formatConfigPath(path)}: unknown ${what} "${name}"`,
    });
  const check = (source: LabelSource | undefined, base: PathSegment[], known: Set<string>, what: "environment" | "cluster") => {
    if (source === undefined) return;
    if (source.fallback !== undefined && !known.has(source.fallback)) warn([...base, "fallback"], what, source.fallback);
    for (const [from, to] of Object.entries(source.map ?? {})) {
      if (!known.has(to)) warn([...base, "map", from], what, to);
    }
  };
  (config.rollback?.rules ?? []).forEach((rule, i) => {
    check(rule.environment, ["rollback", "rules", i, "environment"], envs, "environment");
    check(rule.cluster, ["rollback", "rules", i, "cluster"], clusters, "cluster");
  });
  return issues;
}
