import type { Logger } from "pino";
import type { RevertPlan } from "../../rollback/plan-revert.js";
import { type GitHubClient, type RepoRef, isHttpStatus } from "../github/github-client.js";
import { pointBranch } from "../github/point-branch.js";
import { createPullRequest, listPullRequestsForBranch } from "../github/pull-requests.js";
import { readBlob } from "../github/read-tree-files.js";
import { writeCommit } from "../github/write-commit.js";
import { completeRevert } from "./complete-revert.js";
import { metrics } from "../observability/metrics-registry.js";

export interface OpenedRevert {
  number: number;
  url: string;
  /** False when another delivery (an Alertmanager in HA, a retry) had opened it already. */
  created: boolean;
  merged: boolean;
}

/**
 * Executes a revert plan whose values are blob SHAs (`listTree` trees): one commit on top of the default
 * branch restoring the files, the plan's branch pointed at it, the pull request, its labels, and the merge
 * when auto-merge is on. Creating the branch is the lock between racing deliveries; a loser finds the
 * winner's open pull request (or GitHub's 422 "already exists") and opens nothing. A run killed after the pull
 * request opened is completed by the retry (`completeRevert` on the pull request it finds).
 */
export async function openRevert(
  gh: GitHubClient,
  where: RepoRef & { defaultBranch: string; headSha: string },
  plan: RevertPlan,
  log: Logger,
): Promise<OpenedRevert> {
  const texts = new Map<string, string>();
  const changes: Record<string, string | null> = {};
  for (const [path, blob] of Object.entries(plan.changes)) {
    if (blob === null) {
      changes[path] = null;
      continue;
    }
    const text = texts.get(blob) ?? (await readBlob(gh, { ...where, sha: blob }));
    texts.set(blob, text);
    changes[path] = text;
  }
  const commitSha = await writeCommit(gh, where, { parentSha: where.headSha, changes, message: plan.commitMessage });
  const lock = await pointBranch(gh, { ...where, branch: plan.branch, sha: commitSha });
  const findOpen = async () => (await listPullRequestsForBranch(gh, { ...where, branch: plan.branch })).find((p) => p.state === "open");
  if (!lock.created) {
    const open = await findOpen();
    if (open) return { number: open.number, url: open.htmlUrl, created: false, merged: false };
  }
  let pr;
  try {
    pr = await createPullRequest(gh, { ...where, head: plan.branch, base: where.defaultBranch, title: plan.title, body: plan.body });
  } catch (error) {
    if (!isHttpStatus(error, 422)) throw error;
    const open = await findOpen();
    if (!open) throw error;
    return { number: open.number, url: open.htmlUrl, created: false, merged: false };
  }
  metrics.revert("opened");
  const merged = await completeRevert(gh, where, { ...pr, headSha: commitSha }, plan, log);
  log.info({ pull: pr.number, branch: plan.branch, files: Object.keys(changes).length, merged }, "rollback pull request opened");
  return { number: pr.number, url: pr.htmlUrl, created: true, merged };
}
