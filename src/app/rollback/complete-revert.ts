import type { Logger } from "pino";
import { alreadySaid, planRevertCompletion } from "../../rollback/plan-revert-completion.js";
import type { RollbackSettings } from "../../rollback/resolve-rollback-settings.js";
import { createComment, listComments } from "../github/comments.js";
import type { GitHubClient, RepoRef } from "../github/github-client.js";
import { addLabels } from "../github/issues.js";
import { type PullRequestFacts, mergePullRequest } from "../github/pull-requests.js";
import { metrics } from "../observability/metrics-registry.js";

/**
 * Brings a rollback pull request up to its plan: the labels it lacks, then the merge when auto-merge is on and it
 * is still open. Run after opening it and on every retry that finds it. Calls: at most one `issues.addLabels` and
 * one `pulls.merge`. Returns whether it is merged now.
 */
export async function completeRevert(
  gh: GitHubClient,
  where: RepoRef,
  pull: Pick<PullRequestFacts, "number" | "state" | "merged" | "labels" | "headSha">,
  settings: Pick<RollbackSettings, "labels" | "autoMerge">,
  log: Logger,
): Promise<boolean> {
  const steps = planRevertCompletion(pull, settings);
  if (steps.addLabels.length > 0) await addLabels(gh, { ...where, number: pull.number, labels: steps.addLabels });
  if (!steps.merge) return pull.merged;
  const outcome = await mergePullRequest(gh, { ...where, number: pull.number, sha: pull.headSha, method: "merge" });
  if (!outcome.merged) log.warn({ pull: pull.number, reason: outcome.reason }, "rollback auto-merge refused; the pull request stays open");
  else metrics.revert("merged");
  return outcome.merged;
}

/**
 * Posts `body` on an issue or pull request unless it is already the app's last comment there (posted by a run that
 * was killed before its next step). Calls: `issues.listComments` (per 100 comments), then `issues.createComment` if needed.
 */
export async function commentOnce(gh: GitHubClient, where: RepoRef & { number: number; body: string; botLogin: string }): Promise<void> {
  const bot = where.botLogin.toLowerCase();
  const mine = (await listComments(gh, where)).filter((c) => c.author.toLowerCase() === bot).map((c) => c.body);
  if (alreadySaid(mine, where.body)) return;
  await createComment(gh, where);
}
