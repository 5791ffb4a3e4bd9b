import type { GitHubClient, RepoRef } from "./github-client.js";

/** One commit of a branch's first-parent line: what reached the branch, and when. */
export interface FirstParentChange {
  sha: string;
  /** The branch just before this commit (first parent); null for a root commit. */
  parentSha: string | null;
  /** Committer date (ISO 8601): for merge and squash commits, when the pull request was merged. */
  date: string;
  /** First line of the commit message. */
  message: string;
}

/**
 * The first-parent line of `head` back to `since` (newest first): the merge, squash and pushed commits that
 * reached the branch, without the commits inside merged pull requests. Calls: ceil(commits since / 100)
 * `repos.listCommits` (at most `maxCommits` commits are listed).
 */
export async function listFirstParentChanges(
  gh: GitHubClient,
  where: RepoRef & { head: string; since: string; maxCommits: number },
): Promise<{ changes: FirstParentChange[]; complete: boolean }> {
  const bySha = new Map<string, { parents: string[]; date: string; message: string }>();
  let listed = 0;
  let complete = true;
  for await (const page of gh.paginate.iterator(gh.rest.repos.listCommits, { owner: where.owner, repo: where.repo, sha: where.head, since: where.since, per_page: 100 })) {
    for (const c of page.data) {
      bySha.set(c.sha, { parents: c.parents.map((p) => p.sha), date: c.commit.committer?.date ?? c.commit.author?.date ?? "", message: c.commit.message.split("\n")[0] ?? "" });
    }
    listed += page.data.length;
    if (listed >= where.maxCommits) {
      complete = false;
      break;
    }
  }
  const changes: FirstParentChange[] = [];
  let sha: string | undefined = where.head;
  while (sha !== undefined) {
    const c = bySha.get(sha);
    if (c === undefined) break;
    changes.push({ sha, parentSha: c.parents[0] ?? null, date: c.date, message: c.message });
    sha = c.parents[0];
  }
  return { changes, complete };
}

/** The paths a commit changed relative to its first parent. One `repos.getCommit` call (GitHub lists at most 3,000 files). */
export async function listCommitFiles(gh: GitHubClient, where: RepoRef & { sha: string }): Promise<string[]> {
  const res = await gh.rest.repos.getCommit({ owner: where.owner, repo: where.repo, ref: where.sha, per_page: 100 });
  return (res.data.files ?? []).flatMap((f) => (f.previous_filename ? [f.filename, f.previous_filename] : [f.filename]));
}
