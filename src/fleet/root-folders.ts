import type { Fleet } from "./build-fleet.js";

export type RootTarget =
  | { environment: string; component?: string }
  | { cluster: string; component?: string };

/**
 * The literal root folders (ending in `/`) of an environment's or cluster's path globs, or of one of their
 * components (`root + component + "/"`). Globs without a literal folder prefix contribute `""` (the
 * repository root). Empty for unknown names. Duplicates are removed, order follows the configuration.
 */
export function rootFolders(fleet: Fleet, target: RootTarget): string[] {
  const globs =
    "cluster" in target
      ? fleet.clusters.find((c) => c.name === target.cluster)?.paths
      : fleet.environments.find((e) => e.name === target.environment)?.paths;
  const roots = (globs ?? []).map((g) => g.root);
  const withComponent = target.component === undefined ? roots : roots.map((r) => `${r}${target.component}/`);
  return [...new Set(withComponent)];
}
