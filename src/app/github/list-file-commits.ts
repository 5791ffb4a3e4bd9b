import type { GitHubClient, RepoRef } from "./github-client.js";

/** The newest commits (up to `limit`, newest first) on `ref` that touched `path`. */
export async function listFileCommits(
  gh: GitHubClient,
  where: RepoRef & { path: string; ref: string; limit: number },
): Promise<Array<{ sha: string; date: string | null }>> {
  const res = await gh.rest.repos.listCommits({
    owner: where.owner,
    repo: where.repo,
    sha: where.ref,
    path: where.path,
    per_page: Math.min(100, Math.max(1, where.limit)),
  });
  return res.data.slice(0, where.limit).map((c) => ({ sha: c.sha, date: c.commit.committer?.date ?? null }));
}
