import type { Fleet } from "../../fleet/build-fleet.js";
import { type HistoryChange, ROLLBACK_BRANCH_PREFIX } from "../../rollback/find-change-to-revert.js";
import type { RollbackTarget } from "../../rollback/rollback-target.js";
import { targetContainsPath } from "../../rollback/target-contains-path.js";
import type { GitHubClient, RepoRef } from "../github/github-client.js";
import { listCommitFiles, listFirstParentChanges } from "../github/list-first-parent-changes.js";
import { mergedPullRequestOf } from "../github/pull-requests.js";

/** At most this many commits of the default branch are listed per look-back window. */
const MAX_LISTED_COMMITS = 1000;
/** At most this many commits' file lists are read before giving up the search. */
const MAX_INSPECTED = 200;

export interface ChangeHistoryRequest {
  fleet: Fleet;
  target: Pick<RollbackTarget, "environment" | "clusters" | "component">;
  /** The default branch's head. */
  head: string;
  startsAt: string;
  lookbackMs: number;
}

/**
 * The facts `findChangeToRevert` needs, read from GitHub: the default branch's first-parent commits from the
 * start of the look-back to the alert's start, newest first, each with its files and merged pull request,
 * until the first one that touches the target and is not one of Fleetward's rollbacks (older ones cannot win).
 * Calls: 1+ `repos.listCommits`, one `repos.getCommit` per inspected commit, one
 * `repos.listPullRequestsAssociatedWithCommit` per commit touching the target.
 */
export async function loadChangeHistory(gh: GitHubClient, where: RepoRef, request: ChangeHistoryRequest): Promise<HistoryChange[]> {
  const start = Date.parse(request.startsAt);
  const since = new Date(start - request.lookbackMs).toISOString();
  const { changes } = await listFirstParentChanges(gh, { ...where, head: request.head, since, maxCommits: MAX_LISTED_COMMITS });
  const history: HistoryChange[] = [];
  let inspected = 0;
  for (const c of changes) {
    const time = Date.parse(c.date);
    if (c.parentSha === null || Number.isNaN(time) || time > start) continue;
    if (time < start - request.lookbackMs || inspected >= MAX_INSPECTED) break;
    inspected++;
    const files = await listCommitFiles(gh, { ...where, sha: c.sha });
    if (!files.some((p) => targetContainsPath(request.fleet, request.target, p))) continue;
    const pr = await mergedPullRequestOf(gh, { ...where, sha: c.sha });
    history.push({
      sha: c.sha,
      parentSha: c.parentSha,
      mergedAt: c.date,
      files,
      message: c.message,
      ...(pr ? { pullRequest: { number: pr.number, title: pr.title, url: pr.htmlUrl, headRef: pr.headRef, author: pr.author } } : {}),
    });
    if (!pr?.headRef.startsWith(ROLLBACK_BRANCH_PREFIX)) break;
  }
  return history;
}
