import type { GitHubClient, RepoRef } from "./github-client.js";

/** A commit as the promotion code needs it. */
export interface CommitFacts {
  sha: string;
  message: string;
  /** Committer date (for a merge commit: when it was merged). */
  date: string | null;
  /** The GitHub login of the author, when GitHub knows it. */
  author: string | null;
  parents: string[];
}

/** One commit. One `repos.getCommit` call. */
export async function getCommitFacts(gh: GitHubClient, where: RepoRef & { sha: string }): Promise<CommitFacts> {
  const res = await gh.rest.repos.getCommit({ owner: where.owner, repo: where.repo, ref: where.sha, per_page: 1 });
  return {
    sha: res.data.sha,
    message: res.data.commit.message,
    date: res.data.commit.committer?.date ?? null,
    author: res.data.author?.login ?? null,
    parents: res.data.parents.map((p) => p.sha),
  };
}

/** The newest commits of a branch (newest first), at most `limit`, optionally only those after `since`. One `repos.listCommits` call. */
export async function listBranchCommits(
  gh: GitHubClient,
  where: RepoRef & { ref: string; limit: number; since?: Date },
): Promise<Array<{ sha: string; parents: string[]; date: string | null }>> {
  const res = await gh.rest.repos.listCommits({
    owner: where.owner,
    repo: where.repo,
    sha: where.ref,
    per_page: Math.min(100, Math.max(1, where.limit)),
    ...(where.since ? { since: where.since.toISOString() } : {}),
  });
  return res.data.slice(0, where.limit).map((c) => ({ sha: c.sha, parents: c.parents.map((p) => p.sha), date: c.commit.committer?.date ?? null }));
}

/** The repository's default branch. One `repos.get` call. */
export async function getDefaultBranch(gh: GitHubClient, where: RepoRef): Promise<string> {
  const res = await gh.rest.repos.get({ owner: where.owner, repo: where.repo });
  return res.data.default_branch;
}
