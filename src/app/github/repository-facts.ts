import type { GitHubClient, RepoRef } from "./github-client.js";

/** The repository's default branch and web address. One `repos.get` call. */
export async function getRepositoryFacts(gh: GitHubClient, where: RepoRef): Promise<{ defaultBranch: string; htmlUrl: string }> {
  const res = await gh.rest.repos.get({ owner: where.owner, repo: where.repo });
  return { defaultBranch: res.data.default_branch, htmlUrl: res.data.html_url };
}
