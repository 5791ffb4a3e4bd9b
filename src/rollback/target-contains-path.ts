import type { Fleet } from "../fleet/build-fleet.js";
import { classifyPath } from "../fleet/classify-path.js";
import type { RollbackTarget } from "./rollback-target.js";

/**
 * Whether a repository file belongs to a rollback target: it belongs to the target's environment; when the
 * target names clusters, it is either shared by the whole environment (under no cluster's paths) or under one of
 * those clusters' paths (another cluster's files are not the target's); when the target names a component, the
 * file is in that component.
 */
export function targetContainsPath(
  fleet: Fleet,
  target: Pick<RollbackTarget, "environment" | "clusters" | "component">,
  path: string,
): boolean {
  const c = classifyPath(fleet, path);
  if (!c.environments.includes(target.environment)) return false;
  if (target.clusters.length > 0) {
    const ownClusters = c.clusters.filter((name) => fleet.clusters.find((fc) => fc.name === name)?.environment === target.environment);
    if (ownClusters.length > 0 && !ownClusters.some((name) => target.clusters.includes(name))) return false;
  }
  if (target.component !== undefined && c.component !== target.component) return false;
  return true;
}
