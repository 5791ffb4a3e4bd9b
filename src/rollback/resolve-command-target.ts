import type { Fleet } from "../fleet/build-fleet.js";
import { classifyPath } from "../fleet/classify-path.js";
import type { RollbackTarget } from "./rollback-target.js";
import { targetContainsPath } from "./target-contains-path.js";

export type CommandTargetResult =
  | { ok: true; target: RollbackTarget }
  | { ok: false; message: string };

/**
 * The target of `/rollback [name]` on a merged pull request: the named cluster or environment, or, without a
 * name, the one environment the pull request's files belong to (several: the commenter must choose).
 */
export function resolveCommandTarget(fleet: Fleet, name: string | null, changedFiles: readonly string[]): CommandTargetResult {
  const touchedSet = new Set(changedFiles.flatMap((p) => classifyPath(fleet, p).environments));
  const touched = fleet.environments.filter((e) => touchedSet.has(e.name)).map((e) => e.name);
  const base = { repository: null, alerts: [], rule: "/rollback" };
  if (name === null) {
    const [only] = touched;
    if (touched.length === 1 && only !== undefined) return { ok: true, target: { ...base, environment: only, clusters: [] } };
    if (touched.length === 0) return { ok: false, message: "this pull request changed no file of any environment" };
    return { ok: false, message: `this pull request changed several environments (${touched.join(", ")}): name one, e.g. \`/rollback ${touched[touched.length - 1]}\`` };
  }
  const cluster = fleet.clusters.find((c) => c.name === name);
  const env = fleet.environments.find((e) => e.name === name);
  if (env) {
    if (!touched.includes(env.name)) return { ok: false, message: `this pull request changed no file of environment ${env.name}` };
    return { ok: true, target: { ...base, environment: env.name, clusters: [] } };
  }
  if (cluster) {
    const target: RollbackTarget = { ...base, environment: cluster.environment, cluster: cluster.name, clusters: [cluster.name] };
    if (!changedFiles.some((p) => targetContainsPath(fleet, target, p))) {
      return { ok: false, message: `this pull request changed no file that reaches cluster ${cluster.name}` };
    }
    return { ok: true, target };
  }
  return { ok: false, message: `no environment or cluster is named ${name}` };
}
