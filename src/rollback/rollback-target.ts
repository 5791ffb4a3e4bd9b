import type { NormalizedAlert } from "./alerts/alert-group.js";

/** Where a rollback applies: an environment, optionally narrowed to clusters and a component. */
export interface RollbackTarget {
  /** `owner/name` when a rule named the repository; null for "this repository". */
  repository: string | null;
  environment: string;
  /** Set when the target is exactly one cluster. */
  cluster?: string;
  /**
   * Clusters the target covers, in configuration order: one (`cluster`), several (alerts of several clusters
   * grouped into one rollback), or empty for the whole environment.
   */
  clusters: string[];
  component?: string;
  /** The alerts that mapped to this target, in notification order. */
  alerts: NormalizedAlert[];
  /** The rule that mapped them (its name, or `rules[<index>]`). */
  rule: string;
}

/** The `<target>` of titles and branch names: the cluster when there is exactly one, else the environment. */
export function targetName(target: Pick<RollbackTarget, "environment" | "cluster">): string {
  return target.cluster ?? target.environment;
}
