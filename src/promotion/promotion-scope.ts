/**
 * Where a promotion comes from or goes to: an environment, a wave of an environment (`prod/canary`) or a
 * single cluster (named by the cluster's name).
 */
export interface PromotionScope {
  environment: string;
  /** Set for a wave scope. */
  wave?: string;
  /** Set for a single-cluster scope. */
  cluster?: string;
}

/** `prod`, `prod/canary` or the cluster's name: the form used in branch names, titles and `/promote`. */
export function promotionScope(scope: PromotionScope): string {
  if (scope.cluster !== undefined) return scope.cluster;
  return scope.wave === undefined ? scope.environment : `${scope.environment}/${scope.wave}`;
}
