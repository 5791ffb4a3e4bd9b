import type { ProbotOctokit } from "probot";

/** The authenticated client every function in `src/app/github/` takes. Only this folder calls it. */
export type GitHubClient = ProbotOctokit;

/** A repository by owner and name. */
export interface RepoRef {
  owner: string;
  repo: string;
}

/** True when an octokit error is an HTTP error with this status. */
export function isHttpStatus(error: unknown, status: number): boolean {
  return typeof error === "object" && error !== null && "status" in error && (error as { status: unknown }).status === status;
}
