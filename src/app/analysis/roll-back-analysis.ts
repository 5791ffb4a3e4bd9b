/**
 * `onFailure: rollback` on the app's side: asks the pure decision what the analyses of a scope call for and runs
 * the alert path's rollback for each (revert pull request, incident, freeze; or, for a passing run after a
 * rollback, the resolved group that closes the incident). Idempotent as the alert path is: the group key,
 * fingerprint and start of a failed run are the same on every tick and replica.
 */
import type { AnalysisScope } from "../../analysis/analysis-rollback.js";
import { decideAnalysisRollbacks } from "../../analysis/analysis-rollback.js";
import type { AnalysisRecord } from "../../analysis/analysis-state-codec.js";
import { analysesFor } from "../../analysis/select-analyses.js";
import { analysesOf } from "../../config/analysis-schema.js";
import type { FleetwardConfig } from "../../config/schema.js";
import { incidentsOf } from "../../rollback/plan-incident.js";
import { INCIDENT_LABEL } from "../../rollback/resolve-rollback-settings.js";
import type { GitHubClient, RepoRef } from "../github/github-client.js";
import { listIssuesWithLabel } from "../github/issues.js";
import { getBranchSha } from "../github/point-branch.js";
import type { PromotionDeps } from "../promotion/promotion-deps.js";
import type { TargetOutcome } from "../rollback/run-rollback.js";
import { asExistingIssue, runRollbackTargets } from "../rollback/run-rollback.js";

export interface AnalysisRollbackOutcome {
  analysis: string;
  action: "rollback" | "resolve";
  targets: TargetOutcome[];
}

export async function rollBackFailedAnalyses(
  gh: GitHubClient,
  where: RepoRef & { defaultBranch: string },
  input: { config: FleetwardConfig; scope: AnalysisScope; record: AnalysisRecord },
  deps: PromotionDeps,
): Promise<AnalysisRollbackOutcome[]> {
  const analyses = analysesFor(analysesOf(input.config), input.scope.environment, input.scope.wave ?? "").filter((a) => a.onFailure === "rollback");
  if (analyses.length === 0) return [];
  const botLogin = await deps.botLogin();
  const issues = (await listIssuesWithLabel(gh, { ...where, label: INCIDENT_LABEL, state: "open" })).map(asExistingIssue);
  const openIncidentAlerts = incidentsOf(issues, botLogin).flatMap(({ meta }) => meta.alerts);
  const actions = decideAnalysisRollbacks({ analyses, record: input.record, scope: input.scope, openIncidentAlerts });
  if (actions.length === 0) return [];
  const head = await getBranchSha(gh, { ...where, branch: where.defaultBranch });
  if (head === null) throw new Error(`default branch ${where.defaultBranch} of ${where.owner}/${where.repo} not found`);
  const outcomes: AnalysisRollbackOutcome[] = [];
  for (const a of actions) {
    const targets = await runRollbackTargets({ gh, where, head, config: input.config, botLogin, log: deps.log }, a.group, [a.target]);
    deps.log.info({ analysis: a.analysis, action: a.action, targets }, "analysis rollback handled");
    outcomes.push({ analysis: a.analysis, action: a.action, targets });
  }
  return outcomes;
}
