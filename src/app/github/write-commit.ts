import type { GitHubClient, RepoRef } from "./github-client.js";

/** File changes of one commit: path → new text, or null to delete the file. */
export type FileChanges = Readonly<Record<string, string | null>>;

export interface CommitRequest {
  /** The commit the new one builds on. */
  parentSha: string;
  changes: FileChanges;
  message: string;
}

/**
 * Makes one commit with the Git Data API, without touching any ref: reads the parent's tree, creates a
 * tree with the changes on top of it (inline contents; `sha: null` deletes) and the commit.
 * Calls: git.getCommit + git.createTree + git.createCommit. Returns the new commit's SHA.
 */
export async function writeCommit(gh: GitHubClient, where: RepoRef, request: CommitRequest): Promise<string> {
  const parent = await gh.rest.git.getCommit({ owner: where.owner, repo: where.repo, commit_sha: request.parentSha });
  const tree = Object.entries(request.changes)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([path, content]) =>
      content === null
        ? { path, mode: "100644" as const, type: "blob" as const, sha: null }
        : { path, mode: "100644" as const, type: "blob" as const, content },
    );
  const created = await gh.rest.git.createTree({ owner: where.owner, repo: where.repo, base_tree: parent.data.tree.sha, tree });
  const commit = await gh.rest.git.createCommit({
    owner: where.owner,
    repo: where.repo,
    message: request.message,
    tree: created.data.sha,
    parents: [request.parentSha],
  });
  return commit.data.sha;
}
