/** The `fleetward/analysis` check run of a commit: read this app's run (its state) and write it. */
import type { AnalysisCheckRunPlan } from "../../analysis/analysis-report.js";
import type { GitHubClient, RepoRef } from "./github-client.js";

export interface AnalysisCheckRunFacts {
  id: number;
  status: string;
  text: string | null;
}

/** This app's latest run of `name` on `sha` (runs other apps made, with forged state, are ignored). */
export async function readAppCheckRun(gh: GitHubClient, where: RepoRef & { sha: string; name: string; appSlug: string }): Promise<AnalysisCheckRunFacts | null> {
  const res = await gh.rest.checks.listForRef({ owner: where.owner, repo: where.repo, ref: where.sha, check_name: where.name, filter: "latest", per_page: 20 });
  const run = res.data.check_runs.find((r) => r.name === where.name && r.head_sha === where.sha && r.app?.slug === where.appSlug);
  return run ? { id: run.id, status: run.status, text: run.output.text ?? null } : null;
}

/** Creates the run, or updates `id`. */
export async function writeAnalysisCheckRun(gh: GitHubClient, where: RepoRef, plan: AnalysisCheckRunPlan, id: number | null): Promise<number> {
  const output = { title: plan.title, summary: plan.summary, text: plan.text };
  const state = plan.status === "completed" ? { status: "completed" as const, conclusion: plan.conclusion ?? "failure" } : { status: "in_progress" as const };
  if (id !== null) {
    await gh.rest.checks.update({ owner: where.owner, repo: where.repo, check_run_id: id, ...state, output });
    return id;
  }
  const res = await gh.rest.checks.create({ owner: where.owner, repo: where.repo, name: plan.name, head_sha: plan.headSha, ...state, output });
  return res.data.id;
}
