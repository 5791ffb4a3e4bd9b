import type { GitHubClient, RepoRef } from "./github-client.js";

/** A check run on a commit, as the gates see it. */
export interface CheckRunFacts {
  id: number;
  name: string;
  status: string;
  conclusion: string | null;
  app: string | null;
}

/** Every check run on `ref` (the latest of each name). Calls: ceil(runs / 100) `checks.listForRef`. */
export async function listCheckRuns(gh: GitHubClient, where: RepoRef & { ref: string }): Promise<CheckRunFacts[]> {
  const runs = await gh.paginate(gh.rest.checks.listForRef, { owner: where.owner, repo: where.repo, ref: where.ref, filter: "latest", per_page: 100 });
  return runs.map((r) => ({ id: r.id, name: r.name, status: r.status, conclusion: r.conclusion ?? null, app: r.app?.slug ?? null }));
}
