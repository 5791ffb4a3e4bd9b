import type { GitHubClient, RepoRef } from "./github-client.js";

/** The latest commit status of each context on a commit (what CI systems that do not use checks report). */
export interface CommitStatusFacts {
  context: string;
  state: "error" | "failure" | "pending" | "success";
}

/**
 * The combined status of `ref`: the latest status per context. Calls: ceil(contexts / 100)
 * `repos.getCombinedStatusForRef` (GitHub lists up to 100 contexts per page).
 */
export async function listCommitStatuses(gh: GitHubClient, where: RepoRef & { ref: string }): Promise<CommitStatusFacts[]> {
  const out: CommitStatusFacts[] = [];
  for (let page = 1; ; page++) {
    const res = await gh.rest.repos.getCombinedStatusForRef({ owner: where.owner, repo: where.repo, ref: where.ref, per_page: 100, page });
    for (const s of res.data.statuses) {
      const state = s.state === "error" || s.state === "failure" || s.state === "pending" || s.state === "success" ? s.state : "pending";
      out.push({ context: s.context, state });
    }
    if (res.data.statuses.length < 100 || out.length >= res.data.total_count) return out;
  }
}
