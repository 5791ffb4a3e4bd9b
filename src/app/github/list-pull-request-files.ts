import type { GitHubClient, RepoRef } from "./github-client.js";

/** One changed file of a pull request, as GitHub lists it. */
export interface ChangedFile {
  path: string;
  status: "added" | "removed" | "modified" | "renamed" | "copied" | "changed" | "unchanged";
  previousPath?: string;
  /** The file's blob SHA at the head (absent for removed files). */
  blobSha?: string;
}

/** GitHub lists at most 3,000 files of a pull request, 100 per page. */
export const MAX_PULL_REQUEST_FILES = 3000;

/** Every changed file of a pull request (paginated, up to GitHub's limit of 3,000). */
export async function listPullRequestFiles(gh: GitHubClient, where: RepoRef & { pullNumber: number }): Promise<ChangedFile[]> {
  const files = await gh.paginate(gh.rest.pulls.listFiles, {
    owner: where.owner,
    repo: where.repo,
    pull_number: where.pullNumber,
    per_page: 100,
  });
  return files.slice(0, MAX_PULL_REQUEST_FILES).map((f) => ({
    path: f.filename,
    status: f.status,
    ...(f.previous_filename ? { previousPath: f.previous_filename } : {}),
    ...(f.status !== "removed" && f.sha ? { blobSha: f.sha } : {}),
  }));
}

/** How many files the pull request changes, as GitHub counts them (beyond what it lists). One `pulls.get` call. */
export async function countPullRequestFiles(gh: GitHubClient, where: RepoRef & { pullNumber: number }): Promise<number> {
  const res = await gh.rest.pulls.get({ owner: where.owner, repo: where.repo, pull_number: where.pullNumber });
  return res.data.changed_files;
}
