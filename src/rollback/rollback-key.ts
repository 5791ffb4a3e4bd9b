import { createHash } from "node:crypto";
import type { AlertGroup } from "./alerts/alert-group.js";
import type { RollbackTarget } from "./rollback-target.js";
import { targetName } from "./rollback-target.js";

type KeyTarget = Pick<RollbackTarget, "repository" | "environment" | "clusters" | "component">;

function hash(parts: unknown[]): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex").slice(0, 16);
}

/**
 * The identity of the rollback for one alert group and target: 16 hex digits of a SHA-256 over the group key
 * and the target (repository, environment, clusters, component). Fingerprints are not part of it, so an alert
 * joining a firing group updates the same pull request instead of opening another; they are recorded in the
 * pull request's metadata.
 */
export function rollbackKey(group: Pick<AlertGroup, "groupKey">, target: KeyTarget): string {
  return hash(["alert", group.groupKey, target.repository, target.environment, [...target.clusters].sort(), target.component ?? null]);
}

/** The identity of a `/rollback` of one merged pull request in one target. */
export function manualRollbackKey(pullRequest: number, target: KeyTarget): string {
  return hash(["command", pullRequest, target.repository, target.environment, [...target.clusters].sort(), target.component ?? null]);
}

/** `fleetward/rollback/<target>/<first 12 digits of the key>`. */
export function rollbackBranch(target: Pick<RollbackTarget, "environment" | "cluster">, key: string): string {
  return `fleetward/rollback/${targetName(target)}/${key.slice(0, 12)}`;
}

/** The incident of a target: one per environment and cluster set (components share it: the freeze is per target). */
export function incidentKey(target: Pick<RollbackTarget, "repository" | "environment" | "clusters">): string {
  return hash(["incident", target.repository, target.environment, [...target.clusters].sort()]);
}
