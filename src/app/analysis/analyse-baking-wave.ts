/**
 * The analyses of a baking wave inside the wave decision: while they measure, the next wave waits even when
 * the bake time has passed; a failed one halts the rollout with the query, the value and the condition; a pass
 * is reported on the wave's pull request once. Analyses with `onFailure: rollback` also roll the wave back when
 * they fail, and close that incident when a later run passes.
 */
import type { NextWaveDecision } from "../../promotion/plan-next-wave.js";
import { analysisComment } from "../../analysis/analysis-report.js";
import type { Fleet } from "../../fleet/build-fleet.js";
import { createComment } from "../github/comments.js";
import type { GitHubClient, RepoRef } from "../github/github-client.js";
import type { PullRequestFacts } from "../github/pull-requests.js";
import type { PromotionDeps } from "../promotion/promotion-deps.js";
import { clustersOfScope } from "../promotion/promotion-facts.js";
import { measureScope } from "./measure-scope.js";
import { rollBackFailedAnalyses } from "./roll-back-analysis.js";

export async function analyseBakingWave(
  gh: GitHubClient,
  where: RepoRef & { defaultBranch: string },
  pr: PullRequestFacts,
  baking: { environment: string; wave: string; component: string },
  decision: NextWaveDecision,
  fleet: Fleet,
  deps: PromotionDeps,
): Promise<NextWaveDecision> {
  if ((decision.action !== "wait" && decision.action !== "open") || pr.mergeCommitSha === null || pr.mergedAt === null) return decision;
  const result = await measureScope(gh, where, {
    fleet,
    scope: { environment: baking.environment, wave: baking.wave },
    component: baking.component,
    sha: pr.mergeCommitSha,
    mergedAt: new Date(pr.mergedAt),
  }, deps);
  if (!result) return decision;
  const { outcome } = result;
  if (outcome.verdict !== "running") {
    const scope = { environment: baking.environment, wave: baking.wave };
    await rollBackFailedAnalyses(gh, where, { config: fleet.config, scope: { ...scope, clusters: clustersOfScope(fleet, scope), component: baking.component }, record: result.record }, deps);
  }
  if (outcome.verdict === "failed") {
    return { action: "halt", from: decision.from, wave: decision.wave, detail: `analysis failed: ${outcome.lines.join("; ")}` };
  }
  if (result.finishedNow) await createComment(gh, { ...where, number: pr.number, body: analysisComment(outcome, result.record) });
  if (outcome.verdict === "running" && decision.action === "open") {
    return { action: "wait", from: decision.from, wave: decision.wave, recheckAt: outcome.nextAt ?? deps.now() };
  }
  return decision;
}
