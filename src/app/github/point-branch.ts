import { type GitHubClient, type RepoRef, isHttpStatus } from "./github-client.js";

/** The SHA a branch points at, or null when the branch does not exist. One `git.getRef` call. */
export async function getBranchSha(gh: GitHubClient, where: RepoRef & { branch: string }): Promise<string | null> {
  try {
    const res = await gh.rest.git.getRef({ owner: where.owner, repo: where.repo, ref: `heads/${where.branch}` });
    return res.data.object.sha;
  } catch (error) {
    if (isHttpStatus(error, 404)) return null;
    throw error;
  }
}

/**
 * Points one of Fleetward's own branches at `sha`: creates it, or — when it exists — moves it there
 * (forced: the app rewrites its branches with a fresh single commit). Creating first makes the branch a
 * lock between two deliveries racing to open the same pull request: the loser gets "created: false".
 * Calls: git.createRef, and on 422 (exists) git.updateRef.
 */
export async function pointBranch(
  gh: GitHubClient,
  where: RepoRef & { branch: string; sha: string },
): Promise<{ created: boolean }> {
  try {
    await gh.rest.git.createRef({ owner: where.owner, repo: where.repo, ref: `refs/heads/${where.branch}`, sha: where.sha });
    return { created: true };
  } catch (error) {
    if (!isHttpStatus(error, 422)) throw error;
  }
  await gh.rest.git.updateRef({ owner: where.owner, repo: where.repo, ref: `heads/${where.branch}`, sha: where.sha, force: true });
  return { created: false };
}
