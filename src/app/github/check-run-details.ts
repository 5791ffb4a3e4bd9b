import type { StatusCheckRun } from "../../promotion/fleet-status/fleet-status-input.js";
import type { GitHubClient, RepoRef } from "./github-client.js";

/** A check run with its link, output summary and times (the fleet status shows gates and times them). */
export type CheckRunDetails = StatusCheckRun;

/** The latest check run of each name on `ref`, with details. Calls: ceil(runs / 100) `checks.listForRef`. */
export async function listCheckRunDetails(gh: GitHubClient, where: RepoRef & { ref: string }): Promise<CheckRunDetails[]> {
  const runs = await gh.paginate(gh.rest.checks.listForRef, { owner: where.owner, repo: where.repo, ref: where.ref, filter: "latest", per_page: 100 });
  return runs.map((r) => ({
    name: r.name,
    status: r.status,
    conclusion: r.conclusion ?? null,
    url: r.html_url ?? null,
    summary: r.output?.summary ?? null,
    startedAt: r.started_at ?? null,
    completedAt: r.completed_at ?? null,
  }));
}
