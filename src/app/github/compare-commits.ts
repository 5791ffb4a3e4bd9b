import type { GitHubClient, RepoRef } from "./github-client.js";

export interface Comparison {
  /** `ahead`: head contains base; `behind`: base contains head; `identical`; `diverged`. */
  status: "ahead" | "behind" | "identical" | "diverged";
  /** Paths changed between the merge base and head (renames give both names), at most 300 as GitHub lists them. */
  files: string[];
  /** True when GitHub's file list may be cut (300 files). */
  filesTruncated: boolean;
}

/** GitHub lists at most 300 files in a comparison. */
const MAX_COMPARE_FILES = 300;

/** Compares two commits (`base...head`). One `repos.compareCommitsWithBasehead` call (first page). */
export async function compareCommits(gh: GitHubClient, where: RepoRef & { base: string; head: string }): Promise<Comparison> {
  const res = await gh.rest.repos.compareCommitsWithBasehead({ owner: where.owner, repo: where.repo, basehead: `${where.base}...${where.head}`, per_page: 1 });
  const files = (res.data.files ?? []).flatMap((f) => (f.previous_filename ? [f.filename, f.previous_filename] : [f.filename]));
  return { status: res.data.status, files, filesTruncated: (res.data.files ?? []).length >= MAX_COMPARE_FILES };
}
