import {
  type CheckAnnotation,
  type CheckRunPlan,
  annotationBatches,
  truncateOutput,
} from "../../checks/check-run-plan.js";
import type { GitHubClient, RepoRef } from "./github-client.js";
import { NO_RETRY, createOnce } from "./create-once.js";
import { metrics } from "../observability/metrics-registry.js";

type ApiAnnotation = {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: "notice" | "warning" | "failure";
  message: string;
  title?: string;
};

function toApiAnnotation(a: CheckAnnotation): ApiAnnotation {
  const single = a.startLine === a.endLine;
  return {
    path: a.path,
    start_line: a.startLine,
    end_line: a.endLine,
    // GitHub accepts columns only when the annotation stays on one line.
    ...(single && a.startColumn !== undefined ? { start_column: a.startColumn } : {}),
    ...(single && a.endColumn !== undefined ? { end_column: a.endColumn } : {}),
    annotation_level: a.level,
    message: a.message,
    ...(a.title ? { title: a.title } : {}),
  };
}

/** Finds the run of this name on this commit, if the app made one already (redeliveries update it). */
export async function findCheckRun(gh: GitHubClient, where: RepoRef, name: string, headSha: string): Promise<number | null> {
  const res = await gh.rest.checks.listForRef({
    owner: where.owner,
    repo: where.repo,
    ref: headSha,
    check_name: name,
    filter: "latest",
    per_page: 10,
  });
  const run = res.data.check_runs.find((r) => r.name === name && r.head_sha === headSha);
  return run ? run.id : null;
}

/** Marks a check as in progress (creating it, or reusing the run of the same name and commit). */
export async function startCheckRun(gh: GitHubClient, where: RepoRef, name: string, headSha: string, title: string): Promise<number> {
  const existing = await findCheckRun(gh, where, name, headSha);
  const output = { title, summary: "Fleetward is evaluating this commit." };
  if (existing !== null) {
    await gh.rest.checks.update({ owner: where.owner, repo: where.repo, check_run_id: existing, status: "in_progress", output });
    return existing;
  }
  return createOnce({
    create: async () => (await gh.rest.checks.create({ owner: where.owner, repo: where.repo, name, head_sha: headSha, status: "in_progress", output, ...NO_RETRY })).data.id,
    findExisting: () => findCheckRun(gh, where, name, headSha),
  });
}

/**
 * Completes a planned check run: updates `runId` (or the existing run of that name and commit, or a
 * new one) and sends annotations in batches of 50, the last request carrying the conclusion.
 * Calls: (0 or 1 list) + max(1, ceil(annotations / 50)).
 */
export async function publishCheckRun(gh: GitHubClient, where: RepoRef, plan: CheckRunPlan, runId?: number): Promise<number> {
  const summary = truncateOutput(plan.summary);
  const text = plan.text === undefined ? undefined : truncateOutput(plan.text);
  const batches = annotationBatches(plan.annotations);
  let id = runId ?? (await findCheckRun(gh, where, plan.name, plan.headSha));
  for (let i = 0; i < batches.length; i++) {
    const last = i === batches.length - 1;
    const output = {
      title: plan.title,
      summary,
      ...(text !== undefined ? { text } : {}),
      annotations: (batches[i] ?? []).map(toApiAnnotation),
    };
    const completion = last
      ? { status: "completed" as const, conclusion: plan.conclusion }
      : { status: "in_progress" as const };
    if (id === null) {
      // A run adopted after an uncertain failure is this create's (none existed before), so it carries this batch.
      id = await createOnce({
        create: async () => (await gh.rest.checks.create({ owner: where.owner, repo: where.repo, name: plan.name, head_sha: plan.headSha, ...completion, output, ...NO_RETRY })).data.id,
        findExisting: () => findCheckRun(gh, where, plan.name, plan.headSha),
      });
    } else {
      await gh.rest.checks.update({ owner: where.owner, repo: where.repo, check_run_id: id, ...completion, output });
    }
  }
  if (id === null) throw new Error("unreachable: a check run is always created");
  metrics.checkRun(plan.name, plan.conclusion);
  return id;
}
