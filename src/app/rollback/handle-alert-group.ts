import type { Logger } from "pino";
import type { Coordinator } from "../coordination/coordinator.js";
import type { AlertGroup } from "../../rollback/alerts/alert-group.js";
import type { AlertRepositories } from "./alert-repositories.js";
import { type RepoOutcome, runRollback } from "./run-rollback.js";

export interface AlertGroupOutcome {
  /** `handled` when at least one repository's rules mapped an alert; `unmatched` otherwise (acknowledged, nothing done). */
  status: "handled" | "unmatched";
  repositories: RepoOutcome[];
  /** Why alerts were skipped, per repository with rollback rules (`owner/name: message`). */
  skipped: string[];
}

/**
 * Which repositories an alert concerns: every repository the app is installed on whose configuration in force
 * has `rollback.rules` mapping the alert (a rule's `repository` source, when set, must name that repository).
 * Each repository's work holds that repository's lock (`alert:owner/name`, shared by the replicas with REDIS_URL), so
 * two deliveries of one alert (two Alertmanagers in HA, a retry racing the original, two replicas) never plan against
 * the same stale state: the second sees the first's revert and incident (their metadata) and opens nothing. Throws on
 * any GitHub failure and on CoordinationUnavailable (the route answers 5xx so the sender retries; the work is idempotent).
 */
export async function handleAlertGroup(deps: { repos: AlertRepositories; coordinator: Pick<Coordinator, "withLock">; log: Logger }, group: AlertGroup): Promise<AlertGroupOutcome> {
  const installed = await deps.repos.installed();
  const botLogin = await deps.repos.botLogin();
  const repositories: RepoOutcome[] = [];
  const skipped: string[] = [];
  for (const repo of installed) {
    const name = `${repo.owner}/${repo.repo}`;
    const outcome = await deps.coordinator.withLock(`alert:${name.toLowerCase()}`, async () => {
      const opened = await deps.repos.open(repo, deps.log);
      if (!opened.config || opened.head === null || (opened.config.rollback?.rules ?? []).length === 0) return null;
      return runRollback({ gh: opened.gh, where: repo, head: opened.head, config: opened.config, botLogin, log: deps.log }, group);
    });
    if (outcome === null) continue;
    skipped.push(...outcome.skipped.map((s) => `${name}: ${s.message}`));
    if (outcome.targets.length > 0) repositories.push(outcome);
  }
  const status = repositories.length > 0 ? "handled" : "unmatched";
  if (status === "unmatched") deps.log.info({ groupKey: group.groupKey, source: group.source, skipped }, "alert matched no rollback rule; acknowledged");
  return { status, repositories, skipped };
}
