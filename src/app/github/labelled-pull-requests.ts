import { type GitHubClient, type RepoRef, isHttpStatus } from "./github-client.js";
import { listLabelled } from "./issues.js";

/**
 * Numbers of the pull requests (not issues) carrying `label`, oldest first. Calls: ceil(matches / 100)
 * `issues.listForRepo` (the issues API lists pull requests too).
 */
export async function listPullRequestNumbersWithLabel(
  gh: GitHubClient,
  where: RepoRef & { label: string; state: "open" | "closed" | "all" },
): Promise<number[]> {
  const items = await listLabelled(gh, { ...where, oldestFirst: true });
  return items.filter((i) => i.pullRequest).map((i) => i.facts.number);
}

/** Removes a label from an issue or pull request; a label that is not there is not an error. One `issues.removeLabel` call. */
export async function removeLabel(gh: GitHubClient, where: RepoRef & { number: number; label: string }): Promise<void> {
  try {
    await gh.rest.issues.removeLabel({ owner: where.owner, repo: where.repo, issue_number: where.number, name: where.label });
  } catch (error) {
    if (!isHttpStatus(error, 404)) throw error;
  }
}
